"""The information panel: one page at a time, turning every few seconds."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.info_pages import InfoPage
from display.painting import draw_pair, draw_wrapped

PAGE_SECONDS = 10


class InfoPanel(QWidget):
    def __init__(self, parent: QWidget | None = None, page_seconds: float = PAGE_SECONDS) -> None:
        super().__init__(parent)
        self._pages: list[InfoPage] = []
        self._index = 0
        self._scale = 1.0
        self._turn = QTimer(self)
        self._turn.setInterval(int(page_seconds * 1000))
        self._turn.timeout.connect(self.next_page)
        self._turn.start()
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def page(self) -> InfoPage | None:
        return self._pages[self._index] if self._pages else None

    @property
    def pages(self) -> list[InfoPage]:
        return list(self._pages)

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    def set_pages(self, pages: Sequence[InfoPage]) -> None:
        """New content keeps the page being read when it still exists (waits change often)."""
        current = self.page
        self._pages = list(pages)
        titles = [p.title for p in self._pages]
        self._index = titles.index(current.title) if current and current.title in titles else 0
        self.update()

    def next_page(self) -> None:
        if self._pages:
            self._index = (self._index + 1) % len(self._pages)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        s = self._scale
        title_ink, body_ink = theme.ink("info_title"), theme.ink("info_body")
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), body_ink.qbg())
        page = self.page
        if page is not None:
            pad = 20 * s
            area = QRectF(self.rect()).adjusted(pad, pad / 2, -pad, -pad / 2)
            title_h = theme.SIZES["info_title"] * s * 1.3
            min_px = round(theme.MIN_TEXT * s)
            draw_pair(
                painter,
                QRectF(area.left(), area.top(), area.width(), title_h),
                page.title,
                page.title_en,
                theme.font("info_title", s, bold=True),
                theme.font("info_title", s),
                title_ink.qfg(),
                title_ink.qfg(),
                min_px,
            )
            body = QRectF(area.left(), area.top() + title_h, area.width(), area.height() - title_h)
            draw_wrapped(
                painter, body, page.body, theme.font("info_body", s), body_ink.qfg(), min_px
            )
        painter.end()
