"""Request ids belong to their caller and action, whole: a replay never answers someone else."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from shared.domain.booking import BookingRefused
from shared.domain.errors import NotAllowed
from shared.services import calling, counters
from shared.services.bookings import book, check_in_booking
from shared.services.issuing import issue_ticket
from shared.services.reservations import reserve
from shared.store.database import Store
from shared.store.unit_of_work import REQUEST_ID_LIMIT
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import JAKARTA, MONDAY_0800

NIK = "3604011203850001"
OTHER_NIK = "3604015507900002"
PHONE = "081234567890"
MONDAY = MONDAY_0800.date()
TUESDAY = MONDAY + timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def test_the_same_request_id_from_another_kiosk_is_another_request(store: Store) -> None:
    first = run(store, issue_ticket, "JHT", kiosk="K1", request_id="tap-1")
    assert run(store, issue_ticket, "JHT", kiosk="K1", request_id="tap-1").id == first.id
    other = run(store, issue_ticket, "JHT", kiosk="K2", request_id="tap-1")
    assert other.id != first.id and other.token != first.token


def test_the_same_request_id_for_another_service_is_another_request(store: Store) -> None:
    first = run(store, issue_ticket, "JHT", kiosk="K1", request_id="tap-1")
    other = run(store, issue_ticket, "JKM", kiosk="K1", request_id="tap-1")
    assert other.service_code == "JKM" and other.id != first.id


def test_a_request_id_longer_than_the_limit_is_refused_not_cut(store: Store) -> None:
    """The load run: two issues whose ids shared their first 64 characters, the second got the
    first one's ticket (of another service) back."""
    shared = "k" * REQUEST_ID_LIMIT
    with pytest.raises(NotAllowed, match=f"at most {REQUEST_ID_LIMIT} characters"):
        run(store, issue_ticket, "JHT", kiosk="K1", request_id=shared + "-JHT")
    with pytest.raises(NotAllowed, match=f"at most {REQUEST_ID_LIMIT} characters"):
        run(store, issue_ticket, "JKM", kiosk="K1", request_id=shared + "-JKM")
    # At the limit an id is kept whole.
    assert run(store, issue_ticket, "JHT", kiosk="K1", request_id=shared).label == "A001"


def test_another_officer_replaying_a_request_id_gets_no_one_elses_ticket(
    store: Store, staff: Staff
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    for _ in range(2):
        run(store, issue_ticket, "JHT")
    ani = run(store, calling.call_next, 1, staff.ani, request_id="press-1")
    budi = run(store, calling.call_next, 2, staff.budi, request_id="press-1")
    assert ani is not None and budi is not None
    assert (ani.label, budi.label) == ("A001", "A002")


def test_a_booking_request_replayed_by_another_visitor_does_not_reveal_the_booking(
    store: Store,
) -> None:
    """The first visitor's booking code is enough to cancel it: another visitor sending the
    same request id is refused, and learns nothing."""
    first = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id="form-1")
    with pytest.raises(BookingRefused, match="already used") as refused:
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), OTHER_NIK, PHONE, request_id="form-1")
    assert first.code not in str(refused.value)
    with pytest.raises(BookingRefused, match="already used"):
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, "081299998888",
            request_id="form-1")
    with pytest.raises(BookingRefused, match="already used"):
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 10), NIK, PHONE, request_id="form-1")
    # The same visitor sending the same form again gets their booking.
    again = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id="form-1")
    assert again.code == first.code


def test_a_booking_request_id_longer_than_the_limit_is_refused(store: Store) -> None:
    long_id = "f" * (REQUEST_ID_LIMIT + 1)
    with pytest.raises(BookingRefused, match="at most"):
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id=long_id)


def test_a_check_in_replayed_from_another_booking_gets_its_own_ticket(store: Store) -> None:
    first = run(store, book, "JHT", MONDAY, at(MONDAY, 9), NIK, PHONE)
    second = run(store, book, "JHT", MONDAY, at(MONDAY, 9), OTHER_NIK, PHONE)
    one = run(store, check_in_booking, first.code, kiosk="K1", request_id="scan-1")
    two = run(store, check_in_booking, second.code, kiosk="K1", request_id="scan-1")
    assert one.id != two.id


def test_a_kiosk_reservation_answers_its_request_id_only_to_the_same_request(
    store: Store,
) -> None:
    """A web booking's request id sent by a kiosk (or a kiosk's for another slot) gets no
    code back: the code is enough to cancel."""
    web = run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), NIK, PHONE, request_id="shared-1")
    with pytest.raises(BookingRefused, match="already used") as refused:
        run(store, reserve, "JHT", at(TUESDAY, 9), kiosk="lobi-1", request_id="shared-1")
    assert web.code not in str(refused.value)
    made = run(store, reserve, "JHT", at(TUESDAY, 10), kiosk="lobi-1", request_id="r1")
    assert run(store, reserve, "JHT", at(TUESDAY, 10), kiosk="lobi-1",
               request_id="r1").booking.code == made.booking.code
    with pytest.raises(BookingRefused, match="already used"):
        run(store, reserve, "JHT", at(TUESDAY, 11), kiosk="lobi-1", request_id="r1")
    with pytest.raises(BookingRefused, match="already used"):  # nor the other way round
        run(store, book, "JHT", TUESDAY, at(TUESDAY, 10), NIK, PHONE, request_id="r1")
    with pytest.raises(BookingRefused, match="at most"):
        run(store, reserve, "JHT", at(TUESDAY, 10), kiosk="lobi-1", request_id="r" * 65)
