"""The board's roster (add and remove planned absences) and its alerts, on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from pytestqt.modeltest import ModelTester
from sqlalchemy import select

from counter.board_page import BoardPage
from counter.board_roster import RosterDialog, RosterModel, WarningsModel
from shared.clock import ManualClock
from shared.i18n import Translator
from shared.services import roster
from shared.services.alerts import AT_RISK, OVER_TARGET, SILENT, Alert
from shared.services.issuing import issue_ticket
from shared.services.roster import RosterLine
from shared.store.database import Store
from shared.store.models import Event
from tests.conftest import Staff
from tests.counter.test_board import click
from tests.support.actions import run

ZONE = ZoneInfo("Asia/Jakarta")
MONDAY = date(2026, 11, 23)


def test_the_supervisor_adds_and_removes_an_absence_on_the_board(
    sqlite_store: Store, board: BoardPage
) -> None:
    assert board.roster.rows() == []
    assert not board.buttons["roster_remove"].isEnabled()
    click(board, "roster_add")
    dialog = board.dialog
    assert isinstance(dialog, RosterDialog)
    dialog.counter.setCurrentIndex(dialog.counter.findData(2))
    dialog.day.setDate(QDate(2026, 11, 27))
    dialog.start.setTime(QTime(13, 0))
    dialog.end.setTime(QTime(12, 0))
    assert not dialog.ok_button.isEnabled()  # ends before it starts
    dialog.start.setTime(QTime(11, 30))
    dialog.end.setTime(QTime(13, 0))
    dialog.reason.setCurrentIndex(dialog.reason.findData("prayer"))
    dialog.note.setText("Jumat")
    dialog.ok_button.click()
    [line] = board.roster.rows()
    assert (line.counter_number, line.day, line.reason, line.note) == (
        2, date(2026, 11, 27), "prayer", "Jumat"
    )
    texts = [board.roster.data(board.roster.index(0, c)) for c in range(5)]
    assert texts == ["27/11", "Loket 2", "11:30–13:00", "Salat Jumat", "Jumat"]
    board.roster_table.selectRow(0)
    click(board, "roster_remove")
    assert board.roster.rows() == []
    with sqlite_store.sessions() as session:
        kinds = list(session.scalars(
            select(Event.kind).where(Event.kind.like("counter.roster%")).order_by(Event.id)))
    assert kinds == ["counter.roster_added", "counter.roster_removed"]


def test_a_silent_counter_and_a_long_wait_are_shown_as_alerts(
    sqlite_store: Store, board: BoardPage, clock: ManualClock, sqlite_staff: Staff
) -> None:
    # Counters 1 and 2 (JHT) opened at 08:00 and nobody has called since.
    for _ in range(4):
        run(sqlite_store, issue_ticket, "JHT")
    board.board.refresh()
    assert board.warnings.rows() == []
    clock.advance(timedelta(minutes=31))
    board.board.refresh()
    kinds = [a.kind for a in board.warnings.rows()]
    assert kinds == [SILENT, SILENT, OVER_TARGET, AT_RISK]  # the first windows have ended
    first = board.warnings.data(board.warnings.index(0, 0))
    assert first == "Loket 1 belum memanggil selama 31 menit; 4 orang menunggu layanannya"
    assert board.warnings_box.property("tone") == "error"
    # A rostered absence later today is on the board the moment it is planned.
    run(sqlite_store, roster.add_absence, 1, MONDAY, time(12), time(13), "lunch",
        by=sqlite_staff.sri)
    board.board.refresh()
    assert [r.reason for r in board.roster.rows()] == ["lunch"]


def test_roster_and_warning_models(qtmodeltester: ModelTester) -> None:
    tr = Translator("en")
    model = RosterModel(tr, ZONE)
    starts = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    model.set_rows([RosterLine(7, 2, "Loket 2", MONDAY, starts, starts + timedelta(hours=3),
                               "training", "JMO")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 2)) == "09:00–12:00"
    assert model.data(model.index(0, 3)) == "Training"
    assert model.data(model.index(0, 0), model.role("entryId")) == 7
    assert model.data(model.index(0, 0), model.role("reason")) == "training"
    warnings = WarningsModel(tr)
    warnings.set_rows([Alert(SILENT, "", counter_number=5, minutes=20, visitors=14)])
    qtmodeltester.check(warnings)
    assert warnings.data(warnings.index(0, 0)) == (
        "Counter 5 has not called for 20 min; 14 visitors wait for its services"
    )
    assert warnings.data(warnings.index(0, 0), warnings.role("visitors")) == 14
    warnings.set_rows([])
    qtmodeltester.check(warnings)
