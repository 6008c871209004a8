"""The supervisor's hidden door: gesture, PIN, printer test, reprint, close and open."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.flow import Screen
from shared.printing.layout import layout_ticket
from tests.conftest import PASSWORD, Staff
from tests.kiosk.conftest import BOTH_STORES, Kiosk_, KioskFactory

Printed = Callable[[], list[bytes]]


def open_door(kiosk: Kiosk_, taps: int = 5) -> None:
    for _ in range(taps):
        kiosk.tap(kiosk.window.branch)


def log_in(kiosk: Kiosk_, login: str, pin: str) -> None:
    pin_screen = kiosk.window.pin
    pin_screen.login.setText(login)
    keys = pin_screen.keyboard.keys
    pin_screen.keyboard.target = pin_screen.pin
    for digit in pin:
        kiosk.tap(keys[digit])
    kiosk.tap(pin_screen.submit_button)


@pytest.fixture
def maintained(kiosk: Kiosk_, staff: Staff) -> Kiosk_:
    open_door(kiosk)
    log_in(kiosk, "sri", PASSWORD)
    assert kiosk.flow.screen is Screen.MAINTENANCE
    return kiosk


def test_five_taps_on_the_branch_name_open_the_pin_screen(kiosk: Kiosk_) -> None:
    open_door(kiosk, taps=4)
    assert kiosk.flow.screen is Screen.HOME
    kiosk.tap(kiosk.window.branch)
    assert kiosk.flow.screen is Screen.PIN
    assert kiosk.window.pin.login.isVisible()  # no kiosk PIN: a supervisor logs in


@BOTH_STORES
def test_only_a_supervisor_gets_in(kiosk: Kiosk_, staff: Staff) -> None:
    open_door(kiosk)
    log_in(kiosk, "sri", "9999")
    assert kiosk.flow.screen is Screen.PIN
    assert kiosk.window.pin.message.text().startswith("ID petugas atau PIN salah")
    log_in(kiosk, "ani", "1234")  # an officer, not a supervisor
    assert kiosk.flow.screen is Screen.PIN
    log_in(kiosk, "sri", PASSWORD)
    assert kiosk.flow.screen is Screen.MAINTENANCE
    assert "Printer: siap" in kiosk.window.maintenance.printer.text()


def test_the_branch_kiosk_pin(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(maintenance_pin="2468")
    open_door(kiosk)
    assert not kiosk.window.pin.login.isVisible()
    log_in(kiosk, "", "1111")
    assert kiosk.flow.screen is Screen.PIN
    log_in(kiosk, "", "2468")
    assert kiosk.flow.screen is Screen.MAINTENANCE


def test_printer_test_page(maintained: Kiosk_, printed: Printed) -> None:
    maintained.tap(maintained.window.maintenance.test)
    [job] = printed()
    assert b"TES" in job and b"Tes printer" in job and b"lobi-1" in job
    assert maintained.window.maintenance.message.text() == "Tercetak: TES"


def test_reprint_the_last_ticket(maintained: Kiosk_, printed: Printed) -> None:
    maintained.tap(maintained.window.maintenance.reprint)
    assert maintained.window.maintenance.message.text().startswith("Belum ada tiket")
    maintained.tap(maintained.window.maintenance.done_button)
    maintained.tap_service("JKM")
    slip = maintained.flow.last_slip
    assert slip is not None
    open_door(maintained)
    log_in(maintained, "sri", PASSWORD)
    maintained.tap(maintained.window.maintenance.reprint)
    assert printed() == [layout_ticket(slip, 80)] * 2
    assert len(maintained.tickets()) == 1  # a reprint is not a new number


def test_close_and_open_the_kiosk(maintained: Kiosk_) -> None:
    screen = maintained.window.maintenance
    maintained.tap(screen.toggle)
    assert screen.toggle.text() == "Buka anjungan"
    row = maintained.kiosk_row()
    assert row is not None and row.accepting is False
    maintained.tap(screen.done_button)
    home = maintained.window.home
    assert home.banner.text().startswith("Anjungan ini sedang ditutup")
    assert not home.grid.isEnabled() and not home.checkin.isEnabled()
    open_door(maintained)
    log_in(maintained, "sri", PASSWORD)
    maintained.tap(screen.toggle)
    row = maintained.kiosk_row()
    assert row is not None and row.accepting is True
    maintained.tap(screen.done_button)
    assert home.grid.isEnabled() and not home.banner.isVisible()


def test_quit_is_asked_of_the_application(maintained: Kiosk_) -> None:
    with maintained.qtbot.waitSignal(maintained.flow.maintenance.quit_requested, timeout=1000):
        maintained.tap(maintained.window.maintenance.quit)


def test_maintenance_left_alone_goes_home(make_kiosk: KioskFactory, staff: Staff) -> None:
    kiosk = make_kiosk(idle_ms=50)
    open_door(kiosk)
    log_in(kiosk, "sri", PASSWORD)
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.HOME, timeout=5000)
