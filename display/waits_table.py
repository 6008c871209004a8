"""Per service: its letter, its name, how many are waiting, and the estimated wait for a
visitor taking a ticket now (or why no ticket can be taken).

The count and estimate columns are as wide as what they hold today; the name gets the rest.
Each column is painted at one type size, the largest at which every row's text fits whole
(on up to two lines), so one long name does not make its row look unlike the others."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_line, draw_lines, lines_size
from display.panel import ModelPanel
from display.waits_model import ServiceWaitsModel
from shared.i18n import Translator

GAP = 8
ROW_HEIGHT = 96  # reference pixels: room for two lines of a long name
MAX_ESTIMATE_SHARE = 0.42  # of the row: a longer reason is wrapped, or made smaller
BADGE_WIDTH = 72  # reference pixels: the service letter's square, at most
NAME_MIN = 26  # reference pixels: the name and estimate columns may get this small


@dataclass(frozen=True)
class TableLayout:
    row_height: float
    name_x: float
    count_x: float
    estimate_x: float
    end: float
    name_px: int  # every service name's type size
    estimate_px: int  # every estimate's (bold for a time range, plain for a reason)
    count_title_x: float  # where the count column's title starts

    def name_box(self, line: QRectF, pad: float) -> QRectF:
        return QRectF(self.name_x, line.top(), self.count_x - self.name_x - pad, line.height())

    def estimate_box(self, line: QRectF) -> QRectF:
        return QRectF(self.estimate_x, line.top(), self.end - self.estimate_x, line.height())


class WaitsTable(ModelPanel):
    def __init__(
        self, model: ServiceWaitsModel, tr: Translator, parent: QWidget | None = None
    ) -> None:
        super().__init__(model, tr, "display.waits.title", parent)
        self.waits = model

    def _is_range(self, row: int) -> bool:
        return (
            self.waits.value(row, "lowMinutes") is not None
            and self.waits.value(row, "issuing") == "open"
        )

    def _wait_font(self, row: int, px: int) -> QFont:
        """A time range in bold figures; a reason for having none in plain text."""
        return theme.pixel_font(px, bold=self._is_range(row))

    def title_width(self) -> float:
        return self.table_layout().count_title_x - 16 * self.scale

    def body_rect(self) -> QRectF:
        title_h = theme.SIZES["panel_title"] * self.scale * 1.5
        return QRectF(0, title_h, self.width(), self.height() - title_h)

    def table_layout(self, rect: QRectF | None = None) -> TableLayout:
        """Where the columns go and the one type size of each, for the rows shown now."""
        rect = self.body_rect() if rect is None else rect
        s = self.scale
        pad = 16 * s
        count = max(1, self.waits.rowCount())
        row_h = min(ROW_HEIGHT * s, (rect.height() + GAP * s) / count - GAP * s)
        header = QFontMetricsF(theme.font("panel_title", s))
        count_font = QFontMetricsF(theme.font("row_number", s, bold=True))
        # The count's title may stand wider than its figures, over the end of the names'.
        count_w = count_font.horizontalAdvance("000")
        count_title_w = header.horizontalAdvance(self._tr("display.waits.waiting"))
        full_px = round(theme.SIZES["row_text"] * s)
        texts = [str(self.waits.value(r, "waitText")) for r in range(self.waits.rowCount())]
        estimate_w = max(
            [header.horizontalAdvance(self._tr("display.waits.estimate"))]
            + [_needed_width(text, self._wait_font(r, full_px)) for r, text in enumerate(texts)]
        )
        estimate_w = min(estimate_w, rect.width() * MAX_ESTIMATE_SHARE)
        end = rect.right() - pad
        estimate_x = end - estimate_w
        count_x = estimate_x - 2 * pad - count_w
        name_x = rect.left() + min(row_h, BADGE_WIDTH * s) + pad
        smallest = round(NAME_MIN * s)
        cell_h = row_h - 4 * s
        name_box = QRectF(0, 0, count_x - name_x - pad, cell_h)
        estimate_box = QRectF(0, 0, end - estimate_x, cell_h)
        name_px = min(
            [full_px]
            + [
                lines_size(
                    str(self.waits.value(r, "name")), theme.pixel_font(full_px), name_box, smallest
                )
                for r in range(self.waits.rowCount())
            ]
        )
        estimate_px = min(
            [full_px]
            + [
                lines_size(text, self._wait_font(r, full_px), estimate_box, smallest)
                for r, text in enumerate(texts)
            ]
        )
        return TableLayout(
            row_h, name_x, count_x, estimate_x, end, name_px, estimate_px,
            estimate_x - pad - count_title_w,
        )  # fmt: skip

    @property
    def empty_message(self) -> str | None:
        return "display.waits.none" if self.waits.rowCount() == 0 else None

    def paint_body(self, painter: QPainter, rect: QRectF) -> None:
        count = self.waits.rowCount()
        if self.empty_message is not None:
            self.paint_message(painter, rect, self.empty_message)
            return
        s = self.scale
        gap = GAP * s
        # The column titles stand in the panel's title strip, over their columns: the rows
        # get that height (two lines of an explanation need it).
        header_h = rect.top()
        table = self.table_layout(rect)
        column_ink = theme.ink("column_title")
        header_font = theme.font("panel_title", s)
        right = Qt.AlignmentFlag.AlignRight
        headers = (
            (table.count_title_x, table.estimate_x - 16 * s, "display.waits.waiting", right),
            (table.estimate_x, table.end, "display.waits.estimate", right),
        )  # fmt: skip
        for left, stop, key, align in headers:
            draw_line(painter, QRectF(left, 0, stop - left, header_h), self._tr(key),
                      header_font, column_ink.qfg(), align, self.min_px())  # fmt: skip
        top = rect.top()
        for row in range(count):
            line = QRectF(
                rect.left(), top + row * (table.row_height + gap), rect.width(), table.row_height
            )
            self._paint_row(painter, line, row, table)

    def _paint_row(self, painter: QPainter, line: QRectF, row: int, table: TableLayout) -> None:
        s = self.scale
        pad = 16 * s
        text_ink = theme.ink("row_text")
        painter.fillRect(line, text_ink.qbg())
        badge_ink = theme.ink("badge")
        badge_w = min(line.height(), BADGE_WIDTH * s)
        badge = QRectF(line.left(), line.top(), badge_w, line.height())
        painter.fillRect(badge, badge_ink.qbg())
        draw_line(
            painter,
            badge,
            str(self.waits.value(row, "prefix")),
            theme.font("badge", s, bold=True),
            badge_ink.qfg(),
            Qt.AlignmentFlag.AlignHCenter,
            self.min_px(),
        )
        name = str(self.waits.value(row, "name"))
        draw_lines(painter, table.name_box(line, pad), name, theme.pixel_font(table.name_px),
                   text_ink.qfg())  # fmt: skip
        draw_line(
            painter,
            QRectF(
                table.count_x, line.top(), table.estimate_x - table.count_x - pad, line.height()
            ),
            str(self.waits.value(row, "waiting")),
            theme.font("row_number", s, bold=True),
            theme.ink("row_number").qfg(),
            Qt.AlignmentFlag.AlignRight,
            self.min_px(),
        )
        issuing = self.waits.value(row, "issuing")
        draw_lines(
            painter,
            table.estimate_box(line),
            str(self.waits.value(row, "waitText")),
            self._wait_font(row, table.estimate_px),
            theme.ink("row_text" if issuing == "open" else "row_closed").qfg(),
            right=True,
        )


def _needed_width(text: str, font: QFont) -> float:
    """A reason with an explanation ("Ditutup · 6 masih dilayani") goes on two lines, broken
    after the "·", so the estimate column needs only its longer half."""
    metrics = QFontMetricsF(font)
    state, joiner, rest = text.partition(" · ")
    if not joiner:
        return metrics.horizontalAdvance(text)
    return max(metrics.horizontalAdvance(state + " ·"), metrics.horizontalAdvance(rest))
