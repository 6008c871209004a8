"""Watching touches: inactivity sends the kiosk home; a hidden gesture opens maintenance."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

# Events that mean someone is using the kiosk.
_ACTIVITY = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
}


class InactivityWatch(QObject):
    """Emits `idle` after `idle_ms` without a touch or key press anywhere in the app."""

    idle = Signal()

    def __init__(self, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self.idle)

    def watch(self, target: QObject) -> None:
        target.installEventFilter(self)

    def restart(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class GestureLabel(QLabel):
    """A label that, tapped `taps` times within `within` seconds, emits `triggered`.

    Visitors never tap a title five times in a row by chance; staff know to.
    """

    triggered = Signal()

    def __init__(self, taps: int = 5, within: float = 4.0,
                 now: Callable[[], float] = time.monotonic,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.taps = taps
        self.within = within
        self._now = now
        self._times: list[float] = []

    def mousePressEvent(self, event: QMouseEvent) -> None:
        moment = self._now()
        self._times = [t for t in self._times if moment - t <= self.within] + [moment]
        if len(self._times) >= self.taps:
            self._times = []
            self.triggered.emit()
        super().mousePressEvent(event)
