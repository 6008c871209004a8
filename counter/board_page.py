"""The supervisor board on screen: tables of the board's models, buttons for its actions, and
today's report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.board import Board
from counter.board_dialogs import ServicesDialog
from counter.board_models import AlertsModel, CounterBoardModel, DemandModel, MissedModel
from counter.board_roster import RosterDialog, RosterModel, WarningsModel
from counter.desk_dialogs import NumberReasonDialog, PauseDialog, open_dialog
from counter.survey_followups import FollowUpsBox
from counter.table_model import RowTableModel
from counter.todays_report import ReportDelivery, TodaysReport
from shared.domain.states import CounterState
from shared.i18n import Translator, explain
from shared.services.desk import ServiceChoice
from shared.services.roster import RosterLine
from shared.services.supervision import BoardCounter, MissedTicket

TICK_MILLISECONDS = 15_000


def _table(model: RowTableModel[Any], name: str, selectable: bool = True) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.SingleSelection
        if selectable
        else QAbstractItemView.SelectionMode.NoSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _box(title: str, *widgets: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class BoardPage(QWidget):
    def __init__(
        self,
        tr: Translator,
        board: Board,
        zone: ZoneInfo,
        delivery: ReportDelivery,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.board = board
        self.zone = zone
        self.dialog: QDialog | None = None
        self.todays_report = TodaysReport(board.link, delivery, self)
        self.counters = CounterBoardModel(tr, board.clock.since_sync, self)
        self.demand = DemandModel(tr, zone, self)
        self.missed = MissedModel(tr, zone, self)
        self.alerts = AlertsModel(tr, zone, self)
        self.counter_table = _table(self.counters, "boardCounters")
        self.demand_table = _table(self.demand, "boardDemand", selectable=False)
        self.missed_table = _table(self.missed, "boardMissed")
        self.alerts_table = _table(self.alerts, "boardAlerts", selectable=False)
        self.roster = RosterModel(tr, zone, self)
        self.warnings = WarningsModel(tr, self)
        self.roster_table = _table(self.roster, "boardRoster")
        self.warnings_table = _table(self.warnings, "boardWarnings", selectable=False)
        self.warnings_table.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("boardMessage")
        self.message.setWordWrap(True)
        note = QLabel(tr("counter.demand.note"))
        note.setWordWrap(True)
        note.setObjectName("demandNote")

        self.buttons: dict[str, QPushButton] = {}
        counter_buttons = QVBoxLayout()
        for name in ("open", "pause", "resume", "close", "services"):
            counter_buttons.addWidget(self._button(name))
        counter_buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.counter_table, 1)
        top.addLayout(counter_buttons)
        ticket_buttons = QVBoxLayout()
        ticket_buttons.addWidget(self._button("reinstate"))
        ticket_buttons.addWidget(self._button("cancel"))
        ticket_buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(_box(tr("counter.missed.title"), self.missed_table), 1)
        bottom.addLayout(ticket_buttons)
        self.alerts_box = _box(tr("counter.alerts.title"), self.alerts_table)
        bottom.addWidget(self.alerts_box, 1)
        self.followups = FollowUpsBox(tr, board, zone, self)  # low survey ratings
        bottom.addWidget(self.followups, 2)

        roster_buttons = QVBoxLayout()
        roster_buttons.addWidget(self._button("roster_add"))
        roster_buttons.addWidget(self._button("roster_remove"))
        roster_buttons.addStretch(1)
        roster_row = QHBoxLayout()
        roster_row.addWidget(self.roster_table, 1)
        roster_row.addLayout(roster_buttons)
        roster_box = QGroupBox(tr("counter.roster.title"))
        roster_box.setLayout(roster_row)
        self.warnings_box = _box(tr("counter.warning.title"), self.warnings_table)

        grid = QGridLayout(self)
        counters_box = QGroupBox(tr("counter.board.counters"))
        counters_box.setLayout(top)
        first = QHBoxLayout()
        first.addWidget(counters_box, 3)
        first.addWidget(self.warnings_box, 2)
        grid.addLayout(first, 0, 0)
        middle = QHBoxLayout()
        middle.addWidget(_box(tr("counter.demand.title"), self.demand_table, note), 3)
        middle.addWidget(roster_box, 2)
        grid.addLayout(middle, 1, 0)
        grid.addLayout(bottom, 2, 0)
        self.report_button = QPushButton(tr("counter.board.report"))
        self.report_button.setObjectName("board_report")
        self.report_button.setMinimumHeight(40)
        self.report_button.clicked.connect(self.todays_report.make)
        footer = QHBoxLayout()
        footer.addWidget(self.message, 1)
        footer.addWidget(self.report_button)
        grid.addLayout(footer, 3, 0)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 2)

        board.view_changed.connect(self.show_board)
        board.refused.connect(
            lambda error: self.say(tr("counter.refused", detail=explain(tr, error)))
        )
        self.counter_table.selectionModel().selectionChanged.connect(self._enable)
        self._ticker = QTimer(self)  # redraws running idle times; reads nothing
        self._ticker.setInterval(TICK_MILLISECONDS)
        self._ticker.timeout.connect(self.counters.refresh_texts)
        self._ticker.start()
        self.missed_table.selectionModel().selectionChanged.connect(self._enable)
        self.roster_table.selectionModel().selectionChanged.connect(self._enable)
        self.todays_report.started.connect(self._report_started)
        self.todays_report.done.connect(self._report_done)
        self.todays_report.failed.connect(self._report_failed)
        self.show_board()

    def _button(self, name: str) -> QPushButton:
        button = QPushButton(self.tr_(f"counter.board.{name}"))
        button.setObjectName(f"board_{name}")
        button.setMinimumHeight(40)
        button.clicked.connect(getattr(self, f"_{name}"))
        self.buttons[name] = button
        return button

    # -- showing ---------------------------------------------------------------------------
    def show_board(self) -> None:
        view, demand = self.board.view, self.board.demand
        if view is not None:
            chosen = self.selected_counter()
            missed = self.selected_missed()
            self.counters.set_rows(view.counters)
            self.missed.set_rows(view.missed)
            self.alerts.set_rows(view.alerts)
            self.alerts_box.setProperty("tone", "error" if view.alerts else "")
            entry = self.selected_entry()
            self.roster.set_rows(self.board.roster)
            self.warnings.set_rows(self.board.warnings)
            self.warnings_box.setProperty("tone", "error" if self.board.warnings else "")
            self._reselect(self.roster_table, self.roster, "entryId", entry)
            self._reselect(self.counter_table, self.counters, "number", chosen)
            self._reselect(self.missed_table, self.missed, "label", missed)
        if demand is not None:
            self.demand.set_rows(demand.services)
        self._enable()

    def _reselect(
        self, table: QTableView, model: RowTableModel[Any], role: str, value: object
    ) -> None:
        if value is None:
            return
        for row in range(model.rowCount()):
            if model.data(model.index(row, 0), model.role(role)) == value:
                table.selectRow(row)
                return

    def selected_counter(self) -> int | None:
        chosen = self._selected(self.counter_table, self.counters)
        return chosen.line.number if isinstance(chosen, BoardCounter) else None

    def selected_entry(self) -> int | None:
        chosen = self._selected(self.roster_table, self.roster)
        return chosen.id if isinstance(chosen, RosterLine) else None

    def selected_missed(self) -> str | None:
        chosen = self._selected(self.missed_table, self.missed)
        return chosen.label if isinstance(chosen, MissedTicket) else None

    @staticmethod
    def _selected(table: QTableView, model: RowTableModel[Any]) -> object:
        rows = table.selectionModel().selectedRows()
        return model.row(rows[0].row()) if rows else None

    def _enable(self, *_: object) -> None:
        can = self.board.can_act and self.dialog is None
        chosen = self._selected(self.counter_table, self.counters)
        line = chosen.line if isinstance(chosen, BoardCounter) else None
        idle = line is not None and line.current_state not in ("called", "serving")
        state = line.state if line else None
        self.buttons["open"].setEnabled(can and state == CounterState.CLOSED)
        self.buttons["pause"].setEnabled(can and state == CounterState.OPEN and idle)
        self.buttons["resume"].setEnabled(can and state == CounterState.PAUSED)
        self.buttons["close"].setEnabled(can and state in ("open", "paused") and idle)
        self.buttons["services"].setEnabled(can and line is not None)
        self.buttons["reinstate"].setEnabled(can and self.selected_missed() is not None)
        view = self.board.view
        self.buttons["cancel"].setEnabled(can and view is not None and bool(view.waiting))
        self.buttons["roster_add"].setEnabled(can)
        self.buttons["roster_remove"].setEnabled(can and self.selected_entry() is not None)
        self.report_button.setEnabled(self.todays_report.can_make)

    def say(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setProperty("tone", "error" if error else "info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # -- today's report --------------------------------------------------------------------
    def _report_started(self) -> None:
        self.say(self.tr_("counter.report.making"), error=False)
        self._enable()

    def _report_done(self, path: Path, opened: bool) -> None:
        key = "counter.report.opened" if opened else "counter.report.not_opened"
        self.say(self.tr_(key, path=str(path)), error=not opened)
        self._enable()

    def _report_failed(self, detail: str) -> None:
        self.say(self.tr_("counter.report.failed", detail=detail))
        self._enable()

    # -- acting ----------------------------------------------------------------------------
    def _open(self) -> None:
        if (number := self.selected_counter()) is not None:
            self.board.open_counter(number)

    def _pause(self) -> None:
        number = self.selected_counter()
        if number is None:
            return
        dialog = PauseDialog(self.tr_, self.tr_("counter.pause.title"), self)
        self._ask(dialog, lambda: self.board.pause_counter(number, dialog.reason()))

    def _resume(self) -> None:
        if (number := self.selected_counter()) is not None:
            self.board.resume_counter(number)

    def _close(self) -> None:
        if (number := self.selected_counter()) is not None:
            self.board.close_counter(number)

    def _services(self) -> None:
        chosen = self._selected(self.counter_table, self.counters)
        view = self.board.view
        if not isinstance(chosen, BoardCounter) or view is None:
            return
        choices = tuple(
            ServiceChoice(s.code, s.prefix, s.name_id, s.name_en) for s in view.services
        )
        number = chosen.line.number
        dialog = ServicesDialog(self.tr_, number, chosen.line.service_codes, choices, self)
        self._ask(dialog, lambda: self.board.assign_services(number, dialog.codes()))

    def _reinstate(self) -> None:
        if (label := self.selected_missed()) is not None:
            self.board.reinstate(label)

    def _cancel(self) -> None:
        view = self.board.view
        if view is None:
            return
        tr = self.tr_
        dialog = NumberReasonDialog(
            tr, tr("counter.cancel.title"), tr("counter.cancel.reason"), view.waiting, self
        )
        self._ask(dialog, lambda: self.board.cancel(*dialog.values()))

    def _roster_add(self) -> None:
        view = self.board.view
        if view is None:
            return
        counters = tuple((c.line.number, c.line.name) for c in view.counters)
        today = view.at.astimezone(self.zone).date()
        dialog = RosterDialog(self.tr_, counters, today, self)
        self._ask(dialog, lambda: self.board.add_absence(*dialog.values()))

    def _roster_remove(self) -> None:
        if (entry := self.selected_entry()) is not None:
            self.board.remove_absence(entry)

    def _ask(self, dialog: QDialog, then: Callable[[], bool]) -> None:
        self.dialog = dialog
        self.say("")

        def sent() -> None:
            if not then():
                self.say(self.tr_("counter.not_sent"))

        def closed() -> None:
            self.dialog = None
            self._enable()

        open_dialog(dialog, sent, closed)
        self._enable()
