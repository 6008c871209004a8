"""A touch keyboard for codes and PINs: kiosks have no keyboard, only a barcode scanner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QWidget

from kiosk.look import INK, NEUTRAL, Look
from shared.i18n import Translator

LETTER_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM")
DIGIT_ROWS = ("123", "456", "789", "0")


class OnScreenKeyboard(QWidget):
    """Types into `target`; `digits` makes it a PIN pad."""

    def __init__(self, look: Look, tr: Translator, digits: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.target: QLineEdit | None = None
        self.keys: dict[str, QPushButton] = {}
        rows = DIGIT_ROWS if digits else LETTER_ROWS
        width = max(len(row) for row in rows)
        grid = QGridLayout(self)
        grid.setSpacing(look.px(10))
        grid.setContentsMargins(0, 0, 0, 0)
        # Ten keys and nine gaps within the 984 px a portrait screen leaves between margins.
        size = look.px(110 if digits else (88 if look.portrait else 100))
        css = look.button_css(INK, size=44)
        for r, row in enumerate(rows):
            offset = (width - len(row)) // 2 if digits else 0
            for c, key in enumerate(row):
                button = self._key(key, css, size)
                button.clicked.connect(lambda _=False, k=key: self.type_text(k))
                grid.addWidget(button, r, c + offset)
        self.delete = self._key(tr("kiosk.keyboard.delete"), look.button_css(NEUTRAL, size=34),
                                size)
        self.delete.clicked.connect(self.backspace)
        self.clear = self._key(tr("kiosk.keyboard.clear"), look.button_css(NEUTRAL, size=34),
                               size)
        self.clear.clicked.connect(self.clear_text)
        last = len(rows) - 1
        if digits:
            grid.addWidget(self.delete, last, 2)
            grid.addWidget(self.clear, last, 0)
            # A pad of equal keys: the widest (a word, not a digit) sets every column.
            for button in self.keys.values():
                button.ensurePolished()
            widest = max(button.sizeHint().width() for button in self.keys.values())
            for column in range(width):
                grid.setColumnMinimumWidth(column, max(widest, size))
        else:  # the last letter row is short: the delete key takes the rest of it
            grid.addWidget(self.delete, last, len(rows[last]), 1, width - len(rows[last]))
            self.clear.hide()

    def _key(self, text: str, css: str, size: int) -> QPushButton:
        button = QPushButton(text, self)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the scanner's input
        button.setMinimumSize(size, size)
        button.setStyleSheet(css)
        self.keys[text] = button
        return button

    def retranslate(self) -> None:
        self.delete.setText(self.tr_("kiosk.keyboard.delete"))
        self.clear.setText(self.tr_("kiosk.keyboard.clear"))

    def type_text(self, text: str) -> None:
        if self.target is not None:
            self.target.insert(text)

    def backspace(self) -> None:
        if self.target is not None:
            self.target.backspace()

    def clear_text(self) -> None:
        if self.target is not None:
            self.target.clear()
