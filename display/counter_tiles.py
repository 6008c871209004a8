"""Every open counter as a tile: its name and the number it has called or is serving."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from display import theme
from display.counters_model import CountersModel
from display.painting import draw_line
from display.panel import ModelPanel
from shared.i18n import Translator

GAP = 12
MAX_TILE_HEIGHT = 150


def grid_for(count: int, width: float, height: float) -> tuple[int, int]:
    """(columns, rows) giving the tiles the most room for text (text wants wide tiles)."""
    best, best_room = (1, max(count, 1)), -1.0
    for columns in range(1, max(count, 1) + 1):
        rows = math.ceil(count / columns)
        room = min(width / columns / 3.0, height / rows)
        if room > best_room:
            best, best_room = (columns, rows), room
    return best


class CounterTiles(ModelPanel):
    def __init__(self, model: CountersModel, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(model, tr, "display.counters.title", parent)
        self.counters = model

    @property
    def empty_message(self) -> str | None:
        return "display.counters.none_open" if self.counters.rowCount() == 0 else None

    def paint_body(self, painter: QPainter, rect: QRectF) -> None:
        count = self.counters.rowCount()
        if self.empty_message is not None:
            self.paint_message(painter, rect, self.empty_message)
            return
        s = self.scale
        gap = GAP * s
        columns, rows = grid_for(count, rect.width(), rect.height())
        tile_w = (rect.width() - gap * (columns - 1)) / columns
        tile_h = min((rect.height() - gap * (rows - 1)) / rows, MAX_TILE_HEIGHT * s)
        for n in range(count):
            row, column = divmod(n, columns)
            tile = QRectF(
                rect.left() + column * (tile_w + gap),
                rect.top() + row * (tile_h + gap),
                tile_w,
                tile_h,
            )
            self._paint_tile(painter, tile, n)

    def _paint_tile(self, painter: QPainter, tile: QRectF, row: int) -> None:
        s = self.scale
        name_ink = theme.ink("tile_name")
        painter.fillRect(tile, name_ink.qbg())
        name = str(self.counters.value(row, "name"))
        ticket = str(self.counters.value(row, "ticket"))
        if self.counters.value(row, "state") == "paused":
            shown, ink, size = self._tr("display.counters.paused"), "tile_paused", "tile_name"
        elif ticket:
            shown, ink, size = ticket, "tile_ticket", "tile_ticket"
        else:
            shown, ink, size = "–", "tile_idle", "tile_ticket"
        pad = 16 * s
        inner = tile.adjusted(pad, 0, -pad, 0)
        name_font = theme.font("tile_name", s)
        shown_font = theme.font(size, s, bold=True)
        shown_w = QFontMetricsF(shown_font).horizontalAdvance(shown)
        name_w = QFontMetricsF(name_font).horizontalAdvance(name)
        right = Qt.AlignmentFlag.AlignRight
        if name_w + pad + shown_w <= inner.width():
            # Side by side when both fit whole; otherwise the name goes above the number.
            name_box = QRectF(
                inner.left(), inner.top(), inner.width() - shown_w - pad, inner.height()
            )
            shown_box = QRectF(inner.right() - shown_w, inner.top(), shown_w, inner.height())
        else:
            name_h = inner.height() * 0.4
            name_box = QRectF(inner.left(), inner.top() + 4 * s, inner.width(), name_h)
            shown_box = QRectF(
                inner.left(), inner.top() + name_h, inner.width(), inner.height() - name_h - 4 * s
            )
        draw_line(
            painter,
            name_box,
            name,
            name_font,
            name_ink.qfg(),
            min_px=self.min_px(),
            elide=Qt.TextElideMode.ElideMiddle,
        )
        draw_line(painter, shown_box, shown, shown_font, theme.ink(ink).qfg(), right, self.min_px())
