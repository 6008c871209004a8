"""Input from outside refused plainly on both databases: days outside the booking period, text
with control characters (PostgreSQL cannot store a NUL byte), repeated printer reports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from shared.domain.booking import BookingRefused
from shared.domain.errors import AuthenticationFailed, NotAllowed, NotFound
from shared.services import counters, kiosks, officers
from shared.services.access import load_service
from shared.services.booking_offer import booking_slots
from shared.services.bookings import book
from shared.services.issuing import issue_ticket
from shared.services.survey import answer_survey
from shared.services.ticket_status import ticket_status
from shared.store.database import Store
from shared.store.models import Event, Kiosk
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import JAKARTA, MONDAY_0800

MONDAY = MONDAY_0800.date()
NIK = "3604011203850001"
PHONE = "081234567890"


def _nine(day: date) -> datetime:  # the 09:00 slot of a day, as the booking form sends it
    return datetime.combine(day, time(9), JAKARTA)


@pytest.mark.parametrize(
    "day",
    [MONDAY + timedelta(days=8),  # one past `booking.days_ahead` (7)
     date(2031, 1, 7),  # years ahead (a Tuesday)
     date(9999, 12, 31),  # the last date there is: no slot arithmetic may overflow on it
     MONDAY - timedelta(days=1)],  # yesterday
)
def test_a_day_outside_the_booking_period_is_refused(store: Store, day: date) -> None:
    with pytest.raises(BookingRefused) as refused:
        run(store, booking_slots, "JHT", day)
    assert refused.value.reason == "period" and "7 days ahead" in str(refused.value)
    with pytest.raises(BookingRefused) as refused:
        run(store, book, "JHT", day, _nine(day), NIK, PHONE)
    assert refused.value.reason == "period"


def test_the_last_day_of_the_booking_period_can_be_booked(store: Store) -> None:
    last = MONDAY + timedelta(days=7)
    assert run(store, booking_slots, "JHT", last)
    assert run(store, book, "JHT", last, _nine(last), NIK, PHONE).state == "booked"


def test_names_codes_and_tokens_with_a_nul_byte_are_refused_plainly(store: Store) -> None:
    with pytest.raises(NotAllowed, match="kiosk name may not hold control characters"):
        run(store, kiosks.report_printer, "K1\x00", "ready")
    with pytest.raises(NotAllowed, match="kiosk name may not hold control characters"):
        run(store, issue_ticket, "JHT", kiosk="K\x001")
    with pytest.raises(NotFound):
        run(store, load_service, "JHT\x00")
    with pytest.raises(NotFound):
        run(store, ticket_status, "\x00")
    with pytest.raises(NotFound):
        run(store, answer_survey, "t\x00", {})
    # Nothing of it was stored, and the store still answers.
    assert run(store, lambda uow: uow.session.scalar(select(func.count()).select_from(Kiosk))) == 0
    assert run(store, kiosks.report_printer, "K1", "ready") is True


def test_a_pause_reason_with_a_nul_byte_is_refused_plainly(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    with pytest.raises(NotAllowed, match="pause may not hold control characters"):
        run(store, counters.pause_counter, 1, staff.ani, "istirahat\x00")
    run(store, counters.pause_counter, 1, staff.ani, "istirahat")


def test_a_login_with_a_nul_byte_is_a_wrong_id_not_a_crash(store: Store, staff: Staff) -> None:
    with pytest.raises(AuthenticationFailed, match="wrong officer id or PIN"):
        run(store, officers.authenticate, "ani\x00", "1234")
    assert run(store, officers.authenticate, "ani", "1234").id == staff.ani


def _printer_events(uow: UnitOfWork) -> list[str]:
    return list(uow.session.scalars(
        select(Event.detail).where(Event.kind == "kiosk.printer").order_by(Event.id)
    ))


def test_a_repeated_printer_report_writes_one_short_event(store: Store) -> None:
    state, detail = "paper_out" + "!" * 5000, "no paper " * 1200  # a printer gone wild: 16 kB
    assert run(store, kiosks.report_printer, "K1", state, detail, False) is True
    for _ in range(3):
        assert run(store, kiosks.report_printer, "K1", state, detail, False) is False
    events = run(store, _printer_events)
    assert len(events) == 1 and len(events[0]) < 500
    # A report that differs only past what is stored is no change either; a real one is.
    assert run(store, kiosks.report_printer, "K1", state + "?", detail + "?", False) is False
    assert run(store, kiosks.report_printer, "K1", "ready", "", True) is True
    assert run(store, kiosks.report_printer, "K1", "ready\x00", "\x00", True) is False
    assert len(run(store, _printer_events)) == 2
