"""Small pieces the screens share: labels in the kiosk's sizes and a column layout."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.look import INK, Look


class KioskScreen(QWidget):
    """One whole screen of the kiosk; the window retranslates them all on a language switch."""

    def retranslate(self) -> None:
        raise NotImplementedError


def text_label(look: Look, size: float, color: str = INK, bold: bool = False,
               center: bool = False, parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(look.text_css(size, color, bold))
    if center:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def big_button(look: Look, back: str, size: float = 42, height: float = 150,
               parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(parent)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(look.px(height))
    button.setStyleSheet(look.button_css(back, size=size))
    return button


def screen_column(screen: QWidget, look: Look) -> QVBoxLayout:
    column = QVBoxLayout(screen)
    margin = look.px(48)
    column.setContentsMargins(margin, look.px(36), margin, margin)
    column.setSpacing(look.px(28))
    return column


def button_row(look: Look, *buttons: tuple[QWidget, int]) -> QHBoxLayout:
    """Buttons side by side, each with its share of the width."""
    row = QHBoxLayout()
    row.setSpacing(look.px(26))
    for button, stretch in buttons:
        row.addWidget(button, stretch)
    return row


def add_typing_area(column: QVBoxLayout, look: Look, fields: list[QWidget],
                    keyboard: QWidget, buttons: QHBoxLayout) -> None:
    """Fields, touch keyboard and buttons: stacked in portrait; in landscape the fields and
    buttons beside the keyboard, which needs the height."""
    if look.portrait:
        for field in fields:
            column.addWidget(field)
        column.addStretch(1)
        column.addWidget(keyboard, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(1)
        column.addLayout(buttons)
        return
    left = QVBoxLayout()
    left.setSpacing(look.px(24))
    for field in fields:
        left.addWidget(field)
    left.addStretch(1)
    left.addLayout(buttons)
    row = QHBoxLayout()
    row.setSpacing(look.px(40))
    row.addLayout(left, 1)
    row.addWidget(keyboard, 0, Qt.AlignmentFlag.AlignVCenter)
    column.addLayout(row, 1)
