"""A plain message: why no ticket was issued, or "please wait" while one is printed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk.look import INK, NEUTRAL, REFUSAL, Look
from kiosk.screens.parts import KioskScreen, big_button, screen_column, text_label
from shared.i18n import Translator

Wording = Callable[[Translator], str]  # builds the text again when the language changes


class MessageScreen(KioskScreen):
    home = Signal()

    def __init__(self, look: Look, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self._title: Wording | None = None
        self._text: Wording | None = None
        column = screen_column(self, look)
        self.title = text_label(look, 60, REFUSAL, bold=True, center=True)
        self.text = text_label(look, 50, INK, bold=True, center=True)
        self.home_button = big_button(look, NEUTRAL, size=40, height=130)
        self.home_button.clicked.connect(self.home)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.text)
        column.addStretch(2)
        column.addWidget(self.home_button)
        self.retranslate()

    def show_refusal(self, text: Wording) -> None:
        self._title = lambda tr: tr("kiosk.refused.title")
        self._text = text
        self.home_button.show()
        self.retranslate()

    def show_busy(self) -> None:
        self._title = None
        self._text = lambda tr: tr("kiosk.busy.printing")
        self.home_button.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.home_button.setText(self.tr_("kiosk.refused.home"))
        self.title.setText(self._title(self.tr_) if self._title else "")
        self.title.setVisible(self._title is not None)
        self.text.setText(self._text(self.tr_) if self._text else "")
