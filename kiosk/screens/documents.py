"""The "bring these documents" step: what to have ready, then the one button that issues."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from kiosk import wording
from kiosk.look import GREEN, NEUTRAL, PRIORITY, Look
from kiosk.screens.parts import KioskScreen, big_button, button_row, screen_column, text_label
from shared.i18n import Translator
from shared.services.service_outlook import ServiceOutlook


class DocumentsScreen(KioskScreen):
    take = Signal()
    back = Signal()

    def __init__(self, look: Look, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.offer: ServiceOutlook | None = None
        self.priority = False
        column = screen_column(self, look)
        self.badge = text_label(look, 36, PRIORITY, bold=True, center=True)
        self.service = text_label(look, 58, bold=True, center=True)
        self.status = text_label(look, 34, NEUTRAL, center=True)
        self.heading = text_label(look, 42, bold=True)
        self.documents = text_label(look, 40)
        self.info = text_label(look, 32, NEUTRAL)
        self.take_button = big_button(look, GREEN, size=52, height=190)
        self.take_button.clicked.connect(self._take)
        self.back_button = big_button(look, NEUTRAL, size=40, height=130)
        self.back_button.clicked.connect(self.back)
        for widget in (self.badge, self.service, self.status, self.heading, self.documents,
                       self.info):
            column.addWidget(widget)
        column.addStretch(1)
        if look.portrait:
            column.addWidget(self.take_button)
            column.addWidget(self.back_button)
        else:
            column.addLayout(button_row(look, (self.back_button, 1), (self.take_button, 2)))

    def show_service(self, offer: ServiceOutlook, priority: bool) -> None:
        self.offer = offer
        self.priority = priority
        self.set_busy(False)
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        """While the ticket is issued and printed: a second tap does nothing."""
        self.take_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        key = "kiosk.busy.printing" if busy else "kiosk.documents.take"
        self.take_button.setText(self.tr_(key))

    def _take(self) -> None:
        self.set_busy(True)
        self.take.emit()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr_("kiosk.back"))
        busy = not self.take_button.isEnabled()
        take = "kiosk.busy.printing" if busy else "kiosk.documents.take"
        self.take_button.setText(self.tr_(take))
        self.badge.setText(self.tr_("kiosk.priority.badge"))
        self.badge.setVisible(self.priority)
        if self.offer is None:
            return
        self.service.setText(wording.service_name(self.tr_, self.offer))
        waiting = wording.waiting_text(self.tr_, self.offer.waiting)
        self.status.setText(f"{waiting} · {wording.wait_text(self.tr_, self.offer.wait)}")
        listed = wording.documents(self.tr_, self.offer)
        self.heading.setText(self.tr_("kiosk.documents.title"))
        self.heading.setVisible(bool(listed))
        self.documents.setText("\n".join(f"•  {document}" for document in listed))
        self.documents.setVisible(bool(listed))
        note = wording.info(self.tr_, self.offer)
        self.info.setText(note)
        self.info.setVisible(bool(note))
