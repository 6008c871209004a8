"""Each printer failure becomes a kiosk state, a record in the store, and no lost number."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import get_args

import pytest

from kiosk.flow import Screen
from kiosk.settings import KioskOptions, read_kiosk_settings
from shared.i18n import Translator
from shared.printing.layout import layout_ticket
from shared.printing.printers import FilePrinter, ProblemKind, SerialPrinter, VirtualPrinter
from shared.printing.problems import PrinterState
from shared.services.supervision import board_view
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from tests.kiosk.conftest import (
    BOTH_STORES,
    PRINTER_TIMEOUT,
    Kiosk_,
    KioskFactory,
    network_printer,
    new_jobs,
)
from tests.support.fake_printer import FakePrinterProcess
from tests.support.fake_printer_process import SocatPtyPair

pytestmark = pytest.mark.timeout(60)
Printed = Callable[[], list[bytes]]


def stored_state(kiosk: Kiosk_) -> tuple[str, bool]:
    row = kiosk.kiosk_row()
    assert row is not None
    return row.printer_state, row.accepting


@pytest.mark.parametrize(
    ("mode", "state", "words"),
    [
        ("refuse", "refused", "printer menolak sambungan"),
        ("silent", "timeout", "printer tidak menjawab"),
        ("paper_out", "paper_out", "kertas habis"),
        ("cover_open", "offline", "printer offline atau tutupnya terbuka"),
    ],
)
def test_trouble_found_before_issuing_costs_no_number(
    kiosk: Kiosk_, mode: str, state: str, words: str
) -> None:
    assert stored_state(kiosk) == ("ready", True)
    with FakePrinterProcess(mode) as broken:
        kiosk.desk.printer = network_printer(broken)  # the printer fails between two visitors
        kiosk.tap_service("JKM")

        assert kiosk.tickets() == []
        assert broken.received() == b""
        port = broken.port
    assert kiosk.flow.screen is Screen.MESSAGE
    assert f"({words})" in kiosk.window.message.text.text()
    assert "Nomor belum diambil" in kiosk.window.message.text.text()
    assert stored_state(kiosk) == (state, False)  # counters and supervisors see it
    row = kiosk.kiosk_row()
    assert row is not None
    # One line naming the port; the board puts the advice in the officer's language before it.
    assert row.detail.startswith(f"printer 127.0.0.1:{port}: ") and "\n" not in row.detail
    kiosk.flow.go_home()
    home = kiosk.window.home
    assert home.banner.isVisible() and words in home.banner.text()
    assert not home.grid.isEnabled() and not home.priority.isEnabled()


@BOTH_STORES
def test_connection_dropped_mid_job_keeps_the_ticket_on_screen(
    make_kiosk: KioskFactory, shared_printer: FakePrinterProcess, printed: Printed
) -> None:
    with FakePrinterProcess("drop", drop_after=32) as dropping:
        kiosk = make_kiosk(printer=network_printer(dropping))
        kiosk.tap_service("JKM")

        [ticket] = kiosk.tickets()
        assert ticket.label == "B001" and ticket.state == "waiting"  # the number stays valid
        slip = kiosk.flow.last_slip
        assert slip is not None
        assert dropping.wait_for("DROP").fields["bytes"] == "32"
        assert dropping.received() == layout_ticket(slip, 80)[:32]
    result = kiosk.window.result
    assert kiosk.flow.screen is Screen.RESULT
    assert result.number.text() == "B001"
    assert "Foto layar ini" in result.instruction.text()
    assert result.picture.has_picture()  # the slip with its QR, to photograph
    assert stored_state(kiosk) == ("disconnected", False)
    kiosk.flow.go_home()
    assert not kiosk.window.home.grid.isEnabled()  # stops issuing until the printer is back

    kiosk.desk.printer = network_printer(shared_printer)  # cable plugged back in
    kiosk.flow.check_printer()  # what the recheck timer does
    assert stored_state(kiosk) == ("ready", True)
    assert kiosk.window.home.grid.isEnabled() and not kiosk.window.home.banner.isVisible()
    kiosk.flow.maintenance.reprint_last()  # maintenance: the ticket that did not come out
    assert printed() == [layout_ticket(slip, 80)]


def test_the_kiosk_rechecks_until_the_printer_is_back(
    make_kiosk: KioskFactory, shared_printer: FakePrinterProcess
) -> None:
    with FakePrinterProcess("paper_out") as empty:
        kiosk = make_kiosk(printer=network_printer(empty), recheck_ms=50)
        assert kiosk.flow.health.state == "paper_out"
        assert kiosk.flow.recheck_timer.isActive()
    kiosk.desk.printer = network_printer(shared_printer)  # a new roll
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.health.ok, timeout=10_000)
    assert kiosk.flow.recheck_timer.isActive()  # and it keeps watching the healthy printer
    assert stored_state(kiosk) == ("ready", True)


def test_a_slow_printer_that_prints_is_not_reported_as_failed(make_kiosk: KioskFactory) -> None:
    # 300 bytes a second: the ticket takes longer to print than a step's timeout, and the
    # answer to the status query after it comes only then.
    with FakePrinterProcess("ok", bytes_per_second=300) as slow:
        kiosk = make_kiosk(printer=network_printer(slow))
        kiosk.tap_service("JKM")
        slip = kiosk.last_slip()
        assert len(layout_ticket(slip, 80)) / 300 > PRINTER_TIMEOUT
        assert new_jobs(slow, 0) == [layout_ticket(slip, 80)]
    assert kiosk.flow.health.ok and stored_state(kiosk) == ("ready", True)
    # "Take your ticket", not "not printed: take a photo of this screen"
    assert kiosk.window.result.instruction.text() == Translator("id")("kiosk.result.take_ticket")


def test_the_idle_health_check_follows_the_printer_both_ways(make_kiosk: KioskFactory) -> None:
    with FakePrinterProcess("ok") as fake:
        kiosk = make_kiosk(printer=network_printer(fake), recheck_ms=50)
        assert stored_state(kiosk) == ("ready", True)
        home = kiosk.window.home

        fake.set_mode("paper_low")  # nobody prints; the roll runs low all the same
        kiosk.qtbot.waitUntil(lambda: stored_state(kiosk) == ("paper_low", True), timeout=10_000)
        fake.set_mode("ok")  # a new roll: the board's "paper low" goes away
        kiosk.qtbot.waitUntil(lambda: stored_state(kiosk) == ("ready", True), timeout=10_000)

        fake.set_mode("silent")  # switched off while idle: noticed before any visitor comes
        kiosk.qtbot.waitUntil(lambda: stored_state(kiosk) == ("timeout", False), timeout=10_000)
        assert home.banner.isVisible() and "printer tidak menjawab" in home.banner.text()
        assert not home.grid.isEnabled()
        assert kiosk.tickets() == []

        fake.set_mode("ok")
        kiosk.qtbot.waitUntil(lambda: stored_state(kiosk) == ("ready", True), timeout=10_000)
        assert home.grid.isEnabled() and not home.banner.isVisible()


def test_the_health_check_interval_comes_from_the_printer_settings(kiosk_store: Store) -> None:
    with UnitOfWork(kiosk_store, "TST") as uow:
        settings = read_kiosk_settings(uow, KioskOptions("K1"))
    assert settings.printer_recheck_ms == settings.printer.health_check_seconds * 1000


def test_screen_only_tickets_keep_the_kiosk_issuing(make_kiosk: KioskFactory) -> None:
    with FakePrinterProcess("refuse") as refusing:
        kiosk = make_kiosk(printer=network_printer(refusing), screen_only=True)
        home = kiosk.window.home
        assert home.banner.isVisible() and "ditampilkan di layar" in home.banner.text()
        assert home.grid.isEnabled()
        kiosk.tap_service("JKM")
        kiosk.tap(kiosk.window.result.done_button)
        kiosk.tap_service("JKM")
    assert [t.label for t in kiosk.tickets()] == ["B001", "B002"]
    result = kiosk.window.result
    assert result.number.text() == "B002" and result.picture.has_picture()
    assert "Printer sedang tidak tersedia" in result.instruction.text()
    assert stored_state(kiosk) == ("refused", True)


@pytest.fixture
def ptys() -> Iterator[SocatPtyPair]:
    with SocatPtyPair() as pair:
        yield pair


def test_serial_printer_through_socat(make_kiosk: KioskFactory, ptys: SocatPtyPair) -> None:
    with FakePrinterProcess("ok", serial_device=ptys.far) as fake:
        kiosk = make_kiosk(printer=SerialPrinter(ptys.near, 19200, "none", PRINTER_TIMEOUT))
        kiosk.tap_service("JKM")
        slip = kiosk.flow.last_slip
        assert slip is not None
        # The whole serial session is one "job" to the fake: the ticket, without the queries.
        assert fake.received() == layout_ticket(slip, 80)
    assert [t.label for t in kiosk.tickets()] == ["B001"]
    assert kiosk.window.result.instruction.text() == Translator("id")("kiosk.result.take_ticket")


def test_serial_paper_out(make_kiosk: KioskFactory, ptys: SocatPtyPair) -> None:
    with FakePrinterProcess("paper_out", serial_device=ptys.far) as fake:
        kiosk = make_kiosk(printer=SerialPrinter(ptys.near, timeout=PRINTER_TIMEOUT))
        assert kiosk.flow.health.state == "paper_out"
        assert not kiosk.window.home.grid.isEnabled()
        assert fake.received() == b""
    assert stored_state(kiosk) == ("paper_out", False)


def test_missing_device_file_is_not_found(make_kiosk: KioskFactory, tmp_path: Path) -> None:
    kiosk = make_kiosk(printer=FilePrinter(str(tmp_path / "lp0"), timeout=PRINTER_TIMEOUT))
    assert kiosk.flow.health.state == "not_found"
    assert "printer tidak ditemukan" in kiosk.window.home.banner.text()


def test_a_printer_without_status_is_trusted_while_reachable(
    make_kiosk: KioskFactory, tmp_path: Path
) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    kiosk = make_kiosk(printer=FilePrinter(str(device), timeout=PRINTER_TIMEOUT))
    assert kiosk.flow.health.state == "unchecked" and kiosk.flow.health.ok
    assert board_alerts(kiosk) == []  # it cannot report; that is no reason to call anyone
    kiosk.tap_service("JKM")
    assert device.read_bytes() == layout_ticket(kiosk.last_slip(), 80)

    device.unlink()  # unplugged while nobody prints
    kiosk.flow.check_printer()  # what the idle health check does
    assert stored_state(kiosk) == ("not_found", False)
    assert board_alerts(kiosk) == [("not_found", f"printer {device}: No such file or directory")]


def board_alerts(kiosk: Kiosk_) -> list[tuple[str, str]]:
    with UnitOfWork(kiosk.store, "TST") as uow:
        return [(line.printer_state, line.detail) for line in board_view(uow).alerts]


def test_virtual_printer_shows_and_files_the_ticket(
    make_kiosk: KioskFactory, tmp_path: Path
) -> None:
    printer = VirtualPrinter(tmp_path / "tickets", 80)
    kiosk = make_kiosk(printer=printer)
    kiosk.tap_service("JKM")
    [png] = (tmp_path / "tickets").glob("B001-*.png")
    assert png.with_suffix(".bin").read_bytes() == layout_ticket(kiosk.last_slip(), 80)
    assert kiosk.window.result.picture.has_picture()
    printer.simulated_state = PrinterState.PAPER_OUT
    kiosk.flow.check_printer()
    assert stored_state(kiosk) == ("paper_out", False)


def test_every_problem_kind_has_visitor_words() -> None:
    for language in ("id", "en"):
        tr = Translator(language)
        for state in (*get_args(ProblemKind), "ready", "paper_low", "unchecked"):
            assert tr(f"kiosk.printer.{state}").strip()
