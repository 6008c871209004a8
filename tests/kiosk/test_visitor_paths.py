"""A visitor taps through each path; the store holds the ticket, the printer got its bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.flow import Screen
from shared.changes import watch_changes
from shared.printing.layout import layout_ticket
from shared.qt.changes import ChangeSignals
from shared.qt.operations import Done, Failed
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.store.models import Ticket
from tests.conftest import Staff
from tests.kiosk.conftest import BOTH_STORES, KIOSK_NAME, Kiosk_, KioskFactory
from tests.support.actions import run

Printed = Callable[[], list[bytes]]


@BOTH_STORES
def test_a_service_without_documents_is_one_tap(kiosk: Kiosk_, printed: Printed) -> None:
    kiosk.tap_service("JKM")

    [ticket] = kiosk.tickets()
    assert (ticket.label, ticket.priority, ticket.kiosk) == ("B001", False, KIOSK_NAME)
    assert kiosk.flow.screen is Screen.RESULT
    assert kiosk.window.result.number.text() == "B001"
    slip = kiosk.flow.last_slip
    assert slip is not None and slip.label == "B001"
    assert slip.status_url == "http://localhost:8080/t/" + ticket.token
    assert printed() == [layout_ticket(slip, 80)]


@BOTH_STORES
def test_normal_path_shows_documents_then_prints_them(
    kiosk: Kiosk_, printed: Printed, staff: Staff
) -> None:
    run(kiosk.store, open_counter, 1, staff.ani)
    run(kiosk.store, issue_ticket, "JHT")  # someone is already waiting
    kiosk.flow.refresh_offer()
    kiosk.tap_service("JHT")

    assert kiosk.flow.screen is Screen.DOCUMENTS
    assert "KTP" in kiosk.window.documents.documents.text()
    assert "1 orang menunggu" in kiosk.window.documents.status.text()
    assert kiosk.tickets()[-1].label == "A001"  # nothing issued by looking
    kiosk.tap(kiosk.window.documents.take_button)

    ticket = kiosk.tickets()[-1]
    assert (ticket.label, ticket.ahead_at_issue, ticket.state) == ("A002", 1, "waiting")
    assert kiosk.window.result.number.text() == "A002"
    assert kiosk.window.result.ahead.text() == "Orang di depan Anda: 1"
    assert kiosk.window.result.call_window.text().startswith("Perkiraan dipanggil: 08:")
    [job] = printed()
    assert job == layout_ticket(kiosk.last_slip(), 80)
    assert b"A002" in job and b"Kartu peserta BPJS Ketenagakerjaan" in job
    assert ticket.token.encode() in job  # inside the QR code's data


def test_home_shows_waiting_and_estimated_wait(kiosk: Kiosk_) -> None:
    run(kiosk.store, issue_ticket, "JKM")
    run(kiosk.store, issue_ticket, "JKM")
    kiosk.flow.refresh_offer()
    status = kiosk.window.home.grid.button("JKM").status.text()
    assert status.startswith("2 orang menunggu · tunggu ")
    assert "menit" in status


@BOTH_STORES
def test_priority_path(kiosk: Kiosk_, printed: Printed) -> None:
    kiosk.tap(kiosk.window.home.priority)
    assert kiosk.flow.screen is Screen.PRIORITY
    # RESET takes no priority visitors, so it is not offered on this path.
    assert [b.code for b in kiosk.window.priority.grid.buttons] == ["JHT", "JKM"]
    kiosk.tap(kiosk.window.priority.grid.button("JKM"))

    [ticket] = kiosk.tickets()
    assert ticket.priority is True
    assert kiosk.window.result.badge.isVisible()
    [job] = printed()
    assert b"\x1dB\x01 Prioritas \n" in job  # printed white on black


def test_closed_service_says_when_it_opens_and_issues_nothing(
    kiosk: Kiosk_, printed: Printed
) -> None:
    kiosk.move_clock_to(9, 0)  # RESET issues only 08:00-08:30
    button = kiosk.window.home.grid.button("RESET")
    assert button.status.text() == "Nomor hanya 08:00–08:30. Buka lagi besok pukul 08:00"
    kiosk.tap(button)

    assert kiosk.flow.screen is Screen.MESSAGE
    assert "Buka lagi besok pukul 08:00" in kiosk.window.message.text.text()
    assert kiosk.tickets() == [] and printed() == []
    kiosk.tap(kiosk.window.message.home_button)
    assert kiosk.flow.screen is Screen.HOME


def test_closed_branch_before_opening(kiosk: Kiosk_) -> None:
    kiosk.clock.advance(5 * 24 * 3600)
    kiosk.flow.refresh_offer()
    status = kiosk.window.home.grid.button("JKM").status.text()
    assert status == "Tutup. Buka lagi Senin, 30 November pukul 08:00"


def test_full_today_gives_the_earliest_time(kiosk: Kiosk_, printed: Printed) -> None:
    for _ in range(3):  # RESET's quota
        kiosk.tap_service("RESET")
        kiosk.flow.go_home()
    assert [t.label for t in kiosk.tickets()] == ["D001", "D002", "D003"]
    assert len(printed()) == 3
    kiosk.flow.refresh_offer()  # what the change signal does in the app
    button = kiosk.window.home.grid.button("RESET")
    assert button.status.text() == (
        "Kuota hari ini sudah habis. Dapat diambil lagi besok pukul 08:00"
    )
    kiosk.tap(button)
    assert kiosk.flow.screen is Screen.MESSAGE
    assert len(kiosk.tickets()) == 3 and len(printed()) == 3


@BOTH_STORES
def test_full_found_only_by_the_engine_is_told_the_same_way(
    kiosk: Kiosk_, printed: Printed
) -> None:
    for _ in range(3):  # another kiosk takes the last numbers; this screen has not refreshed
        run(kiosk.store, issue_ticket, "RESET")
    kiosk.tap_service("RESET")
    assert kiosk.flow.screen is Screen.MESSAGE
    assert "Kuota hari ini sudah habis" in kiosk.window.message.text.text()
    assert len(kiosk.tickets()) == 3 and printed() == []
    assert not kiosk.window.home.grid.button("RESET").available  # refreshed meanwhile


def test_capacity_near_closing(kiosk: Kiosk_, printed: Printed, staff: Staff) -> None:
    run(kiosk.store, open_counter, 3, staff.ani)
    for _ in range(6):  # two hours of JKM work for one counter
        run(kiosk.store, issue_ticket, "JKM", admission=Admission.ANY_HOUR)
    kiosk.move_clock_to(14, 0)
    button = kiosk.window.home.grid.button("JKM")
    assert button.status.text() == (
        "Antrean sudah penuh, tidak terlayani sebelum kantor tutup."
        " Silakan datang lagi besok pukul 08:00"
    )
    kiosk.tap(button)
    assert kiosk.flow.screen is Screen.MESSAGE
    # The service on its own line: no "Klaim JKM: Penuh: …" run of colons.
    name, why = kiosk.window.message.text.text().split("\n")
    assert name == "Klaim JKM" and why == button.status.text()
    assert len(kiosk.tickets()) == 6 and printed() == []


def test_double_tap_makes_one_ticket(kiosk: Kiosk_, printed: Printed) -> None:
    kiosk.tap_service("JHT")
    take = kiosk.window.documents.take_button
    kiosk.qtbot.mouseDClick(take, Qt.MouseButton.LeftButton)
    kiosk.tap(take)
    assert [t.label for t in kiosk.tickets()] == ["A001"]
    assert len(printed()) == 1


@BOTH_STORES
def test_double_tap_while_printing_is_ignored(
    make_kiosk: KioskFactory, printed: Printed
) -> None:
    kiosk = make_kiosk()
    queued: list[Callable[[], None]] = []

    class SlowRunner:  # holds the work as a busy worker would, until told to go on
        def run(
            self,
            work: Callable[[], Any],
            on_done: Done | None = None,
            on_error: Failed | None = None,
        ) -> None:
            queued.append(lambda: on_done(work()) if on_done else work())

    kiosk.flow.runner = SlowRunner()
    kiosk.tap_service("JHT")
    take = kiosk.window.documents.take_button
    kiosk.tap(take)
    kiosk.tap(take)
    kiosk.tap_service("JKM")  # a tap on the home screen behind it, too
    kiosk.flow.take_ticket()
    assert len(queued) == 1 and not take.isEnabled()
    queued.pop()()
    assert [t.label for t in kiosk.tickets()] == ["A001"]
    assert len(printed()) == 1


@BOTH_STORES
def test_a_retried_request_gives_the_same_ticket(kiosk: Kiosk_) -> None:
    first = kiosk.desk.take_ticket("JKM", False, "id", "visit-1:JKM:n")
    again = kiosk.desk.take_ticket("JKM", False, "id", "visit-1:JKM:n")
    assert first.ticket.id == again.ticket.id
    assert len(kiosk.tickets()) == 1


def test_each_visit_is_a_new_request(kiosk: Kiosk_, printed: Printed) -> None:
    kiosk.tap_service("JKM")
    kiosk.tap(kiosk.window.result.done_button)
    kiosk.tap_service("JKM")
    assert [t.label for t in kiosk.tickets()] == ["B001", "B002"]
    assert len(printed()) == 2


def test_language_switch_reaches_the_ticket(kiosk: Kiosk_, printed: Printed) -> None:
    window = kiosk.window
    assert window.language.text() == "English"
    kiosk.tap(window.language)
    assert window.home.title.text() == "Please choose a service"
    assert window.home.grid.button("JKM").name.text() == "JKM claim"
    assert window.language.text() == "Bahasa Indonesia"
    kiosk.tap_service("JHT")
    assert window.documents.heading.text() == "Please have these documents ready:"
    kiosk.tap(window.documents.take_button)

    assert window.result.title.text() == "Your ticket number"
    [job] = printed()
    assert b"Queue number" in job and b"JHT claim" in job and b"Identity card (KTP)" in job
    kiosk.tap(window.result.done_button)
    assert window.home.title.text() == "Silakan pilih layanan"  # the next visitor's default


def test_inactivity_returns_home(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(idle_ms=50)
    kiosk.tap(kiosk.window.home.priority)
    assert kiosk.flow.screen is Screen.PRIORITY
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.HOME, timeout=5000)
    kiosk.tap_service("JHT")
    assert kiosk.flow.screen is Screen.DOCUMENTS
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.HOME, timeout=5000)
    assert kiosk.tickets() == []


def test_result_goes_home_on_its_own(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(result_ms=50)
    kiosk.tap_service("JKM")
    assert kiosk.flow.screen is Screen.RESULT
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.HOME, timeout=5000)
    first_visit = kiosk.flow.visit.id
    kiosk.tap_service("JKM")
    assert kiosk.flow.visit.id == first_visit and len(kiosk.tickets()) == 2


def test_english_is_reset_at_home_after_inactivity(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(idle_ms=50)
    kiosk.tap(kiosk.window.language)
    assert kiosk.flow.tr_.language == "en"
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.tr_.language == "id", timeout=5000)


def test_hidden_services_are_not_offered(make_kiosk: KioskFactory) -> None:
    kiosk = make_kiosk(hidden=frozenset({"JKM"}))
    assert [b.code for b in kiosk.window.home.grid.buttons] == ["JHT", "RESET"]


def test_landscape_works_the_same(make_kiosk: KioskFactory, printed: Printed) -> None:
    kiosk = make_kiosk(orientation="landscape")
    kiosk.tap_service("JKM")
    with kiosk.store.sessions() as session:
        assert session.scalar(select(Ticket.label)) == "B001"
    assert len(printed()) == 1


def test_home_follows_the_change_signals(kiosk: Kiosk_, staff: Staff) -> None:
    signals = ChangeSignals(watch_changes(kiosk.store, "TST"))
    signals.changed.connect(kiosk.flow.changes_arrived)
    signals.start()
    try:
        button = kiosk.window.home.grid.button("JKM")
        run(kiosk.store, issue_ticket, "JKM")
        kiosk.qtbot.waitUntil(lambda: button.status.text().startswith("1 orang"), timeout=10_000)
    finally:
        signals.stop()


def test_waiting_counts_follow_the_counters(kiosk: Kiosk_, staff: Staff) -> None:
    run(kiosk.store, issue_ticket, "JKM")
    kiosk.flow.refresh_offer()
    assert kiosk.window.home.grid.button("JKM").status.text().startswith("1 orang")
    run(kiosk.store, open_counter, 2, staff.ani)
    run(kiosk.store, call_next, 2, staff.ani)
    kiosk.flow.refresh_offer()  # what the change signal does in the app
    assert kiosk.window.home.grid.button("JKM").status.text().startswith(
        "Tidak ada yang menunggu"
    )
