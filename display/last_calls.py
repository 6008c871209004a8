"""The calls before the one on the big panel, so a visitor who looked away can still find
their number: as cards side by side in a wide strip, or a list in a tall box."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from display import theme
from display.calls_model import LastCallsModel
from display.painting import draw_line
from display.panel import ModelPanel
from shared.i18n import Translator
from shared.services.call_board import RecentCall

GAP = 12
MIN_CARD_WIDTH = 210  # reference pixels: room for "A012" and a short counter name


class LastCallsView(ModelPanel):
    def __init__(
        self, model: LastCallsModel, tr: Translator, parent: QWidget | None = None
    ) -> None:
        super().__init__(model, tr, "display.calls.title", parent)
        self.calls = model
        self._headline = 0  # event id of the call on the big panel (0: none)

    def show_headline(self, call: RecentCall | None, _fresh: bool = False) -> None:
        """The big panel's call is left out here; every other recent call is listed."""
        self._headline = call.event_id if call else 0
        self.update()

    def shown_rows(self, rect: QRectF) -> list[int]:
        """The model's rows but the big panel's call, newest first, as many as fit."""
        s = self.scale
        rows = [
            r
            for r in range(self.calls.rowCount())
            if self.calls.value(r, "eventId") != self._headline
        ]
        if not rows:
            return []
        if self._as_cards(rect):
            fit = int((rect.width() + GAP * s) // ((MIN_CARD_WIDTH + GAP) * s))
        else:
            fit = int(rect.height() // (theme.SIZES["last_call_number"] * s * 1.4))
        return rows[: max(0, fit)]

    def _as_cards(self, rect: QRectF) -> bool:
        return rect.width() > 2.5 * rect.height()

    def paint_body(self, painter: QPainter, rect: QRectF) -> None:
        rows = self.shown_rows(rect)
        if not rows:
            return
        s = self.scale
        gap = GAP * s
        pad = 14 * s
        if self._as_cards(rect):
            # Cards side by side: the number above, the counter below.
            width = (rect.width() - gap * (len(rows) - 1)) / len(rows)
            for n, row in enumerate(rows):
                card = QRectF(rect.left() + n * (width + gap), rect.top(), width, rect.height())
                inner = card.adjusted(pad, pad / 2, -pad, -pad / 2)
                split = inner.height() * 0.58
                number = QRectF(inner.left(), inner.top(), inner.width(), split)
                counter = QRectF(number.left(), number.bottom(), inner.width(),
                                 inner.height() - split)  # fmt: skip
                self._paint_call(painter, row, card, number, counter, Qt.AlignmentFlag.AlignLeft)
            return
        # A list: the number on the left, the counter on the right.
        height = theme.SIZES["last_call_number"] * s * 1.4
        for n, row in enumerate(rows):
            line = QRectF(rect.left(), rect.top() + n * height, rect.width(), height - gap / 2)
            inner = line.adjusted(pad, 0, -pad, 0)
            split = inner.width() * 0.4
            number = QRectF(inner.left(), inner.top(), split, inner.height())
            counter = QRectF(number.right(), inner.top(), inner.width() - split, inner.height())
            self._paint_call(painter, row, line, number, counter, Qt.AlignmentFlag.AlignRight)

    def _paint_call(
        self,
        painter: QPainter,
        row: int,
        box: QRectF,
        number: QRectF,
        counter: QRectF,
        counter_align: Qt.AlignmentFlag,
    ) -> None:
        s = self.scale
        number_ink, counter_ink = theme.ink("row_number"), theme.ink("row_text")
        painter.fillRect(box, number_ink.qbg())
        draw_line(painter, number, str(self.calls.value(row, "ticket")),
                  theme.font("last_call_number", s, bold=True), number_ink.qfg(),
                  min_px=self.min_px())  # fmt: skip
        draw_line(painter, counter, "→ " + str(self.calls.value(row, "counterName")),
                  theme.font("last_call_counter", s), counter_ink.qfg(), counter_align,
                  self.min_px(), Qt.TextElideMode.ElideMiddle)  # fmt: skip
