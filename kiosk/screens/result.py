"""The issued ticket: the number huge, people ahead and the call window, then home on its own.

When the paper did not come out, the same screen is the visitor's ticket: the number stays
large enough to photograph, with the slip's picture (its QR code included) beside it.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import wording
from kiosk.desk import IssueOutcome
from kiosk.look import ALARM_BACK, GREEN, INK, NEUTRAL, PRIORITY, REFUSAL, Look
from kiosk.screens.parts import KioskScreen, big_button, screen_column, text_label
from shared.i18n import Translator


class PictureLabel(QLabel):
    """Shows a picture as large as fits, keeping its proportions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._picture = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def set_picture(self, png: bytes | None) -> None:
        self._picture = QPixmap.fromImage(QImage.fromData(png)) if png else QPixmap()
        self.setVisible(not self._picture.isNull())
        self._fit()

    def has_picture(self) -> bool:
        return not self._picture.isNull()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._picture.isNull() or self.width() < 2 or self.height() < 2:
            self.clear()
            return
        self.setPixmap(self._picture.scaled(QSize(self.width(), self.height()),
                                            Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))


class ResultScreen(KioskScreen):
    done = Signal()
    phone_requested = Signal(str)  # the ticket's token: "Kirim kabar ke HP?"

    def __init__(self, look: Look, tr: Translator, zone: ZoneInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.look = look
        self.zone = zone
        self.outcome: IssueOutcome | None = None
        self.title = text_label(look, 46, bold=True, center=True)
        self.number = QLabel()
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setStyleSheet(look.text_css(300 if look.portrait else 280, INK, bold=True))
        self.badge = text_label(look, 40, PRIORITY, bold=True, center=True)
        self.service = text_label(look, 46, bold=True, center=True)
        self.ahead = text_label(look, 40, center=True)
        self.call_window = text_label(look, 40, center=True)
        self.instruction = text_label(look, 40, bold=True, center=True)
        self.picture = PictureLabel()
        self.done_button = big_button(look, NEUTRAL, size=40, height=130)
        self.done_button.clicked.connect(self.done)
        # Optional, after the print: shown only where the branch sends messages to a number.
        self.phone_offered = False
        self.phone_button = big_button(look, GREEN, size=40, height=130)
        self.phone_button.clicked.connect(self._phone)
        self.phone_button.hide()
        texts = QVBoxLayout()
        texts.setSpacing(look.px(18))
        for widget in (
            self.title, self.number, self.badge, self.service, self.ahead, self.call_window
        ):
            texts.addWidget(widget)
        texts.addSpacing(look.px(12))
        texts.addWidget(self.instruction)
        column = screen_column(self, look)
        # Without a picture (a real printer) the texts sit in the middle of the screen.
        self.above, self.below = QWidget(self), QWidget(self)
        for space in (self.above, self.below):
            space.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
            space.hide()
        if look.portrait:
            column.addWidget(self.above)
            column.addLayout(texts)
            column.addWidget(self.picture, 1)
            column.addWidget(self.below)
        else:
            row = QHBoxLayout()
            row.setSpacing(look.px(40))
            texts.addStretch(1)
            row.addLayout(texts, 3)
            row.addWidget(self.picture, 2)
            column.addLayout(row, 1)
        column.addStretch(0)
        column.addWidget(self.phone_button)
        column.addWidget(self.done_button)

    def set_phone_offered(self, offered: bool) -> None:
        self.phone_offered = offered
        self.phone_button.setVisible(offered and self.outcome is not None)

    def _phone(self) -> None:
        if self.outcome is not None:
            self.phone_requested.emit(self.outcome.ticket.token)

    def show_outcome(self, outcome: IssueOutcome) -> None:
        self.outcome = outcome
        self.phone_button.setVisible(self.phone_offered)
        self.picture.set_picture(outcome.picture)
        self.above.setVisible(self.look.portrait and not self.picture.has_picture())
        self.below.setVisible(self.look.portrait and not self.picture.has_picture())
        self.retranslate()

    def retranslate(self) -> None:
        self.done_button.setText(self.tr_("kiosk.result.done"))
        self.phone_button.setText(self.tr_("kiosk.phone.offer"))
        outcome = self.outcome
        if outcome is None:
            return
        ticket = outcome.ticket
        self.title.setText(self.tr_("kiosk.result.title"))
        self.number.setText(ticket.label)
        self.badge.setText(self.tr_("kiosk.priority.badge"))
        self.badge.setVisible(ticket.priority)
        self.service.setText(wording.service_name(self.tr_, ticket))
        self.ahead.setText(self.tr_("ticket.people_ahead", count=ticket.people_ahead))
        window = wording.call_window_text(self.tr_, ticket, self.zone)
        self.call_window.setText(window or "")
        self.call_window.setVisible(window is not None)
        self.picture.setAccessibleName(self.tr_("kiosk.a11y.ticket_picture", label=ticket.label))
        self.picture.setAccessibleDescription(self.tr_("kiosk.a11y.picture_hint"))
        if outcome.printed:
            # A caption, not a box: a filled green box looked like a button to press.
            self.instruction.setStyleSheet(self.look.text_css(40, GREEN, bold=True))
            self.instruction.setText(self.tr_("kiosk.result.take_ticket"))
        else:
            reason = "screen_only" if outcome.screen_only else "not_printed"
            self.instruction.setStyleSheet(self.look.box_css(ALARM_BACK, REFUSAL, 36))
            self.instruction.setText(self.tr_(f"kiosk.result.{reason}"))
