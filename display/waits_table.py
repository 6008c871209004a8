"""Per service: its letter, its name, how many are waiting, and the estimated wait for a
visitor taking a ticket now (or why no ticket can be taken).

The count and estimate columns are as wide as what they hold today; the name gets the rest
and wraps onto a second line rather than losing its end."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from display import theme
from display.painting import draw_line, draw_lines, lines_size
from display.panel import ModelPanel
from display.waits_model import ServiceWaitsModel
from shared.i18n import Translator

GAP = 8
ROW_HEIGHT = 72  # reference pixels
HEADER_HEIGHT = 44
MAX_ESTIMATE_SHARE = 0.42  # of the row: a long "closed" text is shrunk beyond this
NAME_MIN = 26  # reference pixels: a wrapped service name may get this small


class WaitsTable(ModelPanel):
    def __init__(
        self, model: ServiceWaitsModel, tr: Translator, parent: QWidget | None = None
    ) -> None:
        super().__init__(model, tr, "display.waits.title", parent)
        self.waits = model

    def _wait_font(self, row: int) -> QFont:
        """A time range in bold figures; a reason for having none in plain text."""
        if (
            self.waits.value(row, "lowMinutes") is not None
            and self.waits.value(row, "issuing") == "open"
        ):
            return theme.font("row_number", self.scale, bold=True)
        return theme.font("row_text", self.scale)

    def columns(self, rect: QRectF, badge_w: float) -> tuple[float, float, float, float]:
        """x of the name, count and estimate columns, and the right edge of the table."""
        s = self.scale
        pad = 16 * s
        header = QFontMetricsF(theme.font("panel_title", s))
        count_font = QFontMetricsF(theme.font("row_number", s, bold=True))
        count_w = max(
            header.horizontalAdvance(self._tr("display.waits.waiting")),
            count_font.horizontalAdvance("000"),
        )
        estimate_w = max(
            [header.horizontalAdvance(self._tr("display.waits.estimate"))]
            + [
                QFontMetricsF(self._wait_font(row)).horizontalAdvance(
                    str(self.waits.value(row, "waitText"))
                )
                for row in range(self.waits.rowCount())
            ]
        )
        estimate_w = min(estimate_w, rect.width() * MAX_ESTIMATE_SHARE)
        end = rect.right() - pad
        estimate_x = end - estimate_w
        count_x = estimate_x - 3 * pad - count_w
        return rect.left() + badge_w + pad, count_x, estimate_x, end

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
        header_h = HEADER_HEIGHT * s
        row_h = min(ROW_HEIGHT * s, (rect.height() - header_h) / count - gap)
        xs = self.columns(rect, row_h)
        column_ink = theme.ink("column_title")
        header_font = theme.font("panel_title", s)
        right = Qt.AlignmentFlag.AlignRight
        for n, key in enumerate(
            ("display.waits.service", "display.waits.waiting", "display.waits.estimate")
        ):
            left = xs[n]
            width = xs[n + 1] - left - 16 * s * (0, 2, 0)[n]
            if n == 0:
                width = xs[1] - left - 16 * s
            draw_line(
                painter,
                QRectF(left, rect.top(), width, header_h),
                self._tr(key),
                header_font,
                column_ink.qfg(),
                right if n else Qt.AlignmentFlag.AlignLeft,
                self.min_px(),
            )
        top = rect.top() + header_h
        for row in range(count):
            line = QRectF(rect.left(), top + row * (row_h + gap), rect.width(), row_h)
            self._paint_row(painter, line, row, xs)

    def _paint_row(
        self, painter: QPainter, line: QRectF, row: int, xs: tuple[float, float, float, float]
    ) -> None:
        s = self.scale
        pad = 16 * s
        text_ink = theme.ink("row_text")
        painter.fillRect(line, text_ink.qbg())
        badge_ink = theme.ink("badge")
        badge = QRectF(line.left(), line.top(), line.height(), line.height())
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
        name_x, count_x, estimate_x, end = xs
        name = str(self.waits.value(row, "name"))
        name_box = QRectF(name_x, line.top(), count_x - name_x - pad, line.height())
        # Only a name too long for one line is made smaller (and wrapped): the others keep
        # the full size.
        name_px = lines_size(name, theme.font("row_text", s), name_box, round(NAME_MIN * s))
        draw_lines(painter, name_box, name, theme.pixel_font(name_px), text_ink.qfg())
        right = Qt.AlignmentFlag.AlignRight
        draw_line(
            painter,
            QRectF(count_x, line.top(), estimate_x - count_x - 2 * pad, line.height()),
            str(self.waits.value(row, "waiting")),
            theme.font("row_number", s, bold=True),
            theme.ink("row_number").qfg(),
            right,
            self.min_px(),
        )
        issuing = self.waits.value(row, "issuing")
        draw_line(
            painter,
            QRectF(estimate_x, line.top(), end - estimate_x, line.height()),
            str(self.waits.value(row, "waitText")),
            self._wait_font(row),
            theme.ink("row_text" if issuing == "open" else "row_closed").qfg(),
            right,
            self.min_px(),
        )
