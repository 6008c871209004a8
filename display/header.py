"""The band along the top: the branch's name, today's date in Indonesian, and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_line, draw_wrapped
from display.wording import clock_text, indonesian_date

Now = Callable[[], datetime]


def system_now() -> datetime:
    return datetime.now(UTC)


class HeaderBar(QWidget):
    def __init__(self, now: Now = system_now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self._branch_name = ""
        self._zone_name = "Asia/Jakarta"
        self._zone = ZoneInfo(self._zone_name)
        self._scale = 1.0
        self._shown = ""
        # A tick a second, but a repaint only when the minute on screen changes.
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def set_branch(self, name: str, zone_name: str) -> None:
        if (name, zone_name) != (self._branch_name, self._zone_name):
            self._branch_name, self._zone_name = name, zone_name
            self._zone = ZoneInfo(zone_name)
            self.update()

    def local_now(self) -> datetime:
        return self._now().astimezone(self._zone)

    def texts(self) -> tuple[str, str]:
        """(date, time) as shown."""
        moment = self.local_now()
        return indonesian_date(moment), clock_text(moment, self._zone_name)

    def _on_tick(self) -> None:
        if "".join(self.texts()) != self._shown:
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        s = self._scale
        ink = theme.ink("header")
        date_text, time_text = self.texts()
        self._shown = date_text + time_text
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), ink.qbg())
        pad = 24 * s
        area = QRectF(self.rect()).adjusted(pad, 0, -pad, 0)
        min_px = round(theme.MIN_TEXT * s)
        name_font = theme.font("header_title", s, bold=True)
        date_font, clock_font = theme.font("date", s), theme.font("clock", s, bold=True)
        date_w = QFontMetricsF(date_font).horizontalAdvance(date_text)
        clock_w = QFontMetricsF(clock_font).horizontalAdvance(time_text)
        name_w = QFontMetricsF(name_font).horizontalAdvance(self._branch_name)
        right = Qt.AlignmentFlag.AlignRight
        if name_w + date_w + clock_w + 2 * pad <= area.width():
            # Wide screens: name, date and clock on one line.
            clock_box = QRectF(area.right() - clock_w, area.top(), clock_w, area.height())
            date_box = QRectF(clock_box.left() - pad - date_w, area.top(), date_w, area.height())
            name_box = QRectF(area.left(), area.top(), date_box.left() - pad, area.height())
            draw_line(painter, name_box, self._branch_name, name_font, ink.qfg(), min_px=min_px)
        else:
            # Narrow screens: the clock above the date on the right, the name wrapped beside.
            block_w = max(date_w, clock_w)
            half = area.height() / 2
            clock_box = QRectF(area.right() - block_w, area.top() + 4 * s, block_w, half)
            date_box = QRectF(area.right() - block_w, area.top() + half, block_w, half - 4 * s)
            name_box = QRectF(
                area.left(),
                area.top() + 8 * s,
                area.width() - block_w - pad,
                area.height() - 16 * s,
            )
            draw_wrapped(
                painter,
                name_box,
                self._branch_name,
                name_font,
                ink.qfg(),
                min_px,
                vertical_centre=True,
            )
        draw_line(painter, date_box, date_text, date_font, ink.qfg(), right, min_px)
        draw_line(painter, clock_box, time_text, clock_font, ink.qfg(), right, min_px)
        painter.end()
