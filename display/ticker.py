"""The running text along the bottom: the branch's message, Indonesian then English.

The text is drawn once into a pixmap and slid across, so a frame costs one blit however long
the message is; the speed is set in screen widths per second, the same on every screen.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QHideEvent, QPainter, QPaintEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import QWidget

from display import theme

FRAME_MS = 33
SPEED_PX_PER_S = 150  # reference pixels per second: a comfortable reading pace
SEPARATOR = "     •     "


class Ticker(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._scale = 1.0
        self._strip: QPixmap | None = None
        self._shift = 0.0  # reference pixels already travelled when the clock started
        self._clock = QElapsedTimer()
        self._clock.start()
        self._frames = QTimer(self)
        self._frames.setInterval(FRAME_MS)
        self._frames.timeout.connect(self.update)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def text(self) -> str:
        return self._text

    @property
    def running(self) -> bool:
        return self._frames.isActive()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._strip = None
        self.update()

    def set_messages(self, *messages: str) -> None:
        text = SEPARATOR.join(m.strip() for m in messages if m.strip())
        if text == self._text:
            return
        self._text = text
        self._strip = None
        self._shift = 0.0
        self._clock.restart()
        self.update()
        if text and self.isVisible():
            self._frames.start()
        elif not text:
            self._frames.stop()

    def rewind(self) -> None:
        """Put the start of the text at the left edge now (for a still picture)."""
        self._shift = (self.width() - 24 * self._scale) / self._scale
        self._clock.restart()
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        if self._text:
            self._frames.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._frames.stop()

    def _render_strip(self) -> QPixmap:
        ink = theme.ink("ticker")
        font = theme.font("ticker", self._scale, bold=True)
        text = self._text + SEPARATOR
        width = max(1, round(QFontMetricsF(font).horizontalAdvance(text)))
        strip = QPixmap(width, max(1, self.height()))
        strip.fill(ink.qbg())
        painter = QPainter(strip)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(font)
        painter.setPen(ink.qfg())
        painter.drawText(
            QRectF(0, 0, width, self.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
        painter.end()
        return strip

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.ink("ticker").qbg())
        if self._text:
            if self._strip is None or self._strip.height() != self.height():
                self._strip = self._render_strip()
            width = self._strip.width()
            travelled = (self._clock.elapsed() / 1000 * SPEED_PX_PER_S + self._shift) * self._scale
            # Enter at the right edge, then repeat the strip end to end.
            x = self.width() - travelled
            if x < -width:
                x = x % width - width
            while x < self.width():
                painter.drawPixmap(round(x), 0, self._strip)
                x += width
        painter.end()
