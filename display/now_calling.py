"""The big panel: the number being called and where to go, flashing for a few seconds when new.

The flash swaps the panel to amber with dark text and back twice a second: slow enough to stay
under WCAG's three flashes per second, plain enough to catch the eye of someone looking away.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.wording import both_languages
from shared.i18n import Translator
from shared.services.call_board import RecentCall

FLASH_HALF_PERIOD_MS = 500
PAD = 24  # reference pixels around the text
# Reference pixels between the lines' cap heights: caption-number, number-"silakan menuju",
# "silakan menuju"-counter (room for the descender of the "j").
GAPS = (30, 36, 24)


class NowCallingPanel(QWidget):
    painted = Signal(int, str)  # event id and ticket shown (0, "" when none): for benchmarks

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._call: RecentCall | None = None
        self._scale = 1.0
        self._flash_seconds = 5.0
        self._english = False
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

    def set_english(self, english: bool) -> None:
        """Captions in English too (after the Indonesian), or Indonesian only."""
        self._english = english
        self.update()

    # -- layout ----------------------------------------------------------------------------
    def lines(self) -> list[ShownLine]:
        """The four lines as painted at the panel's present size: the caption, the number,
        "silakan menuju" and the counter (empty texts when there is no call). The number and
        the counter keep their full size unless the text is too wide for the panel."""
        s = self._scale
        call = self._call
        width = max(1.0, self.width() - 2 * PAD * s)
        if call is None:
            texts = [self._caption("display.now.caption"), "–", "",
                     self._caption("display.now.none")]  # fmt: skip
            looks = [("now_caption", True), ("now_number", True), ("now_caption", False),
                     ("now_caption", False)]  # fmt: skip
        else:
            caption = "display.now.recall" if call.recall else "display.now.caption"
            texts = [self._caption(caption), call.label, self._caption("display.now.go_to"),
                     call.counter_name.upper()]  # fmt: skip
            looks = [("now_caption", True), ("now_number", True), ("now_caption", False),
                     ("now_counter", True)]  # fmt: skip
        fonts = [_fitting(theme.font(size, s, bold), text, width) for (size, bold), text in
                 zip(looks, texts, strict=True)]  # fmt: skip
        # Stacked by cap height (what the eye reads as the letters' size), centred; when the
        # panel is too low for everything at full size, gaps and type shrink together.
        caps = [QFontMetricsF(f).capHeight() for f in fonts]
        gaps = [g * s for g in GAPS]
        wanted = sum(caps) + sum(gaps)
        room = self.height() - 2 * PAD * s
        fit = min(1.0, room / wanted) if wanted > 0 else 1.0
        if fit < 1.0:
            fonts = [theme.pixel_font(max(1, int(f.pixelSize() * fit)), f.bold()) for f in fonts]
            caps = [QFontMetricsF(f).capHeight() for f in fonts]
            gaps = [g * fit for g in gaps]
        top = (self.height() - sum(caps) - sum(gaps)) / 2
        shown = []
        for n, (text, font, cap) in enumerate(zip(texts, fonts, caps, strict=True)):
            baseline = top + cap
            shown.append(ShownLine(text, font, baseline, looks[n][0]))
            top = baseline + (gaps[n] if n < len(gaps) else 0.0)
        return shown

    def _caption(self, key: str) -> str:
        return both_languages(self._tr, key) if self._english else self._tr(key)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        suffix = "_flash" if self._lit else ""
        call = self._call
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), theme.ink("now_number" + suffix).qbg())
        for line in self.lines():
            if not line.text:
                continue
            metrics = QFontMetricsF(line.font)
            x = (self.width() - metrics.horizontalAdvance(line.text)) / 2
            painter.setFont(line.font)
            painter.setPen(theme.ink(line.size + suffix).qfg())
            painter.drawText(QPointF(x, line.baseline), line.text)
        painter.end()
        self.painted.emit(call.event_id if call else 0, call.label if call else "")


@dataclass(frozen=True)
class ShownLine:
    text: str
    font: QFont
    baseline: float  # y of the baseline in the panel
    size: str  # the theme's size and ink name


def _fitting(font: QFont, text: str, width: float) -> QFont:
    """`font`, made smaller only if `text` is wider than `width` (a long counter name)."""
    advance = QFontMetricsF(font).horizontalAdvance(text)
    if advance <= width:
        return font
    return theme.pixel_font(max(1, int(font.pixelSize() * width / advance)), font.bold())
