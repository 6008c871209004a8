"""A visitor turned away today is offered a slot on the next day, booked and printed at once,
and checked in with its code like any booking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from kiosk.flow import Screen
from shared.domain.booking import format_code
from shared.services.bookings import StoreBookingDesk
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.turn_aways import TURNED_AWAY
from shared.store.models import Booking, Event
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.kiosk.conftest import BOTH_STORES, Kiosk_, KioskFactory
from tests.support.actions import run

Printed = Callable[[], list[bytes]]
JAKARTA = ZoneInfo("Asia/Jakarta")


def bookings(kiosk: Kiosk_) -> list[Booking]:
    with UnitOfWork(kiosk.store, "TST") as uow:
        found = list(uow.session.scalars(select(Booking).order_by(Booking.id)))
        uow.session.expunge_all()
        return found


def turn_aways(kiosk: Kiosk_) -> list[str]:
    """The refusals the kiosk counted (`service.turned_away`), by their detail."""
    with UnitOfWork(kiosk.store, "TST") as uow:
        return list(uow.session.scalars(
            select(Event.detail).where(Event.kind == TURNED_AWAY).order_by(Event.id)
        ))


def turned_away_at_two(kiosk: Kiosk_, staff: Staff) -> None:
    """JHT at 14:00 with two hours of work ahead of its one open counter: refused for
    capacity (JKM's counters, shared with JHT, leave it no room to book)."""
    run(kiosk.store, open_counter, 1, staff.ani)
    for _ in range(10):
        run(kiosk.store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    kiosk.move_clock_to(14, 0)
    kiosk.tap_service("JHT")


@BOTH_STORES
def test_a_refusal_offers_tomorrows_first_slot_and_books_it_without_a_nik(
    make_kiosk: KioskFactory, staff: Staff, printed: Printed
) -> None:
    kiosk = make_kiosk(bookings=StoreBookingDesk())
    turned_away_at_two(kiosk, staff)
    message = kiosk.window.message
    assert kiosk.flow.screen is Screen.MESSAGE
    assert "tidak terlayani sebelum kantor tutup" in message.text.text()
    assert message.reserve_button.isVisible()
    assert message.reserve_button.text() == "Ambil jadwal besok 08:00"
    assert message.home_button.text() == "Tidak, terima kasih"
    assert bookings(kiosk) == []  # nothing is booked until the visitor says yes
    assert turn_aways(kiosk) == ["capacity at lobi-1"]  # counted once, before any answer

    kiosk.tap(message.reserve_button)
    kiosk.tap(message.reserve_button)  # a second tap books nothing more
    [booking] = bookings(kiosk)
    tuesday_eight = datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA)
    assert booking.slot_start == tuesday_eight
    assert (booking.nik_last4, booking.phone) == ("", "")
    assert kiosk.flow.screen is Screen.MESSAGE
    assert format_code(booking.code) in message.text.text()
    [job] = printed()  # the reservation slip, with its code and the QR of its page
    assert format_code(booking.code).encode() in job
    assert f"/b/{booking.code}".encode() in job
    assert len(kiosk.tickets()) == 10  # no ticket for today

    # Tomorrow at 07:30 (check-in opens an hour before the slot) the code gives a ticket.
    kiosk.clock.set(tuesday_eight - timedelta(minutes=30))
    kiosk.flow.go_home()
    kiosk.flow.check_in(f"http://localhost:8080/b/{booking.code}")  # as the scanner reads it
    assert kiosk.flow.screen is Screen.RESULT
    ticket = kiosk.window.result.outcome.ticket if kiosk.window.result.outcome else None
    assert ticket is not None and ticket.booked and ticket.service_code == "JHT"


def test_the_visitor_may_decline(make_kiosk: KioskFactory, staff: Staff, printed: Printed) -> None:
    kiosk = make_kiosk(bookings=StoreBookingDesk())
    turned_away_at_two(kiosk, staff)
    kiosk.tap(kiosk.window.message.home_button)
    assert kiosk.flow.screen is Screen.HOME
    assert bookings(kiosk) == [] and printed() == []


def test_a_full_quota_offers_a_slot_too_in_english(
    make_kiosk: KioskFactory, printed: Printed
) -> None:
    kiosk = make_kiosk(bookings=StoreBookingDesk())
    for _ in range(3):  # RESET's quota
        run(kiosk.store, issue_ticket, "RESET")
    kiosk.flow.refresh_offer()
    kiosk.flow.set_language("en")
    kiosk.tap_service("RESET")
    message = kiosk.window.message
    assert "Today's tickets are all taken" in message.text.text()
    assert message.reserve_button.text() == "Book a slot tomorrow 08:00"
    kiosk.tap(message.reserve_button)
    [booking] = bookings(kiosk)
    assert format_code(booking.code) in message.text.text()
    assert turn_aways(kiosk) == ["full at lobi-1"]


def test_closed_hours_offer_no_slot(kiosk: Kiosk_) -> None:
    kiosk.move_clock_to(9, 0)  # RESET issues 08:00-08:30 only: closed, not a turn-away
    kiosk.tap_service("RESET")
    assert kiosk.flow.screen is Screen.MESSAGE
    assert not kiosk.window.message.reserve_button.isVisible()
