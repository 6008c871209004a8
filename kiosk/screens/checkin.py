"""Booking check-in: a code typed on the touch keyboard or typed by a USB QR scanner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.booking import MAX_CODE_LENGTH, clean_code
from kiosk.keyboard import OnScreenKeyboard
from kiosk.look import BOOKING, INK, NEUTRAL, REFUSAL, Look
from kiosk.screens.parts import (
    KioskScreen,
    add_typing_area,
    big_button,
    button_row,
    screen_column,
    text_label,
)
from shared.i18n import Translator


class CheckInScreen(KioskScreen):
    submitted = Signal(str)
    back = Signal()

    def __init__(self, look: Look, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self._message: Callable[[Translator], str] | None = None
        column = screen_column(self, look)
        self.title = text_label(look, 56, BOOKING, bold=True, center=True)
        self.hint = text_label(look, 38, center=True)
        self.code = QLineEdit()
        self.code.setMaxLength(MAX_CODE_LENGTH)
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setMinimumHeight(look.px(120))
        self.code.setStyleSheet(
            f"QLineEdit {{ {look.text_css(52, INK, bold=True)} background: white;"
            f" border: {look.px(4)}px solid {BOOKING}; border-radius: {look.px(14)}px; }}"
        )
        # A USB scanner types the code and presses Enter.
        self.code.returnPressed.connect(self._submit)
        self.message = text_label(look, 36, REFUSAL, bold=True, center=True)
        self.keyboard = OnScreenKeyboard(look, tr)
        self.keyboard.target = self.code
        self.submit_button = big_button(look, BOOKING, size=44, height=140)
        self.submit_button.clicked.connect(self._submit)
        self.back_button = big_button(look, NEUTRAL, size=40, height=140)
        self.back_button.clicked.connect(self.back)
        column.addWidget(self.title)
        buttons = button_row(look, (self.back_button, 1), (self.submit_button, 2))
        add_typing_area(column, look, [self.hint, self.code, self.message], self.keyboard,
                        buttons)
        self.retranslate()

    def start(self, typed: str = "") -> None:
        """Empty (or holding what a scanner typed on the home screen), ready for input."""
        self.code.setText(typed)
        self.set_busy(False)
        self.show_message(None)
        self.code.setFocus()

    def show_message(self, message: Callable[[Translator], str] | None) -> None:
        self._message = message
        self.message.setText(message(self.tr_) if message else "")
        self.message.setVisible(message is not None)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.submit_button, self.back_button, self.code, self.keyboard):
            widget.setEnabled(not busy)

    def _submit(self) -> None:
        if not self.submit_button.isEnabled():
            return
        code = clean_code(self.code.text())
        if not code:
            self.show_message(lambda tr: tr("kiosk.checkin.empty"))
            return
        self.set_busy(True)
        self.submitted.emit(code)

    def retranslate(self) -> None:
        self.title.setText(self.tr_("kiosk.checkin.title"))
        self.hint.setText(self.tr_("kiosk.checkin.hint"))
        self.submit_button.setText(self.tr_("kiosk.checkin.submit"))
        self.back_button.setText(self.tr_("kiosk.back"))
        self.code.setAccessibleName(self.tr_("kiosk.a11y.code"))
        self.code.setAccessibleDescription(self.tr_("kiosk.a11y.code_hint"))
        self.keyboard.retranslate()
        self.show_message(self._message)
