"""What keeps the lobby screen current: change signals in, store reads out, models updated.

Nothing here polls. A batch of changes asks for a read of the call board (after calls and
counter moves) and of the waits (after almost anything); each read runs through the operation
runner, coalesced (see coalescing.py). New calls from the board are announced and the newest
one goes to the big panel, flashing when it is news.

The link to the store has two parts that can fail on their own: the change watcher (its
`connection_lost` / `reconnected`) and the reads. The screen says "connection lost" while
either is down, and a failed read is tried again with a growing pause until one succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import DBAPIError, DisconnectionError

from display.announcer import LobbyAnnouncer
from display.calls_model import KEPT_CALLS, LastCallsModel
from display.coalescing import CoalescedRead
from display.counters_model import CountersModel
from display.lobby_settings import LobbySettings, lobby_settings
from display.waits_model import ServiceWaitsModel
from shared.config import BranchConfig
from shared.qt.changes import ChangeSignals
from shared.qt.operations import Runner
from shared.services.call_board import CallBoard, RecentCall, call_board
from shared.services.runner import attempt
from shared.services.service_outlook import ServiceOutlook, branch_outlook
from shared.store.database import Store
from shared.store.unit_of_work import Change

log = logging.getLogger(__name__)

# Changes that move only the waits (a new ticket), and those that concern no screen here.
WAITS_ONLY = frozenset({"ticket.issued"})
IGNORED = frozenset({"kiosk.printer", "officer.added", "officer.secret"})
# A call older than this when the display learns of it (after an outage) is shown, not said.
ANNOUNCE_WITHIN = timedelta(minutes=2)
RETRY_SECONDS = (1, 2, 4, 8, 15)
# After a call the waits are read this long after the board has been shown: the estimate read
# holds Python's GIL for milliseconds at a time, and the called number must paint first.
WAITS_AFTER_BOARD_MS = 60
# What a lost store looks like from SQLAlchemy and the drivers.
CONNECTION_ERRORS = (DBAPIError, DisconnectionError, OSError, TimeoutError)


def on_the_big_panel(board: CallBoard) -> RecentCall | None:
    """The call the big panel shows: the newest one whose ticket is still at its counter, so
    the panel and that counter's tile, both read from this one board, always agree. A call
    finished or marked absent at once gives way to the last call still being attended to
    (or to none) instead of sending people to a desk whose tile shows "–"."""
    at_counter = {c.number: c.label for c in board.counters if c.state == "open" and c.label}
    return next((c for c in board.recent if at_counter.get(c.counter_number) == c.label), None)


class LobbyFeed(QObject):
    now_calling = Signal(object, bool)  # RecentCall | None, fresh (flash it)
    connection_changed = Signal(bool)  # True: connected
    board_read = Signal(object)  # CallBoard: branch name, time zone, the store's time
    settings_changed = Signal(object)  # LobbySettings
    waits_read = Signal(object)  # tuple[ServiceOutlook, ...]

    def __init__(
        self,
        store: Store,
        branch_code: str,
        runner: Runner,
        counters: CountersModel,
        calls: LastCallsModel,
        waits: ServiceWaitsModel,
        announcer: LobbyAnnouncer | None = None,
        parent: QObject | None = None,
        waits_after_board_ms: int = WAITS_AFTER_BOARD_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._branch = branch_code
        self.counters = counters
        self.calls = calls
        self.waits = waits
        self._announcer = announcer
        self._board = CoalescedRead(runner, self._read_board, self._show_board, self._failed)
        self._waits = CoalescedRead(runner, self._read_waits, self._show_waits, self._failed)
        self._cursor: int | None = None  # newest call seen; None until the first read
        self._shown: int | None = None  # event id on the big panel (0: none today)
        self._stored_settings: BranchConfig | None = None
        self.settings = LobbySettings()
        self._watching = True
        self._reading = True
        self._retries = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.refresh)
        self._waits_due = False
        self._waits_after_board_ms = waits_after_board_ms
        self._waits_later = QTimer(self)
        self._waits_later.setSingleShot(True)
        self._waits_later.timeout.connect(self._waits.request)

    # -- wiring ----------------------------------------------------------------------------
    def attach(self, signals: ChangeSignals) -> None:
        signals.changed.connect(self.on_changed)
        signals.connection_lost.connect(self.on_connection_lost)
        signals.reconnected.connect(self.on_reconnected)

    @property
    def connected(self) -> bool:
        return self._watching and self._reading

    @property
    def board_reads(self) -> int:
        return self._board.started

    @property
    def waits_reads(self) -> int:
        return self._waits.started

    def refresh(self) -> None:
        self._board.request()
        self._waits.request()

    def on_changed(self, batch: Sequence[Change]) -> None:
        if not batch:  # the watcher reconnected: anything may have been missed
            self.refresh()
            return
        self._set_link(watching=True)  # news arrived, so the watcher works again
        kinds = {change.kind for change in batch} - IGNORED
        if not kinds:
            return
        if kinds - WAITS_ONLY:
            self._waits_due = True
            self._board.request()
        else:
            self._waits.request()

    def on_connection_lost(self) -> None:
        self._set_link(watching=False)

    def on_reconnected(self) -> None:
        self._set_link(watching=True)
        self.refresh()

    # -- reads (on the runner's worker thread) ---------------------------------------------
    def _read_board(self) -> CallBoard:
        cursor = self._cursor
        return attempt(
            self._store,
            self._branch,
            lambda uow: call_board(uow, cursor, recent=KEPT_CALLS),
            read_only=True,
        )

    def _read_waits(self) -> tuple[ServiceOutlook, ...]:
        # The kiosk's own outlook (hidden services aside): the lobby says what the kiosk does.
        return attempt(
            self._store, self._branch, lambda uow: branch_outlook(uow).services, read_only=True
        )

    # -- results (on the GUI thread) -------------------------------------------------------
    def _show_board(self, board: CallBoard) -> None:
        self._set_link(reading=True)
        if board.settings != self._stored_settings:
            self._stored_settings = board.settings
            self.settings = lobby_settings(board.settings)
            self.settings_changed.emit(self.settings)
        self.counters.set_counters(board.counters)
        self.calls.set_calls(board.recent)
        fresh = {c.event_id for c in board.new_calls if board.at - c.at <= ANNOUNCE_WITHIN}
        if self._announcer is not None:
            for call in board.new_calls:
                if call.event_id in fresh:
                    self._announcer.announce(call)
        headline = on_the_big_panel(board)
        headline_id = headline.event_id if headline else 0
        if headline_id != self._shown:
            self._shown = headline_id
            self.now_calling.emit(headline, headline_id in fresh)
        self._cursor = board.last_call_id
        self.board_read.emit(board)
        self._board_settled()

    def _board_settled(self) -> None:
        """The board is on screen (or could not be read): now the waits may follow."""
        if not self._waits_due or self._board.in_flight:
            return
        self._waits_due = False
        if self._waits_after_board_ms <= 0:
            self._waits.request()
        elif not self._waits_later.isActive():
            self._waits_later.start(self._waits_after_board_ms)

    def _show_waits(self, waits: tuple[ServiceOutlook, ...]) -> None:
        self._set_link(reading=True)
        self.waits.set_rows(waits)
        self.waits_read.emit(waits)

    def _failed(self, error: BaseException) -> None:
        self._board_settled()
        if not isinstance(error, CONNECTION_ERRORS):
            log.error("the lobby screen could not be refreshed", exc_info=error)
            return
        log.warning("store unreachable: %s", error)
        self._set_link(reading=False)
        if not self._retry.isActive():
            pause = RETRY_SECONDS[min(self._retries, len(RETRY_SECONDS) - 1)]
            self._retries += 1
            self._retry.start(int(pause * 1000))

    def _set_link(self, *, watching: bool | None = None, reading: bool | None = None) -> None:
        before = self.connected
        if watching is not None:
            self._watching = watching
        if reading is not None:
            self._reading = reading
            if reading:
                self._retries = 0
                self._retry.stop()
        if self.connected != before:
            self.connection_changed.emit(self.connected)
