"""The information panel: one page at a time, turning every few seconds.

A page longer than the panel holds is shown in parts ("Sisa kuota hari ini 1/2"), each part
whole lines at one type size, so no line is ever cut through or shrunk out of reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.info_pages import InfoPage
from display.painting import draw_pair, wrap_words

PAGE_SECONDS = 10
PAD = 20  # reference pixels
TITLE_HEIGHT = 1.3  # the title strip, in multiples of the title's type size


@dataclass(frozen=True)
class InfoScreen:
    """What the panel shows at one turn: a page, or one part of a long one."""

    page: InfoPage
    lines: tuple[str, ...]  # wrapped to the panel's width
    part: int  # 1-based
    parts: int

    @property
    def key(self) -> tuple[str, int]:
        return self.page.title, self.part

    @property
    def title(self) -> str:
        return self.page.title if self.parts == 1 else f"{self.page.title} {self.part}/{self.parts}"


class InfoPanel(QWidget):
    def __init__(self, parent: QWidget | None = None, page_seconds: float = PAGE_SECONDS) -> None:
        super().__init__(parent)
        self._pages: list[InfoPage] = []
        self._shown: tuple[str, int] | None = None  # the screen on show, by title and part
        self._scale = 1.0
        self._english = False
        self._turn = QTimer(self)
        self._turn.setInterval(int(page_seconds * 1000))
        self._turn.timeout.connect(self.next_page)
        self._turn.start()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def page(self) -> InfoPage | None:
        screen = self.screen_shown()
        return screen.page if screen else None

    @property
    def pages(self) -> list[InfoPage]:
        return list(self._pages)

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def set_english(self, english: bool) -> None:
        """Page titles in English too when there is room, or Indonesian only."""
        self._english = english
        self.update()

    def set_pages(self, pages: Sequence[InfoPage]) -> None:
        """New content keeps the page being read when it still exists (waits change often)."""
        current = self.page
        self._pages = list(pages)
        titles = [p.title for p in self._pages]
        if current is None or current.title not in titles:
            self._shown = None
        self.update()

    def next_page(self) -> None:
        screens = self.screens()
        if screens:
            self._shown = screens[(self._position(screens) + 1) % len(screens)].key
            self.update()

    # -- layout ----------------------------------------------------------------------------
    def body_font(self) -> QFont:
        return theme.font("info_body", self._scale)

    def body_rect(self) -> QRectF:
        s = self._scale
        area = QRectF(self.rect()).adjusted(PAD * s, PAD * s / 2, -PAD * s, -PAD * s / 2)
        title_h = theme.SIZES["info_title"] * s * TITLE_HEIGHT
        return QRectF(area.left(), area.top() + title_h, area.width(), area.height() - title_h)

    def screens(self) -> list[InfoScreen]:
        """Every page split into parts of as many whole lines as the panel holds now."""
        body = self.body_rect()
        metrics = QFontMetricsF(self.body_font())
        per_part = max(1, int(body.height() // metrics.lineSpacing()))
        screens: list[InfoScreen] = []
        for page in self._pages:
            lines = [
                wrapped
                for paragraph in page.body.split("\n")
                for wrapped in wrap_words(paragraph, metrics, body.width(), max_lines=1000)
            ]
            parts = [lines[n : n + per_part] for n in range(0, len(lines), per_part)] or [[]]
            screens.extend(
                InfoScreen(page, tuple(part), n + 1, len(parts)) for n, part in enumerate(parts)
            )
        return screens

    def screen_shown(self) -> InfoScreen | None:
        screens = self.screens()
        return screens[self._position(screens)] if screens else None

    def _position(self, screens: list[InfoScreen]) -> int:
        keys = [s.key for s in screens]
        if self._shown in keys:
            return keys.index(self._shown)
        # The part being read may be gone (the panel grew): stay on the same page.
        titles = [s.page.title for s in screens]
        if self._shown is not None and self._shown[0] in titles:
            return titles.index(self._shown[0])
        return 0

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        s = self._scale
        title_ink, body_ink = theme.ink("info_title"), theme.ink("info_body")
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), body_ink.qbg())
        screen = self.screen_shown()
        if screen is not None:
            body = self.body_rect()
            title_h = theme.SIZES["info_title"] * s * TITLE_HEIGHT
            draw_pair(
                painter,
                QRectF(body.left(), body.top() - title_h, body.width(), title_h),
                screen.title,
                screen.page.title_en if self._english else "",
                theme.font("info_title", s, bold=True),
                theme.font("info_title", s),
                title_ink.qfg(),
                title_ink.qfg(),
                round(theme.MIN_TEXT * s),
            )
            font = self.body_font()
            metrics = QFontMetricsF(font)
            painter.setFont(font)
            painter.setPen(body_ink.qfg())
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            top = body.top()
            for line in screen.lines:
                painter.drawText(QRectF(body.left(), top, body.width(), metrics.height()), flags,
                                 line)  # fmt: skip
                top += metrics.lineSpacing()
        painter.end()
