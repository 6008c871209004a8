"""The supervisor board's section of low survey ratings to follow up, and its one action."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.board import Board
from counter.live import CoalescingReader
from counter.table_model import Column, Role, RowTableModel
from counter.wording import clock_time
from shared.i18n import Translator
from shared.services.survey_followups import FollowUp, mark_handled, open_followups


class FollowUpsModel(RowTableModel[FollowUp]):
    def __init__(self, tr: Translator, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("counter.followup.at"),
                       lambda f: f"{f.answered_at.astimezone(zone):%d/%m} "
                                 f"{clock_time(f.answered_at, zone)}"),
                Column(tr("counter.followup.counter"),
                       lambda f: "" if f.counter is None else str(f.counter)),
                Column(tr("counter.followup.officer"), lambda f: f.officer or ""),
                Column(tr("counter.followup.service"), lambda f: f"{f.service} {f.label}"),
                Column(tr("counter.followup.elements"), lambda f: f.elements),
                Column(tr("counter.followup.comment"), lambda f: f.comment,
                       tip=lambda f: f.comment),
            ],
            [Role("ticketId", lambda f: f.ticket_id)],
            parent,
        )


class FollowUpsBox(QGroupBox):
    """Reads its list whenever the board was read; marking one handled reads the board again."""

    def __init__(
        self, tr: Translator, board: Board, zone: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("counter.followup.title"), parent)
        self.setObjectName("boardFollowUps")
        self.board = board
        self.model = FollowUpsModel(tr, zone, self)
        self.table = QTableView()
        self.table.setObjectName("boardFollowUpsTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.handled = QPushButton(tr("counter.followup.handled"))
        self.handled.setObjectName("board_followup_handled")
        self.handled.setMinimumHeight(40)
        self.handled.clicked.connect(self.mark_selected)
        buttons = QVBoxLayout()
        buttons.addWidget(self.handled)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        me = board.supervisor.id
        # Coalesced: the board's burst of changes costs one more read, which sees them all.
        self._reader = CoalescingReader(board.link, lambda uow: open_followups(uow, me),
                                        self._loaded)
        board.view_changed.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        self._enable()
        self.refresh()

    def refresh(self) -> None:
        if self.board.link.online:
            self._reader.refresh()

    def _loaded(self, rows: tuple[FollowUp, ...]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        for index, row in enumerate(rows):
            if row.ticket_id == chosen:
                self.table.selectRow(index)
        self.setProperty("tone", "error" if rows else "")
        self._enable()

    def selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()).ticket_id if rows else None

    def mark_selected(self) -> None:
        ticket_id = self.selected()
        if ticket_id is None:
            return
        me = self.board.supervisor.id
        self.board.send("followup", lambda uow, _: mark_handled(uow, me, ticket_id))

    def _enable(self) -> None:
        self.handled.setEnabled(self.board.can_act and self.selected() is not None)
