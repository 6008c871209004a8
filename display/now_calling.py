"""The big panel: the number being called and where to go, flashing for a few seconds when new.

The flash swaps the panel to amber with dark text and back twice a second: slow enough to stay
under WCAG's three flashes per second, plain enough to catch the eye of someone looking away.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_line
from display.wording import both_languages
from shared.i18n import Translator
from shared.services.call_board import RecentCall

FLASH_HALF_PERIOD_MS = 500


class NowCallingPanel(QWidget):
    painted = Signal(int, str)  # event id and ticket shown (0, "" when none): for benchmarks

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._call: RecentCall | None = None
        self._scale = 1.0
        self._flash_seconds = 5.0
        self._lit = False
        self._flash_clock = QElapsedTimer()
        self._blink = QTimer(self)
        self._blink.setInterval(FLASH_HALF_PERIOD_MS)
        self._blink.timeout.connect(self._toggle)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # -- state -----------------------------------------------------------------------------
    @property
    def call(self) -> RecentCall | None:
        return self._call

    @property
    def flashing(self) -> bool:
        return self._blink.isActive()

    @property
    def lit(self) -> bool:
        """Whether the panel is in its amber phase now."""
        return self._lit

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def set_flash_seconds(self, seconds: float) -> None:
        self._flash_seconds = seconds

    def show_call(self, call: RecentCall | None, fresh: bool) -> None:
        self._call = call
        if fresh and call is not None and self._flash_seconds > 0:
            self._flash_clock.start()
            self._lit = True
            self._blink.start()
        else:
            self._stop_flash()
        self.update()

    def _toggle(self) -> None:
        if self._flash_clock.elapsed() >= self._flash_seconds * 1000:
            self._stop_flash()
        else:
            self._lit = not self._lit
        self.update()

    def stop_flash(self) -> None:
        self._stop_flash()
        self.update()

    def _stop_flash(self) -> None:
        self._blink.stop()
        self._lit = False

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        suffix = "_flash" if self._lit else ""
        caption_ink = theme.ink("now_caption" + suffix)
        number_ink = theme.ink("now_number" + suffix)
        counter_ink = theme.ink("now_counter" + suffix)
        s = self._scale
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), number_ink.qbg())
        pad = 24 * s
        area = QRectF(self.rect()).adjusted(pad, pad, -pad, -pad)
        min_px = round(theme.MIN_TEXT * s)
        centre = Qt.AlignmentFlag.AlignHCenter
        call = self._call
        # Heights in proportion to the type sizes, so the number gets most of the panel.
        parts = [
            ("now_caption", 1.3),
            ("now_number", 1.15),
            ("now_caption", 1.2),
            ("now_counter", 1.2),
        ]
        wanted = sum(theme.SIZES[name] * s * k for name, k in parts)
        fit = min(1.0, area.height() / wanted) if wanted else 1.0
        heights = [theme.SIZES[name] * s * k * fit for name, k in parts]
        top = area.top() + (area.height() - sum(heights)) / 2
        rows = []
        for h in heights:
            rows.append(QRectF(area.left(), top, area.width(), h))
            top += h
        if call is None:
            texts = [("display.now.caption", ""), ("", "–"), ("", ""), ("display.now.none", "")]
        else:
            caption = "display.now.recall" if call.recall else "display.now.caption"
            texts = [(caption, ""), ("", call.label), ("display.now.go_to", ""),
                     ("", call.counter_name.upper())]  # fmt: skip
        # Per row (caption, number, "please go to", counter): type size, scale, bold, ink.
        looks = [
            ("now_caption", s, True, caption_ink),
            ("now_number", s * fit, True, number_ink),
            ("now_caption", s, False, caption_ink),
            ("now_counter", s * fit, True, counter_ink),
        ]
        if call is None:
            looks[3] = ("now_caption", s, False, caption_ink)
        for row, (key, text), (size, scale, bold, ink) in zip(rows, texts, looks, strict=True):
            shown = both_languages(self._tr, key) if key else text
            if shown:
                draw_line(painter, row, shown, theme.font(size, scale, bold), ink.qfg(), centre,
                          min_px)  # fmt: skip
        painter.end()
        self.painted.emit(call.event_id if call else 0, call.label if call else "")
