"""The start screen: every service as a large button, the priority path and booking check-in."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Signal
from PySide6.QtWidgets import QWidget

from kiosk.look import ALARM_BACK, BOOKING, PRIORITY, REFUSAL, WARNING_BACK, Look
from kiosk.screens.parts import KioskScreen, big_button, button_row, screen_column, text_label
from kiosk.service_grid import ServiceGrid
from shared.i18n import Translator


class HomeScreen(KioskScreen):
    service_chosen = Signal(str)
    priority_requested = Signal()
    checkin_requested = Signal()

    def __init__(self, model: QAbstractItemModel, look: Look, tr: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.look = look
        column = screen_column(self, look)
        self.title = text_label(look, 56, bold=True, center=True)
        self.banner = text_label(look, 34, REFUSAL, bold=True, center=True)
        self.banner.hide()
        self.grid = ServiceGrid(model, look, 1 if look.portrait else 2)
        self.grid.chosen.connect(self.service_chosen)
        self.priority = big_button(look, PRIORITY, size=40, height=140)
        self.priority.clicked.connect(self.priority_requested)
        self.checkin_hint = text_label(look, 34, bold=True)
        self.checkin = big_button(look, BOOKING, size=40, height=140)
        self.checkin.clicked.connect(self.checkin_requested)
        booking = button_row(look, (self.checkin_hint, 1), (self.checkin, 1))
        column.addWidget(self.title)
        column.addWidget(self.banner)
        column.addWidget(self.grid, 1)
        if look.portrait:
            column.addWidget(self.priority)
            column.addLayout(booking)
        else:
            bottom = button_row(look, (self.priority, 1))
            bottom.addLayout(booking, 1)
            column.addLayout(bottom)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr_("kiosk.home.title"))
        self.priority.setText(self.tr_("kiosk.home.priority"))
        self.checkin_hint.setText(self.tr_("kiosk.home.checkin"))
        self.checkin.setText(self.tr_("kiosk.home.checkin_button"))

    def show_banner(self, text: str | None, alarm: bool = True) -> None:
        """A line above the services: why the kiosk is not issuing, or how it issues now."""
        if not text:
            self.banner.hide()
            self.title.show()
            return
        # Landscape has no height to spare: the banner says more than the title.
        self.title.setVisible(self.look.portrait)
        back = ALARM_BACK if alarm else WARNING_BACK
        self.banner.setStyleSheet(self.look.box_css(back, REFUSAL if alarm else "#5b3a00", 34))
        self.banner.setText(text)
        self.banner.show()

    def set_issuing(self, issuing: bool) -> None:
        for widget in (self.grid, self.priority, self.checkin):
            widget.setEnabled(issuing)
