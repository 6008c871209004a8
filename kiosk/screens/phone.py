"""The number for messages about the ticket just printed: typed on a digit pad, or skipped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.keyboard import OnScreenKeyboard
from kiosk.look import GREEN, INK, NEUTRAL, REFUSAL, Look
from kiosk.screens.parts import (
    KioskScreen,
    add_typing_area,
    big_button,
    button_row,
    screen_column,
    text_label,
)
from shared.i18n import Translator

MAX_NUMBER_LENGTH = 16


class PhoneScreen(KioskScreen):
    submitted = Signal(str, str)  # ticket token, the number as typed
    skipped = Signal()

    def __init__(self, look: Look, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.look = look
        self.token = ""
        self.finished = False  # the number is kept: only "done" is left
        self._message: tuple[Callable[[Translator], str], bool] | None = None
        column = screen_column(self, look)
        self.title = text_label(look, 52, INK, bold=True, center=True)
        self.hint = text_label(look, 34, center=True)
        self.number = QLineEdit()
        self.number.setMaxLength(MAX_NUMBER_LENGTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number.setMinimumHeight(look.px(110))
        self.number.setStyleSheet(
            f"QLineEdit {{ {look.text_css(50, INK, bold=True)} background: white;"
            f" border: {look.px(4)}px solid {INK}; border-radius: {look.px(14)}px; }}"
        )
        self.number.returnPressed.connect(self._submit)
        self.consent = text_label(look, 28, center=True)
        self.message = text_label(look, 34, REFUSAL, bold=True, center=True)
        self.keyboard = OnScreenKeyboard(look, tr, digits=True)
        self.keyboard.target = self.number
        self.send_button = big_button(look, GREEN, size=42, height=130)
        self.send_button.clicked.connect(self._submit)
        self.skip_button = big_button(look, NEUTRAL, size=42, height=130)
        self.skip_button.clicked.connect(self.skipped)
        column.addWidget(self.title)
        buttons = button_row(look, (self.skip_button, 1), (self.send_button, 1))
        add_typing_area(column, look, [self.hint, self.number, self.message, self.consent],
                        self.keyboard, buttons)
        self.retranslate()

    def start(self, token: str) -> None:
        self.token = token
        self.finished = False
        self.number.clear()
        self.set_busy(False)
        self.show_message(None)
        for widget in (self.send_button, self.number, self.keyboard):
            widget.show()
        self.retranslate()
        self.number.setFocus()

    def show_message(self, message: Callable[[Translator], str] | None,
                     good: bool = False) -> None:
        self._message = (message, good) if message else None
        self.message.setStyleSheet(self.look.text_css(34, GREEN if good else REFUSAL, bold=True))
        self.message.setText(message(self.tr_) if message else "")
        self.message.setVisible(message is not None)

    def show_saved(self, message: Callable[[Translator], str]) -> None:
        """Done: the number is kept; the only way left is home."""
        self.finished = True
        self.show_message(message, good=True)
        self.number.clear()
        for widget in (self.send_button, self.number, self.keyboard):
            widget.hide()
        self.retranslate()

    def show_refused(self, message: Callable[[Translator], str]) -> None:
        self.set_busy(False)
        self.show_message(message)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.send_button, self.number, self.keyboard):
            widget.setEnabled(not busy)

    def _submit(self) -> None:
        if not self.send_button.isEnabled() or self.finished:
            return
        if not self.number.text().strip():
            self.show_message(lambda tr: tr("kiosk.phone.empty"))
            return
        self.set_busy(True)
        self.submitted.emit(self.token, self.number.text())

    def retranslate(self) -> None:
        self.title.setText(self.tr_("kiosk.phone.title"))
        self.hint.setText(self.tr_("kiosk.phone.hint"))
        self.consent.setText(f"{self.tr_('message.consent')} {self.tr_('message.consent_phone')}")
        self.send_button.setText(self.tr_("kiosk.phone.send"))
        self.skip_button.setText(self.tr_("kiosk.result.done" if self.finished
                                          else "kiosk.phone.skip"))
        self.number.setAccessibleName(self.tr_("kiosk.phone.title"))
        self.keyboard.retranslate()
        if self._message is not None:
            self.show_message(*self._message)
