"""Maintenance for a supervisor: the printer's state, a test page, the last ticket again, and
closing or opening the kiosk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk import wording
from kiosk.look import GREEN, HEADER, PRIORITY, REFUSAL, Look
from kiosk.printer_health import PrinterHealth
from kiosk.screens.parts import KioskScreen, big_button, screen_column, text_label
from shared.i18n import Translator


class MaintenanceScreen(KioskScreen):
    test_requested = Signal()
    check_requested = Signal()
    reprint_requested = Signal()
    accepting_requested = Signal(bool)
    quit_requested = Signal()
    done = Signal()

    def __init__(self, look: Look, tr: Translator, kiosk_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.kiosk_name = kiosk_name
        self.health = PrinterHealth("unchecked")
        self.accepting = True
        self._message: Callable[[Translator], str] | None = None
        column = screen_column(self, look)
        self.title = text_label(look, 48, HEADER, bold=True, center=True)
        self.printer = text_label(look, 38, bold=True)
        self.advice = text_label(look, 32)
        self.state = text_label(look, 36)
        self.message = text_label(look, 36, HEADER, bold=True)
        self.test = big_button(look, HEADER, size=38, height=140)
        self.test.clicked.connect(self.test_requested)
        self.check = big_button(look, HEADER, size=38, height=140)
        self.check.clicked.connect(self.check_requested)
        self.reprint = big_button(look, HEADER, size=38, height=140)
        self.reprint.clicked.connect(self.reprint_requested)
        self.toggle = big_button(look, PRIORITY, size=38, height=140)
        self.toggle.clicked.connect(lambda: self.accepting_requested.emit(not self.accepting))
        self.quit = big_button(look, REFUSAL, size=38, height=140)
        self.quit.clicked.connect(self.quit_requested)
        self.done_button = big_button(look, GREEN, size=38, height=140)
        self.done_button.clicked.connect(self.done)
        grid = QGridLayout()
        grid.setSpacing(look.px(24))
        buttons = (self.test, self.check, self.reprint, self.toggle, self.quit, self.done_button)
        columns = 2 if look.portrait else 3
        for index, button in enumerate(buttons):
            grid.addWidget(button, index // columns, index % columns)
        for index in range(columns):
            grid.setColumnStretch(index, 1)
        for widget in (self.title, self.printer, self.advice, self.state, self.message):
            column.addWidget(widget)
        column.addStretch(1)
        column.addLayout(grid)
        self.retranslate()

    def show_state(self, health: PrinterHealth, accepting: bool) -> None:
        self.health = health
        self.accepting = accepting
        self.retranslate()

    def show_message(self, message: Callable[[Translator], str] | None) -> None:
        self._message = message
        self.message.setText(message(self.tr_) if message else "")

    def set_busy(self, busy: bool) -> None:
        for button in (self.test, self.check, self.reprint, self.toggle):
            button.setEnabled(not busy)

    def retranslate(self) -> None:
        tr = self.tr_
        self.title.setText(tr("kiosk.maintenance.title", kiosk=self.kiosk_name))
        self.printer.setText(tr("kiosk.maintenance.printer",
                                state=wording.printer_state_text(tr, self.health)))
        problem = self.health.problem
        self.advice.setText(problem.staff_message(tr.language) if problem else "")
        self.advice.setVisible(problem is not None)
        self.state.setText(tr("kiosk.maintenance.accepting" if self.accepting
                              else "kiosk.maintenance.not_accepting"))
        self.test.setText(tr("kiosk.maintenance.test"))
        self.check.setText(tr("kiosk.maintenance.check"))
        self.reprint.setText(tr("kiosk.maintenance.reprint"))
        self.toggle.setText(tr("kiosk.maintenance.close" if self.accepting
                               else "kiosk.maintenance.open"))
        self.quit.setText(tr("kiosk.maintenance.quit"))
        self.done_button.setText(tr("kiosk.maintenance.done"))
        self.show_message(self._message)
