"""The priority path: elderly, disabled and pregnant visitors pick from services with a
priority queue, and are called first."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Signal
from PySide6.QtWidgets import QWidget

from kiosk.look import NEUTRAL, PRIORITY, Look
from kiosk.screens.parts import KioskScreen, big_button, screen_column, text_label
from kiosk.service_grid import ServiceGrid
from shared.i18n import Translator


class PriorityScreen(KioskScreen):
    service_chosen = Signal(str)
    back = Signal()

    def __init__(self, model: QAbstractItemModel, look: Look, tr: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        column = screen_column(self, look)
        self.title = text_label(look, 56, PRIORITY, bold=True, center=True)
        self.hint = text_label(look, 36, center=True)
        self.grid = ServiceGrid(model, look, 1 if look.portrait else 2)
        self.grid.chosen.connect(self.service_chosen)
        self.back_button = big_button(look, NEUTRAL, size=40, height=130)
        self.back_button.clicked.connect(self.back)
        column.addWidget(self.title)
        column.addWidget(self.hint)
        column.addWidget(self.grid, 1)
        column.addWidget(self.back_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr_("kiosk.priority.title"))
        self.hint.setText(self.tr_("kiosk.priority.hint"))
        self.back_button.setText(self.tr_("kiosk.back"))
