"""Across the screen while the store cannot be reached: the numbers below may be stale."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_lines, lines_size
from shared.i18n import Translator


class ConnectionBanner(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._scale = 1.0
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.hide()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def lines(self) -> tuple[str, str]:
        return self._tr.both("connection.lost")

    def paintEvent(self, event: QPaintEvent) -> None:
        s = self._scale
        ink = theme.ink("alert")
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), ink.qbg())
        pad = 24 * s
        area = QRectF(self.rect()).adjusted(pad, pad / 2, -pad, -pad / 2)
        split = area.height() * 0.6
        first, second = self.lines()
        # Indonesian first and bigger; either may take two lines on a narrow (portrait) screen.
        for text, box, font in (
            (first, QRectF(area.left(), area.top(), area.width(), split),
             theme.font("alert", s, bold=True)),
            (second, QRectF(area.left(), area.top() + split, area.width(), area.height() - split),
             theme.font("alert", s * 0.7)),
        ):  # fmt: skip
            px = lines_size(text, font, box, round(theme.MIN_TEXT * s * 0.8))
            font.setPixelSize(px)
            draw_lines(painter, box, text, font, ink.qfg(), centred=True)
        painter.end()
