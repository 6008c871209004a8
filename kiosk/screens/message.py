"""A plain message: why no ticket was issued (with a slot on another day where there is one),
the slot booked instead, or "please wait" while a ticket is printed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.look import GREEN, INK, NEUTRAL, REFUSAL, Look
from kiosk.screens.parts import KioskScreen, big_button, screen_column, text_label
from kiosk.screens.result import PictureLabel
from shared.i18n import Translator

Wording = Callable[[Translator], str]  # builds the text again when the language changes


class MessageScreen(KioskScreen):
    home = Signal()
    reserve = Signal()  # the visitor takes the slot offered

    def __init__(self, look: Look, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self._look = look
        self._title: Wording | None = None
        self._text: Wording | None = None
        self._hint: Wording | None = None
        column = screen_column(self, look)
        self.title = text_label(look, 60, REFUSAL, bold=True, center=True)
        self.text = text_label(look, 50, INK, bold=True, center=True)
        self.hint = text_label(look, 36, INK, center=True)
        self.picture = PictureLabel()
        self.picture.hide()
        self.reserve_button = big_button(look, GREEN, size=44, height=170)
        self.reserve_button.clicked.connect(self.reserve)
        self.home_button = big_button(look, NEUTRAL, size=40, height=130)
        self.home_button.clicked.connect(self.home)
        self._reserve_text: Wording | None = None
        self._home_text: Wording = lambda tr: tr("kiosk.refused.home")
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.text)
        column.addWidget(self.hint)
        column.addWidget(self.picture, 3)
        column.addStretch(2)
        column.addWidget(self.reserve_button)
        column.addWidget(self.home_button)
        self.retranslate()

    def show_refusal(self, text: Wording) -> None:
        self._show(lambda tr: tr("kiosk.refused.title"), text)
        self.home_button.show()
        self.retranslate()

    def show_reservation_offer(self, text: Wording, button: Wording) -> None:
        """Why not today, and a slot another day: take it, or decline."""
        self._show(lambda tr: tr("kiosk.refused.title"), text,
                   hint=lambda tr: tr("kiosk.reserve.hint"), reserve=button,
                   home=lambda tr: tr("kiosk.reserve.decline"))
        self.home_button.show()
        self.retranslate()

    def show_reservation(self, text: Wording, picture: bytes | None) -> None:
        """The slot booked: its code and times, and the slip's picture when there is one."""
        self._show(lambda tr: tr("kiosk.reserve.title"), text,
                   home=lambda tr: tr("kiosk.result.done"))
        self.title.setStyleSheet(self._look.text_css(60, GREEN, bold=True))
        self.picture.set_picture(picture)
        self.home_button.show()
        self.retranslate()

    def show_busy(self) -> None:
        self._show(None, lambda tr: tr("kiosk.busy.printing"))
        self.home_button.hide()
        self.retranslate()

    def _show(self, title: Wording | None, text: Wording, hint: Wording | None = None,
              reserve: Wording | None = None, home: Wording | None = None) -> None:
        self._title, self._text, self._hint, self._reserve_text = title, text, hint, reserve
        self._home_text = home or (lambda tr: tr("kiosk.refused.home"))
        self.title.setStyleSheet(self._look.text_css(60, REFUSAL, bold=True))
        self.picture.set_picture(None)

    def retranslate(self) -> None:
        self.home_button.setText(self._home_text(self.tr_))
        self.hint.setText(self._hint(self.tr_) if self._hint else "")
        self.hint.setVisible(self._hint is not None)
        self.reserve_button.setText(self._reserve_text(self.tr_) if self._reserve_text else "")
        self.reserve_button.setVisible(self._reserve_text is not None)
        self.title.setText(self._title(self.tr_) if self._title else "")
        self.title.setVisible(self._title is not None)
        self.text.setText(self._text(self.tr_) if self._text else "")
        self.picture.setAccessibleName(self.tr_("kiosk.a11y.booking_picture"))
