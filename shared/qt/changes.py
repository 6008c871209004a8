"""The one change watcher per process, as Qt signals delivered on the GUI thread."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QThread, Signal

from shared.changes.watcher import LOST, RESYNC, ChangeWatcher
from shared.store.unit_of_work import Change

log = logging.getLogger(__name__)


class ChangeSignals(QObject):
    """`changed` carries a list of `Change`; `connection_lost` / `reconnected` the link state."""

    changed = Signal(list)
    connection_lost = Signal()
    reconnected = Signal()

    def __init__(self, watcher: ChangeWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = watcher
        self._stop = threading.Event()
        self._thread = _WatchThread(self)

    def start(self) -> ChangeSignals:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.wait(3000)
        self._watcher.close()

    def _dispatch(self, batch: list[Change]) -> None:
        # Emitted from the watcher thread; Qt queues it to receivers on the GUI thread.
        kinds = {change.kind for change in batch}
        if LOST in kinds:
            self.connection_lost.emit()
        if RESYNC in kinds:
            self.reconnected.emit()
        real = [c for c in batch if c.kind not in (LOST, RESYNC)]
        if real or RESYNC in kinds:
            self.changed.emit(real)


class _WatchThread(QThread):
    def __init__(self, owner: ChangeSignals) -> None:
        super().__init__()
        self._owner = owner

    def run(self) -> None:
        owner = self._owner
        while not owner._stop.is_set():
            try:
                batch = owner._watcher.wait(0.2)
            except Exception:  # a watcher bug must not freeze the screen silently
                if owner._stop.is_set():
                    return  # stopping: the watcher was closed while it waited
                log.exception("change watcher failed; retrying in a second")
                owner._dispatch([Change(0, 0, LOST)])
                owner._stop.wait(1.0)
                continue
            if batch:
                owner._dispatch(batch)
