"""A titled panel that paints one item model; it repaints whenever the model says it changed."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_line, draw_pair
from display.wording import both_languages
from shared.i18n import Translator

TITLE_HEIGHT = 1.5  # the title strip, in multiples of the title's type size


class ModelPanel(QWidget):
    def __init__(
        self,
        model: QAbstractItemModel,
        tr: Translator,
        title_key: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._tr = tr
        self._title_key = title_key
        self._scale = 1.0
        self._english = False
        for signal in (
            model.modelReset,
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
        ):
            signal.connect(self.update)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def scale(self) -> float:
        return self._scale

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self.update()

    @property
    def english(self) -> bool:
        return self._english

    def set_english(self, english: bool) -> None:
        """Titles and messages in English too (after the Indonesian), or Indonesian only."""
        self._english = english
        self.update()

    def caption(self, key: str) -> str:
        """A title or message as this branch shows it: Indonesian, or both languages."""
        return both_languages(self._tr, key) if self._english else self._tr(key)

    @property
    def empty_message(self) -> str | None:
        """The translation key shown instead of rows, when there are none."""
        return None

    def min_px(self) -> int:
        return round(theme.MIN_TEXT * self._scale)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        title_ink = theme.ink("panel_title")
        painter.fillRect(self.rect(), title_ink.qbg())
        title_h = theme.SIZES["panel_title"] * self._scale * TITLE_HEIGHT
        title = QRectF(0, 0, self.title_width(), title_h)
        first, second = self._tr.both(self._title_key)
        if not self._english:
            second = ""
        draw_pair(
            painter,
            title,
            first.upper(),
            second.upper(),
            theme.font("panel_title", self._scale, bold=True),
            theme.font("panel_title", self._scale),
            title_ink.qfg(),
            title_ink.qfg(),
            self.min_px(),
        )
        self.paint_body(painter, QRectF(0, title_h, self.width(), self.height() - title_h))
        painter.end()

    def title_width(self) -> float:
        """How much of the title strip the title may take (the rest may hold column titles)."""
        return self.width()

    def paint_body(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def paint_message(self, painter: QPainter, rect: QRectF, key: str) -> None:
        """The panel's one-line state when it has no rows ("no counter is open yet")."""
        empty = theme.ink("empty")
        painter.fillRect(rect, empty.qbg())
        pad = 24 * self._scale
        draw_line(
            painter,
            rect.adjusted(pad, 0, -pad, 0),
            self.caption(key),
            theme.font("row_text", self._scale),
            empty.qfg(),
            Qt.AlignmentFlag.AlignHCenter,
            self.min_px(),
        )
