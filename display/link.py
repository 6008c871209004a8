"""The display's one change watcher, started as soon as the store answers.

A lobby PC often boots before the database server does: until the watcher can be set up the
screen shows "connection lost" and tries again every few seconds, then reads everything.
Setting it up connects to the store, so it runs on the operation runner's worker: a store that
does not answer holds that worker for the connect timeout, never the screen.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer

from display.feed import CONNECTION_ERRORS, LobbyFeed
from shared.changes import ChangeWatcher, watch_changes
from shared.qt.changes import ChangeSignals
from shared.qt.operations import Runner
from shared.store.database import Store

log = logging.getLogger(__name__)

RETRY_MS = 3000


class StoreLink(QObject):
    def __init__(
        self,
        store: Store,
        branch_code: str,
        feed: LobbyFeed,
        runner: Runner,
        parent: QObject | None = None,
        retry_ms: int = RETRY_MS,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._branch = branch_code
        self._feed = feed
        self._runner = runner
        self.signals: ChangeSignals | None = None
        self.attempts = 0  # how many times setting up the watcher was tried
        self._connecting = False
        # Read on the worker too: a watcher set up after stop() is closed there.
        self._stopped = threading.Event()
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.start)

    @property
    def connecting(self) -> bool:
        """An attempt is on the worker now."""
        return self._connecting

    def start(self) -> None:
        if self._connecting or self.signals is not None or self._stopped.is_set():
            return
        self._connecting = True
        self.attempts += 1
        self._runner.run(self._open_watcher, self._watching, self._not_yet)

    def _open_watcher(self) -> ChangeWatcher | None:
        """On the runner's worker: the store's round trips happen here."""
        watcher = watch_changes(self._store, self._branch)
        if self._stopped.is_set():
            watcher.close()
            return None
        return watcher

    def _watching(self, watcher: ChangeWatcher | None) -> None:
        self._connecting = False
        if watcher is None:
            return
        if self._stopped.is_set():  # stopped between the worker's check and this delivery
            watcher.close()
            return
        self.signals = ChangeSignals(watcher, self)
        self._feed.attach(self.signals)
        self.signals.start()
        self._feed.on_reconnected()

    def _not_yet(self, error: BaseException) -> None:
        self._connecting = False
        if self._stopped.is_set():
            return
        if isinstance(error, CONNECTION_ERRORS):
            log.warning("store not reachable yet (%s); trying again", error)
        else:
            # E.g. the branch is not in this database yet: the screen waits for `antrean init`.
            log.error("the change watcher could not be set up; trying again", exc_info=error)
        self._feed.on_connection_lost()
        self._retry.start()

    def stop(self) -> None:
        self._stopped.set()
        self._retry.stop()
        if self.signals is not None:
            self.signals.stop()
