"""The counter's main window: banners, a header, and the login, desk or board page.

The board is only ever built for a supervisor: an officer's session has no board page and no
button to reach one (and the engine refuses supervisor actions from officers anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter.actions import Action
from counter.banner import Banners
from counter.board import Board
from counter.board_page import BoardPage
from counter.desk import Desk
from counter.desk_page import DeskPage
from counter.devices import CounterDevices
from counter.link import StoreLink
from counter.login_page import NO_COUNTER, LoginPage
from counter.machine import CounterMemory
from counter.style import STYLE_SHEET
from counter.todays_report import ReportDelivery, system_delivery
from shared.domain.states import Outcome, Role
from shared.i18n import Translator
from shared.qt.changes import ChangeSignals
from shared.services.officers import OfficerView


class CounterWindow(QMainWindow):
    def __init__(
        self,
        tr: Translator,
        link: StoreLink,
        memory: CounterMemory,
        zone: ZoneInfo,
        now: Callable[[], datetime],
        *,
        changes: ChangeSignals | None = None,
        devices: CounterDevices | None = None,
        preselect: int | None = None,
        branch_name: str = "",
        reports: ReportDelivery | None = None,
    ) -> None:
        super().__init__()
        self.tr_ = tr
        self.link = link
        self.memory = memory
        self.zone = zone
        self._now = now
        self.devices = devices
        self.reports = reports or system_delivery()
        self.officer: OfficerView | None = None
        self.desk: Desk | None = None
        self.desk_page: DeskPage | None = None
        self.board: Board | None = None
        self.board_page: BoardPage | None = None
        self.setWindowTitle(tr("counter.window.title"))
        self.setStyleSheet(STYLE_SHEET)

        self.banners = Banners(tr)
        self.who = QLabel(branch_name)
        self.clock = QLabel()
        self.clock.setObjectName("clock")
        self.switch = QPushButton()
        self.switch.setObjectName("switchPage")
        self.switch.clicked.connect(self._switch_page)
        self.sign_out = QPushButton(tr("counter.action.log_out"))
        self.sign_out.setObjectName("headerSignOut")
        self.sign_out.clicked.connect(self.log_out)
        header = QWidget()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        row.addWidget(self.who, 1)
        row.addWidget(self.switch)
        row.addWidget(self.sign_out)
        row.addWidget(self.clock)
        self.pages = QStackedWidget()
        self.login_page = LoginPage(tr, link, preselect if preselect else memory.counter())
        self.pages.addWidget(self.login_page)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banners)
        column.addWidget(header)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(body)
        self._branch_name = branch_name

        self.login_page.logged_in.connect(self.log_in)
        link.online_changed.connect(self._show_connection)
        link.busy_changed.connect(self._show_connection)
        if changes is not None:
            changes.changed.connect(self._changed)
        if devices is not None:
            devices.status_changed.connect(self.banners.show_device)
            devices.key_pressed.connect(self.keypad)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self._tick()
        self._show_header()
        self.login_page.refresh()

    # -- sessions --------------------------------------------------------------------------
    def log_in(self, officer: OfficerView, number: int) -> None:
        self.officer = officer
        if number != NO_COUNTER:
            self.link.on_this_pc(lambda: self.memory.remember(number))
            self.desk = Desk(self.link, number, officer, self)
            self.desk_page = DeskPage(self.tr_, self.desk, self)
            self.desk_page.log_out_requested.connect(self.log_out)
            if self.devices is not None:
                self.desk.view_changed.connect(self._show_on_display)
            self.pages.addWidget(self.desk_page)
            self.desk.refresh()
        if officer.role.at_least(Role.SUPERVISOR):
            self.board = Board(self.link, officer, self)
            self.board_page = BoardPage(self.tr_, self.board, self.zone, self.reports, self)
            self.pages.addWidget(self.board_page)
            self.board.refresh()
        first = self.desk_page or self.board_page
        # The login page lets only a supervisor in without a counter, so one page is there.
        assert first is not None
        self.pages.setCurrentWidget(first)
        self._show_header()

    def log_out(self) -> None:
        for page in (self.desk_page, self.board_page):
            if page is not None:
                self.pages.removeWidget(page)
                page.deleteLater()
        for part in (self.desk, self.board):
            if part is not None:
                part.deleteLater()
        self.desk = self.desk_page = self.board = self.board_page = None
        self.officer = None
        self.login_page.clear()
        self.pages.setCurrentWidget(self.login_page)
        self.login_page.refresh()
        self._show_header()

    # -- pages -----------------------------------------------------------------------------
    def show_board(self) -> bool:
        """False (and nothing shown) unless a supervisor is signed in."""
        if self.board_page is None:
            return False
        self.pages.setCurrentWidget(self.board_page)
        self._show_header()
        return True

    def show_desk(self) -> bool:
        if self.desk_page is None:
            return False
        self.pages.setCurrentWidget(self.desk_page)
        self._show_header()
        return True

    def _switch_page(self) -> None:
        if self.pages.currentWidget() is self.board_page:
            self.show_desk()
        else:
            self.show_board()

    def _show_header(self) -> None:
        tr = self.tr_
        both = self.desk_page is not None and self.board_page is not None
        self.switch.setVisible(both)
        on_board = self.pages.currentWidget() is self.board_page
        self.switch.setText(tr("counter.board.to_desk" if on_board else "counter.board.title"))
        self.sign_out.setVisible(self.board_page is not None and self.desk_page is None)
        who = (
            f" · {self.officer.name} ({tr('counter.role.' + self.officer.role.value)})"
            if self.officer
            else ""
        )
        self.who.setText(self._branch_name + who)

    # -- live updates ----------------------------------------------------------------------
    def _changed(self, changes: list[object]) -> None:
        if self.desk is not None:
            self.desk.refresh()
        if self.board is not None:
            self.board.refresh()
        if self.pages.currentWidget() is self.login_page:
            self.login_page.refresh()

    def _show_connection(self, *_: object) -> None:
        self.banners.show_connection(self.link.online, self.link.pending_action)

    def _show_on_display(self) -> None:
        if self.devices is not None and self.desk is not None:
            self.devices.show_desk(self.desk.view)

    def _tick(self) -> None:
        self.clock.setText(self._now().astimezone(self.zone).strftime("%H:%M"))

    def keypad(self, name: str) -> None:
        """A caller keypad key: the same rules as the on-screen key (and done = completed)."""
        if self.desk is None or self.desk_page is None:
            return
        action = Action(name)
        if action == Action.FINISH:
            if action in self.desk.enabled():
                self.desk.finish(Outcome.COMPLETED.value)
            return
        self.desk_page.trigger(action)
