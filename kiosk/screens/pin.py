"""The door to maintenance: the branch's kiosk PIN, or a supervisor's id and PIN."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.keyboard import OnScreenKeyboard
from kiosk.look import HEADER, INK, NEUTRAL, REFUSAL, Look
from kiosk.screens.parts import (
    KioskScreen,
    add_typing_area,
    big_button,
    button_row,
    screen_column,
    text_label,
)
from shared.i18n import Translator


class PinScreen(KioskScreen):
    submitted = Signal(str, str)  # officer login ("" with a kiosk PIN), PIN
    cancelled = Signal()

    def __init__(self, look: Look, tr: Translator, needs_login: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.needs_login = needs_login
        column = screen_column(self, look)
        self.title = text_label(look, 50, HEADER, bold=True, center=True)
        self.login_label = text_label(look, 34)
        self.login = self._field(look, secret=False)
        self.pin_label = text_label(look, 34)
        self.pin = self._field(look, secret=True)
        self.message = text_label(look, 34, REFUSAL, bold=True, center=True)
        self.keyboard = OnScreenKeyboard(look, tr)
        self.keyboard.target = self.login if needs_login else self.pin
        self.submit_button = big_button(look, HEADER, size=42, height=130)
        self.submit_button.clicked.connect(self._submit)
        self.cancel_button = big_button(look, NEUTRAL, size=40, height=130)
        self.cancel_button.clicked.connect(self.cancelled)
        self.login_label.setVisible(needs_login)
        self.login.setVisible(needs_login)
        column.addWidget(self.title)
        buttons = button_row(look, (self.cancel_button, 1), (self.submit_button, 1))
        fields = [self.login_label, self.login, self.pin_label, self.pin, self.message]
        add_typing_area(column, look, fields, self.keyboard, buttons)
        self.retranslate()

    def _field(self, look: Look, secret: bool) -> QLineEdit:
        field = QLineEdit()
        field.setMaxLength(32)
        field.setMinimumHeight(look.px(100))
        field.setStyleSheet(
            f"QLineEdit {{ {look.text_css(44, INK, bold=True)} background: white;"
            f" border: {look.px(3)}px solid {NEUTRAL}; border-radius: {look.px(12)}px; }}"
        )
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        field.returnPressed.connect(self._submit)
        field.installEventFilter(self)  # a tap on a field points the touch keyboard at it
        return field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keyboard.target = watched
        return super().eventFilter(watched, event)

    def start(self) -> None:
        self.login.clear()
        self.pin.clear()
        self.show_wrong(False)
        self.set_busy(False)
        (self.login if self.needs_login else self.pin).setFocus()

    def show_wrong(self, wrong: bool) -> None:
        self.message.setText(self.tr_("kiosk.pin.wrong") if wrong else "")
        self.message.setVisible(wrong)
        if wrong:
            self.pin.clear()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.submit_button, self.cancel_button, self.keyboard):
            widget.setEnabled(not busy)

    def _submit(self) -> None:
        if self.submit_button.isEnabled():
            self.set_busy(True)
            self.submitted.emit(self.login.text().strip(), self.pin.text())

    def retranslate(self) -> None:
        self.title.setText(self.tr_("kiosk.pin.title"))
        self.login_label.setText(self.tr_("kiosk.pin.login"))
        self.pin_label.setText(self.tr_("kiosk.pin.pin"))
        self.submit_button.setText(self.tr_("kiosk.pin.submit"))
        self.cancel_button.setText(self.tr_("kiosk.back"))
        self.login.setAccessibleName(self.tr_("kiosk.a11y.login"))
        self.pin.setAccessibleName(self.tr_("kiosk.a11y.pin"))
        self.keyboard.retranslate()
