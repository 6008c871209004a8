"""Booking check-in: typed on the touch keyboard or "typed" by a USB QR scanner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.booking import clean_code
from kiosk.flow import Screen
from shared.domain.errors import NotFound
from shared.printing.layout import layout_ticket
from shared.services.bookings import StoreBookingDesk, book
from shared.services.issuing import issue_ticket
from shared.services.views import TicketView
from shared.store.unit_of_work import UnitOfWork
from tests.kiosk.conftest import BOTH_STORES, Kiosk_, KioskFactory

Printed = Callable[[], list[bytes]]


class OneBookingDesk:
    """A test double of a booking desk: one booking, for JKM, due now."""

    CODE = "BK7Q2"

    def __init__(self) -> None:
        self.codes: list[str] = []

    def check_in(self, uow: UnitOfWork, code: str, *, kiosk: str, request_id: str) -> TicketView:
        self.codes.append(code)
        if code != self.CODE:
            raise NotFound(f"no booking {code}")
        return issue_ticket(uow, "JKM", kiosk=kiosk, due_at=uow.now(), request_id=request_id)


def scan(kiosk: Kiosk_, text: str) -> None:
    """A scanner is a keyboard: each key goes to whatever has the focus, then Enter."""
    kiosk.window.activateWindow()
    kiosk.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    for char in text:
        kiosk.qtbot.keyClick(QApplication.focusWidget(), char)
    kiosk.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def type_on_screen(kiosk: Kiosk_, text: str) -> None:
    for char in text:
        kiosk.tap(kiosk.window.check_in.keyboard.keys[char])


def test_without_online_booking_the_kiosk_says_so(kiosk: Kiosk_, printed: Printed) -> None:
    kiosk.tap(kiosk.window.home.checkin)
    assert kiosk.flow.screen is Screen.CHECK_IN
    type_on_screen(kiosk, "AB12")
    assert kiosk.window.check_in.code.text() == "AB12"
    kiosk.tap(kiosk.window.check_in.submit_button)

    message = kiosk.window.check_in.message
    assert message.isVisible()
    assert message.text().startswith("Kantor cabang ini tidak menerima antrean online")
    assert kiosk.window.check_in.submit_button.isEnabled()  # they may go back or retry
    assert kiosk.tickets() == [] and printed() == []


def test_an_empty_code_asks_for_one(kiosk: Kiosk_) -> None:
    kiosk.tap(kiosk.window.home.checkin)
    kiosk.tap(kiosk.window.check_in.submit_button)
    assert kiosk.window.check_in.message.text().startswith("Ketik atau pindai")


@BOTH_STORES
def test_a_scanned_booking_gets_its_ticket(make_kiosk: KioskFactory, printed: Printed) -> None:
    desk = OneBookingDesk()
    kiosk = make_kiosk(bookings=desk)
    scan(kiosk, OneBookingDesk.CODE)  # straight from the home screen

    assert desk.codes == [OneBookingDesk.CODE]
    [ticket] = kiosk.tickets()
    assert ticket.label == "B001" and ticket.due_at is not None
    assert kiosk.flow.screen is Screen.RESULT
    assert printed() == [layout_ticket(kiosk.last_slip(), 80)]


def test_an_unknown_booking_code(make_kiosk: KioskFactory, printed: Printed) -> None:
    kiosk = make_kiosk(bookings=OneBookingDesk())
    kiosk.tap(kiosk.window.home.checkin)
    type_on_screen(kiosk, "ZZ9")
    kiosk.tap(kiosk.window.check_in.submit_button)
    assert kiosk.window.check_in.message.text().startswith("Kode booking tidak ditemukan")
    assert kiosk.tickets() == [] and printed() == []


def test_scanned_links_lose_stray_whitespace() -> None:
    assert clean_code("  https://antrean.example.id/b/BK7Q2 \n") == (
        "https://antrean.example.id/b/BK7Q2"
    )
    assert len(clean_code("X" * 1000)) == 200


def _book(kiosk: Kiosk_, hour: int, minute: int = 0) -> str:
    today = kiosk.clock.now().astimezone(kiosk.settings.timezone)
    slot = today.replace(hour=hour, minute=minute, second=0, microsecond=0)
    with UnitOfWork(kiosk.store, "TST") as uow:
        booking = book(uow, "JHT", slot.date(), slot, "3604011203850001", "081234567890")
    return booking.code


@BOTH_STORES
def test_a_real_booking_scanned_as_its_link_is_checked_in(
    make_kiosk: KioskFactory, printed: Printed
) -> None:
    kiosk = make_kiosk(bookings=StoreBookingDesk())
    code = _book(kiosk, 9)
    kiosk.move_clock_to(8, 30)
    scan(kiosk, f"http://localhost:8080/b/{code}")
    [ticket] = kiosk.tickets()
    assert ticket.label == "A001" and ticket.due_at is not None
    assert ticket.due_at.astimezone(kiosk.settings.timezone).hour == 9
    assert kiosk.flow.screen is Screen.RESULT
    [job] = printed()
    assert b" Antrean online \n" in job  # the ticket says it was booked


def test_a_booking_too_early_says_when_to_come(make_kiosk: KioskFactory, printed: Printed) -> None:
    kiosk = make_kiosk(bookings=StoreBookingDesk())
    code = _book(kiosk, 11)
    kiosk.tap(kiosk.window.home.checkin)
    type_on_screen(kiosk, code)
    kiosk.tap(kiosk.window.check_in.submit_button)
    assert kiosk.window.check_in.message.text().startswith(
        "Konfirmasi kedatangan untuk booking ini dibuka pukul 10:00"
    )
    assert kiosk.tickets() == [] and printed() == []
