"""Online booking on both databases: slots from capacity, one per NIK, check-in, cancel, quota."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.booking import BookingRefused, format_code
from shared.domain.errors import IssuingClosed, NotFound
from shared.estimation.estimator import estimate_queue
from shared.estimation.model import BOOKING_ID_BASE
from shared.services import counters, serving
from shared.services.access import load_service
from shared.services.booking_offer import booking_days, booking_slots
from shared.services.bookings import (
    book,
    cancel_booking,
    check_in_booking,
    find_booking,
)
from shared.services.issuing import issue_ticket
from shared.services.service_outlook import branch_outlook
from shared.store.database import Store
from shared.store.models import Booking, Branch
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import JAKARTA, MONDAY_0800

NIK = "3604011203850001"
OTHER_NIK = "3604015507900002"
PHONE = "0812 3456 7890"
MONDAY = MONDAY_0800.date()
TUESDAY = MONDAY + timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def test_slots_offer_what_the_counters_can_serve_minus_walk_ins(store: Store) -> None:
    slots = run(store, booking_slots, "JHT", TUESDAY)
    # 08:00-15:00 in 30-minute slots.
    assert [s.start for s in slots[:2]] == [at(TUESDAY, 8), at(TUESDAY, 8, 30)]
    assert slots[-1].end == at(TUESDAY, 15)
    assert len(slots) == 14
    # JHT at counter 1 (alone) and counters 2, 3 (shared with JKM): 1800 + 900 + 900 s per
    # slot = 5 visits of 12 minutes; half stays for walk-ins.
    assert {s.capacity for s in slots} == {2}
    # JKM: counters 2 and 3, half their time each = 1800 s / 20 min = 1.5 visits; half of it.
    assert {s.capacity for s in run(store, booking_slots, "JKM", TUESDAY)} == {0}


def test_today_offers_only_slots_far_enough_ahead(store: Store, clock: ManualClock) -> None:
    clock.set(at(MONDAY, 10, 50))
    slots = run(store, booking_slots, "JHT", MONDAY)
    assert slots[0].start == at(MONDAY, 11, 30)  # 11:00 is less than 15 minutes away
    days = run(store, booking_days, "JHT")
    assert days[0] == MONDAY and len(days) == 6  # Mon..Fri, then the next Monday
    clock.set(at(MONDAY, 14, 50))
    assert run(store, booking_days, "JHT")[0] == TUESDAY


def test_booking_takes_a_place_and_can_be_found_by_its_code(store: Store) -> None:
    booking = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE)
    assert booking.state == "booked" and booking.slot_start == at(TUESDAY, 9)
    assert booking.nik_last4 == "0001" and booking.phone_end == "890"
    assert booking.check_in_from == at(TUESDAY, 8) and booking.check_in_until == at(
        TUESDAY, 9, 45
    )
    found = run(store, find_booking, format_code(booking.code).lower())
    assert found == booking
    slots = run(store, booking_slots, "JHT", TUESDAY)
    slot = next(s for s in slots if s.start == booking.slot_start)
    assert (slot.booked, slot.free) == (1, 1)
    with store.sessions() as session:
        row = session.scalars(select(Booking)).one()
        # The NIK itself is not stored: only a keyed digest and its last four digits.
        assert NIK not in (row.nik_digest, row.nik_last4) and len(row.nik_digest) == 64


def test_one_active_booking_per_nik_per_service_per_day(store: Store) -> None:
    first = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE)
    with pytest.raises(BookingRefused) as refused:
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 10), NIK, PHONE)
    assert refused.value.reason == "duplicate"
    # Another service, another day, or another person: allowed.
    run(store, book, "JHT", TUESDAY + timedelta(days=1), at(TUESDAY + timedelta(days=1), 9),
        NIK, PHONE)
    run(store, book, "JHT", TUESDAY, at(TUESDAY, 10), OTHER_NIK, PHONE)
    # Cancelling frees the NIK for that day.
    run(store, cancel_booking, first.code)
    again = run(store, book, "JHT", TUESDAY, at(TUESDAY, 11), NIK, PHONE)
    assert again.code != first.code


def test_a_full_slot_is_refused(store: Store) -> None:
    run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE)
    run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), OTHER_NIK, PHONE)
    with pytest.raises(BookingRefused) as refused:
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), "3604016104950003", PHONE)
    assert refused.value.reason == "full"
    assert run(store, booking_slots, "JHT", TUESDAY)[2].free == 0


@pytest.mark.parametrize(
    ("nik", "phone", "reason"),
    [
        ("36040112038500", PHONE, "nik"),  # 14 digits
        ("3604011203850001x", PHONE, "nik"),
        ("0004011203850001", PHONE, "nik"),  # no province 00
        ("3604010000000001", PHONE, "nik"),  # no birth date
        (NIK, "12345", "phone"),
        (NIK, "+1 555 0100 200", "phone"),
    ],
)
def test_bad_identity_is_refused_with_a_reason(
    store: Store, nik: str, phone: str, reason: str
) -> None:
    with pytest.raises(BookingRefused) as refused:
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), nik, phone)
    assert refused.value.reason == reason
    assert run(store, booking_slots, "JHT", TUESDAY)[2].booked == 0


def test_times_that_are_not_slots_are_refused(store: Store, clock: ManualClock) -> None:
    for when in (at(TUESDAY, 9, 10), at(TUESDAY, 15), at(MONDAY, 8)):
        with pytest.raises(BookingRefused) as refused:
            run(store, book, "JHT", when.date(), when, NIK, PHONE)
        assert refused.value.reason == "no_slot"
    with pytest.raises(BookingRefused):  # a holiday
        run(store, book, "JHT", date(2026, 12, 25), at(date(2026, 12, 25), 9), NIK, PHONE)
    with pytest.raises(NotFound):
        run(store, book, "NOPE", TUESDAY, at(TUESDAY, 9), NIK, PHONE)


def test_the_same_request_twice_books_once(store: Store) -> None:
    first = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id="form-1")
    again = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id="form-1")
    assert again.code == first.code
    assert run(store, booking_slots, "JHT", TUESDAY)[2].booked == 1


def test_check_in_gives_a_ticket_called_at_its_slot_before_walk_ins(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    booking = run(store, book, "JHT", MONDAY, at(MONDAY, 9), NIK, PHONE)
    walk_in = run(store, issue_ticket, "JHT")
    clock.set(at(MONDAY, 8, 59))
    ticket = run(store, check_in_booking, booking.code, kiosk="K1", request_id="scan-1")
    assert ticket.label == "A002" and ticket.state == "waiting"
    assert run(store, find_booking, booking.code).ticket_label == "A002"
    # Scanned again (a lost print): the same ticket, not a second one.
    assert run(store, check_in_booking, booking.code, kiosk="K1", request_id="scan-2").id == (
        ticket.id
    )
    run(store, counters.open_counter, 1, staff.ani)
    clock.set(at(MONDAY, 9))
    # Due now: called before the walk-in who came earlier.
    assert called_next(store, 1, staff.ani).label == "A002"
    run(store, serving.no_show, 1, staff.ani)
    assert called_next(store, 1, staff.ani).label == walk_in.label


def test_check_in_too_early_too_late_cancelled_or_unknown(
    store: Store, clock: ManualClock
) -> None:
    booking = run(store, book, "JHT", MONDAY, at(MONDAY, 10), NIK, PHONE)
    other = run(store, book, "JHT", MONDAY, at(MONDAY, 11), OTHER_NIK, PHONE)
    run(store, cancel_booking, other.code)
    clock.set(at(MONDAY, 8, 59))
    with pytest.raises(BookingRefused) as early:
        run(store, check_in_booking, booking.code, kiosk="K1")
    assert early.value.reason == "early" and "09:00" in str(early.value)
    clock.set(at(MONDAY, 10, 46))
    with pytest.raises(BookingRefused) as late:
        run(store, check_in_booking, booking.code, kiosk="K1")
    assert late.value.reason == "expired"
    with pytest.raises(NotFound):
        run(store, check_in_booking, "ABCDE-FGHJK", kiosk="K1")
    with pytest.raises(NotFound):
        run(store, check_in_booking, "x" * 5000, kiosk="K1")
    clock.set(at(MONDAY, 11))
    with pytest.raises(BookingRefused) as cancelled:
        run(store, check_in_booking, other.code, kiosk="K1")
    assert cancelled.value.reason == "cancelled"


def test_a_checked_in_booking_cannot_be_cancelled(store: Store, clock: ManualClock) -> None:
    booking = run(store, book, "JHT", MONDAY, at(MONDAY, 9), NIK, PHONE)
    run(store, check_in_booking, booking.code, kiosk="K1")
    with pytest.raises(BookingRefused) as refused:
        run(store, cancel_booking, booking.code)
    assert refused.value.reason == "used"


def test_walk_ins_leave_room_in_the_quota_for_bookings(store: Store, clock: ManualClock) -> None:
    # RESET: quota 3, issuing 08:00-08:30 on Mondays and Tuesdays; counter 4 serves only it.
    slots = run(store, booking_slots, "RESET", TUESDAY)
    # 30 minutes / 5 minutes = 6 visits, half for walk-ins = 3; but the quota's half is 1.
    assert [(s.capacity, s.free) for s in slots] == [(1, 1)]
    booking = run(store, book, "RESET", TUESDAY, at(TUESDAY, 8), NIK, PHONE)
    clock.set(at(TUESDAY, 8, 0))
    assert [run(store, issue_ticket, "RESET").label for _ in range(2)] == ["D001", "D002"]
    with pytest.raises(IssuingClosed) as full:
        run(store, issue_ticket, "RESET")
    assert full.value.reason == "full"
    # The kiosk and the lobby say so before anyone taps.
    reset = run(store, branch_outlook).service("RESET", False)
    assert reset is not None and (reset.issuing, reset.quota_left) == ("full", 0)
    assert run(store, check_in_booking, booking.code, kiosk="K1").label == "D003"


def test_booking_can_be_switched_off_or_limited(store: Store) -> None:
    with store.sessions() as session, session.begin():
        branch = session.scalars(select(Branch)).one()
        branch.settings = {**branch.settings, "booking": {"services": ["JKM"]}}
    with pytest.raises(BookingRefused) as refused:
        run(store, booking_slots, "JHT", TUESDAY)
    assert refused.value.reason == "not_bookable"
    with store.sessions() as session, session.begin():
        branch = session.scalars(select(Branch)).one()
        branch.settings = {**branch.settings, "booking": {"enabled": False}}
    with pytest.raises(BookingRefused) as off:
        run(store, book, "JKM", TUESDAY, at(TUESDAY, 9), NIK, PHONE)
    assert off.value.reason == "disabled"


def test_racing_visitors_never_overbook_a_slot(store: Store) -> None:
    niks = [f"36040112038{n:05d}" for n in range(1, 9)]

    def try_booking(nik: str) -> str:
        try:
            run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), nik, PHONE)
        except BookingRefused as refused:
            return refused.reason
        return "booked"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = sorted(pool.map(try_booking, niks))
    assert outcomes == ["booked", "booked"] + ["full"] * 6
    assert run(store, booking_slots, "JHT", TUESDAY)[2].booked == 2


def test_bookings_to_come_lengthen_the_walk_ins_estimate(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(4):
        run(store, issue_ticket, "JHT")
    before = run(store, estimate_queue).services
    # Two visitors booked at 08:30 (capacity 2 per slot) will go before later walk-ins.
    for nik in (NIK, OTHER_NIK):
        run(store, book, "JHT", MONDAY, at(MONDAY, 8, 30), nik, PHONE)
    after = run(store, estimate_queue)
    jht = run(store, lambda uow: load_service(uow, "JHT").id)
    now_wait, then_wait = after.services[jht], before[jht]
    assert now_wait is not None and then_wait is not None
    assert now_wait.expected_seconds > then_wait.expected_seconds
    assert all(tid < BOOKING_ID_BASE for tid in after.tickets)  # no estimate for a booking


def test_a_checked_in_booking_is_told_the_time_of_its_slot(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(12):  # a long walk-in queue: a walk-in now would wait well past 09:00
        run(store, issue_ticket, "JHT")
    booking = run(store, book, "JHT", MONDAY, at(MONDAY, 9), NIK, PHONE)
    clock.set(at(MONDAY, 8, 30))
    walk_in_wait = run(store, estimate_queue).services[run(
        store, lambda uow: load_service(uow, "JHT").id)]
    ticket = run(store, check_in_booking, booking.code, kiosk="K1")
    assert ticket.window_low_seconds is not None and ticket.window_high_seconds is not None
    # Called soon after 09:00 (30 minutes from now), not after the walk-ins ahead.
    assert ticket.estimate_seconds is not None and 25 * 60 <= ticket.estimate_seconds <= 40 * 60
    assert walk_in_wait is not None and walk_in_wait.expected_seconds > 60 * 60
