"""The supervisor board: counters, services, missed visitors, cancelling, alerts, demand."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter.board_dialogs import ServicesDialog
from counter.board_page import BoardPage
from counter.desk_dialogs import NumberReasonDialog, PauseDialog
from shared.clock import ManualClock
from shared.services import calling, kiosks, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.snapshot import live_snapshot
from shared.store.database import Store
from shared.store.models import Ticket
from tests.conftest import Staff
from tests.counter.conftest import JAKARTA
from tests.support.actions import run


def select_counter(page: BoardPage, number: int) -> None:
    for row in range(page.counters.rowCount()):
        if page.counters.row(row).line.number == number:
            page.counter_table.selectRow(row)
            return
    raise AssertionError(f"counter {number} is not on the board")


def click(page: BoardPage, name: str) -> None:
    button = page.buttons[name]
    assert button.isEnabled(), f"{name} is disabled"
    button.click()


def counter_state(sqlite_store: Store, number: int) -> tuple[str, str | None]:
    line = run(sqlite_store, live_snapshot).counter(number)
    return line.state, line.officer_name


def test_the_board_lists_every_counter_with_idle_time(
    sqlite_store: Store, board: BoardPage, clock: ManualClock, sqlite_staff: Staff
) -> None:
    run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    clock.advance(300)
    board.board.refresh()
    rows = {c.line.number: c for c in board.counters.rows()}
    assert set(rows) == {1, 2, 3, 4}
    assert (rows[1].line.current_label, rows[1].idle_seconds) == ("A001", None)
    assert rows[2].idle_seconds == 300  # open since 08:00 with nobody called
    assert rows[3].line.state == "closed" and rows[3].idle_seconds is None
    index = board.counters.index(1, 4)
    assert board.counters.data(index) == "5 mnt"


def test_open_pause_resume_and_close_counters(sqlite_store: Store, board: BoardPage) -> None:
    # Nothing chosen yet: only adding to the roster needs no choice.
    assert [n for n, b in board.buttons.items() if b.isEnabled()] == ["roster_add"]
    select_counter(board, 3)
    enabled = {n for n, b in board.buttons.items() if b.isEnabled()}
    assert enabled == {"open", "services", "roster_add"}
    click(board, "open")
    assert counter_state(sqlite_store, 3) == ("open", "Sri")

    select_counter(board, 2)
    click(board, "pause")
    dialog = board.dialog
    assert isinstance(dialog, PauseDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("leave"))
    dialog.ok_button.click()
    assert counter_state(sqlite_store, 2) == ("paused", "Budi")
    assert run(sqlite_store, live_snapshot).counter(2).pause_reason == "Izin / cuti"
    click(board, "resume")
    assert counter_state(sqlite_store, 2) == ("open", "Budi")
    click(board, "close")
    assert counter_state(sqlite_store, 2) == ("closed", None)


def test_a_busy_counter_cannot_be_paused_or_closed_from_the_board(
    sqlite_store: Store, board: BoardPage, sqlite_staff: Staff
) -> None:
    run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    board.board.refresh()
    select_counter(board, 1)
    assert not board.buttons["pause"].isEnabled()
    assert not board.buttons["close"].isEnabled()


def test_reassigning_services_in_order(sqlite_store: Store, board: BoardPage) -> None:
    select_counter(board, 2)
    click(board, "services")
    dialog = board.dialog
    assert isinstance(dialog, ServicesDialog)
    assert dialog.codes() == ["JHT", "JKM"]
    dialog.list.setCurrentRow(1)
    dialog.up.click()  # JKM first
    dialog.list.item(2).setCheckState(Qt.CheckState.Checked)  # and RESET too
    assert dialog.codes() == ["JKM", "JHT", "RESET"]
    for row in range(3):
        dialog.list.item(row).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.ok_button.isEnabled()  # a counter serves at least one service
    dialog.list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.list.item(2).setCheckState(Qt.CheckState.Checked)
    dialog.ok_button.click()
    assert run(sqlite_store, live_snapshot).counter(2).service_codes == ("JKM", "RESET")
    assert board.counters.row(1).line.service_codes == ("JKM", "RESET")


def test_reinstating_a_missed_visitor(
    sqlite_store: Store, board: BoardPage, sqlite_staff: Staff, clock: ManualClock
) -> None:
    run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    run(sqlite_store, serving.no_show, 1, sqlite_staff.ani)
    clock.advance(600)
    board.board.refresh()
    assert [m.label for m in board.missed.rows()] == ["A001"]
    assert not board.buttons["reinstate"].isEnabled()
    board.missed_table.selectRow(0)
    click(board, "reinstate")
    assert run(sqlite_store, live_snapshot).service("JHT").waiting == 1
    assert board.missed.rows() == []

    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    run(sqlite_store, serving.no_show, 1, sqlite_staff.ani)
    clock.advance(31 * 60)  # past the 30-minute grace: no longer offered
    board.board.refresh()
    assert board.missed.rows() == []


def test_cancelling_a_ticket_needs_a_reason(sqlite_store: Store, board: BoardPage) -> None:
    run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, issue_ticket, "JKM")
    board.board.refresh()
    click(board, "cancel")
    dialog = board.dialog
    assert isinstance(dialog, NumberReasonDialog)
    assert [dialog.number.itemText(i) for i in range(dialog.number.count())] == ["A001", "B001"]
    dialog.number.setCurrentText("b001")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setText("nomor ganda")
    dialog.ok_button.click()
    with sqlite_store.sessions() as session:
        state = session.scalar(select(Ticket.state).where(Ticket.label == "B001"))
    assert state == "cancelled"
    assert board.board.view is not None and board.board.view.waiting == ("A001",)


def test_kiosk_alerts_appear_and_clear(sqlite_store: Store, board: BoardPage) -> None:
    run(sqlite_store, kiosks.report_printer, "Anjungan 1", "ready")
    run(sqlite_store, kiosks.report_printer, "Anjungan 2", "paper_out", "roll empty", False)
    board.board.refresh()
    assert [k.name for k in board.alerts.rows()] == ["Anjungan 2"]
    assert board.alerts.data(board.alerts.index(0, 1)) == "kertas habis · tidak menerima pengunjung"
    assert board.alerts_box.property("tone") == "error"
    run(sqlite_store, kiosks.report_printer, "Anjungan 2", "ready")
    board.board.refresh()
    assert board.alerts.rows() == []


def test_demand_warns_when_a_service_runs_past_closing(
    sqlite_store: Store, board: BoardPage, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 23, 14, 0, tzinfo=JAKARTA))  # an hour before closing
    for _ in range(12):  # four hours of JHT work for two counters
        run(sqlite_store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    board.board.refresh()
    rows = {d.code: d for d in board.demand.rows()}
    jht = rows["JHT"]
    assert jht.runs_past_closing and jht.waiting == 12 and jht.counters_open == 2
    assert jht.arrivals_last_hour == 12
    assert jht.counters_needed is not None and jht.counters_needed > 2
    assert jht.counters_to_clear >= 3
    row = [d.code for d in board.demand.rows()].index("JHT")
    warning = board.demand.data(board.demand.index(row, 1))
    assert warning.startswith("Melewati jam tutup")
    assert board.demand.data(board.demand.index(row, 0), board.demand.role("runsPastClosing"))
    assert not rows["JKM"].runs_past_closing
