"""The display's one change watcher, started as soon as the store answers.

A lobby PC often boots before the database server does: until the watcher can be set up the
screen shows "connection lost" and tries again every few seconds, then reads everything.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from display.feed import CONNECTION_ERRORS, LobbyFeed
from shared.changes import watch_changes
from shared.qt.changes import ChangeSignals
from shared.store.database import Store

log = logging.getLogger(__name__)

RETRY_MS = 3000


class StoreLink(QObject):
    def __init__(
        self, store: Store, branch_code: str, feed: LobbyFeed, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._branch = branch_code
        self._feed = feed
        self.signals: ChangeSignals | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.start)

    def start(self) -> None:
        try:
            watcher = watch_changes(self._store, self._branch)
        except CONNECTION_ERRORS as error:
            log.warning("store not reachable yet (%s); trying again", error)
            self._feed.on_connection_lost()
            self._retry.start()
            return
        self.signals = ChangeSignals(watcher, self)
        self._feed.attach(self.signals)
        self.signals.start()
        self._feed.on_reconnected()

    def stop(self) -> None:
        self._retry.stop()
        if self.signals is not None:
            self.signals.stop()
