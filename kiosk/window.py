"""The kiosk's one window: a header (branch, clock, language) over one screen at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import wording
from kiosk.desk import ReservationOutcome
from kiosk.flow import KioskFlow, Wording
from kiosk.look import HEADER, PAPER, Look
from kiosk.offer_model import ServiceOfferModel
from kiosk.phone_messages import PhoneMessages
from kiosk.screens import Screen
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.documents import DocumentsScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.maintenance import MaintenanceScreen
from kiosk.screens.message import MessageScreen
from kiosk.screens.parts import KioskScreen, big_button, text_label
from kiosk.screens.phone import PhoneScreen
from kiosk.screens.pin import PinScreen
from kiosk.screens.priority import PriorityScreen
from kiosk.screens.result import ResultScreen
from kiosk.touch import GestureLabel, InactivityWatch
from shared.i18n import Translator
from shared.services.reservations import ReservationOffer

# Screens where a visitor who walked away is sent home after the idle time.
_IDLE_HOME = {Screen.PRIORITY, Screen.DOCUMENTS, Screen.MESSAGE, Screen.CHECK_IN, Screen.PIN,
              Screen.MAINTENANCE, Screen.PHONE}


class KioskWindow(QWidget):
    def __init__(self, flow: KioskFlow, model: ServiceOfferModel, look: Look,
                 wall_clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        zone = flow.settings.timezone
        self.wall_clock = wall_clock or (lambda: datetime.now(zone))
        self.flow = flow
        self.model = model
        self.look = look
        self.tr_: Translator = flow.tr_
        settings = flow.settings
        self.setWindowTitle(f"Antrean — {settings.branch_name}")
        self.setStyleSheet(f"KioskWindow {{ background: {PAPER}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a scanner's keys land here at home

        self.priority_model = ServiceOfferModel(self.tr_, priority=True, parent=self)
        self.home = HomeScreen(model, look, self.tr_)
        self.priority = PriorityScreen(self.priority_model, look, self.tr_)
        self.documents = DocumentsScreen(look, self.tr_)
        self.message = MessageScreen(look, self.tr_)
        self.result = ResultScreen(look, self.tr_, settings.timezone)
        self.check_in = CheckInScreen(look, self.tr_)
        self.pin = PinScreen(look, self.tr_, needs_login=not settings.kiosk.maintenance_pin)
        self.maintenance = MaintenanceScreen(look, self.tr_, settings.kiosk_name)
        self.phone = PhoneScreen(look, self.tr_)
        self.phone_messages = PhoneMessages(flow.desk.store, settings.branch_code, flow.runner,
                                            self)
        self.screens: dict[Screen, KioskScreen] = {
            Screen.HOME: self.home, Screen.PRIORITY: self.priority,
            Screen.DOCUMENTS: self.documents, Screen.BUSY: self.message,
            Screen.RESULT: self.result, Screen.MESSAGE: self.message,
            Screen.CHECK_IN: self.check_in, Screen.PIN: self.pin,
            Screen.MAINTENANCE: self.maintenance, Screen.PHONE: self.phone,
        }
        self.stack = QStackedWidget()
        for screen in dict.fromkeys(self.screens.values()):
            self.stack.addWidget(screen)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._header(settings.branch_name))
        column.addWidget(self.stack, 1)
        self._name_for_readers()

        self.idle = InactivityWatch(settings.idle_ms, self)
        self.idle.watch(QApplication.instance() or self)
        self.idle.idle.connect(self._idle)
        self._connect()
        self._show(Screen.HOME.value)
        self._status()

    def _header(self, branch_name: str) -> QFrame:
        look = self.look
        header = QFrame()
        header.setStyleSheet(f"background: {HEADER};")
        header.setFixedHeight(look.px(130))
        row = QHBoxLayout(header)
        row.setContentsMargins(look.px(36), 0, look.px(28), 0)
        row.setSpacing(look.px(24))
        self.branch = GestureLabel()
        self.branch.setText(branch_name)
        self.branch.setWordWrap(True)
        self.branch.setStyleSheet(look.text_css(34 if look.portrait else 38, "white", bold=True))
        self.clock = text_label(look, 40, "white", bold=True)
        self.clock_timer = QTimer(self)  # the wall clock only; nothing here reads the store
        self.clock_timer.timeout.connect(self.show_time)
        self.clock_timer.start(1000)
        self.show_time()
        self.language = big_button(look, "#ffffff", size=32, height=90)
        self.language.setStyleSheet(look.button_css("white", HEADER, size=32))
        self.language.setText(self.tr_("language.switch"))
        self.language.clicked.connect(self._switch_language)
        self.language.setVisible(len(self.flow.settings.languages) > 1)
        row.addWidget(self.branch, 1)
        row.addWidget(self.clock)
        row.addWidget(self.language)
        return header

    def _connect(self) -> None:
        flow = self.flow
        flow.screen_changed.connect(self._show)
        flow.offer_changed.connect(self.model.set_offer)
        flow.offer_changed.connect(self.priority_model.set_offer)
        flow.status_changed.connect(self._status)
        flow.language_changed.connect(self._retranslate)
        flow.documents_requested.connect(self.documents.show_service)
        flow.check_in_requested.connect(self.check_in.start)
        flow.outcome_ready.connect(self.result.show_outcome)
        flow.refused.connect(self.message.show_refusal)
        flow.reservation_offered.connect(self._reservation_offered)
        flow.reserved.connect(self._reserved)
        flow.check_in_message.connect(self._check_in_message)
        maintenance = flow.maintenance
        maintenance.pin_refused.connect(self._pin_refused)
        maintenance.message.connect(self.maintenance.show_message)
        maintenance.busy.connect(self.maintenance.set_busy)
        self.home.service_chosen.connect(lambda code: flow.choose_service(code, False))
        self.home.priority_requested.connect(flow.go_priority)
        self.home.checkin_requested.connect(lambda: flow.go_check_in(""))
        self.priority.service_chosen.connect(lambda code: flow.choose_service(code, True))
        self.priority.back.connect(flow.go_home)
        self.documents.take.connect(flow.take_ticket)
        self.documents.back.connect(flow.go_home)
        self.result.done.connect(flow.go_home)
        self.message.home.connect(flow.go_home)
        self.message.reserve.connect(flow.take_reservation)
        self.check_in.submitted.connect(flow.check_in)
        self.check_in.back.connect(flow.go_home)
        self.pin.submitted.connect(maintenance.log_in)
        self.pin.cancelled.connect(flow.go_home)
        self.maintenance.test_requested.connect(maintenance.print_test)
        self.maintenance.check_requested.connect(flow.check_printer)
        self.maintenance.reprint_requested.connect(maintenance.reprint_last)
        self.maintenance.accepting_requested.connect(maintenance.set_accepting)
        self.maintenance.quit_requested.connect(maintenance.quit_requested)
        self.maintenance.done.connect(flow.go_home)
        self.branch.triggered.connect(maintenance.open_door)
        self._connect_phone()

    def _connect_phone(self) -> None:
        """The optional "Kirim kabar ke HP?" step after a ticket (kiosk/phone_messages.py)."""
        flow, phone, messages = self.flow, self.phone, self.phone_messages
        messages.offered_changed.connect(self.result.set_phone_offered)
        self.result.phone_requested.connect(self._ask_phone)
        phone.submitted.connect(
            lambda token, typed: messages.send(token, typed, self.tr_.language))
        phone.skipped.connect(flow.go_home)
        messages.saved.connect(phone.show_saved)
        messages.refused.connect(phone.show_refused)
        # Asked after the print, never before it: the tap -> print path gains no read.
        flow.outcome_ready.connect(lambda _outcome: messages.read_offer())

    def _ask_phone(self, token: str) -> None:
        self.flow.result_timer.stop()  # the idle time sends a visitor who walks away home
        self.phone.start(token)
        self.flow.show(Screen.PHONE)

    def _show(self, name: str) -> None:
        screen = Screen(name)
        if screen is Screen.BUSY:
            self.message.show_busy()
        elif screen is Screen.PIN:
            self.pin.start()
        self.stack.setCurrentWidget(self.screens[screen])
        self._arm_idle()
        if screen is Screen.HOME:
            self.setFocus()

    def _arm_idle(self) -> None:
        """Idle time counts where a visitor may have walked away, and at home in another
        language (the next visitor gets the default one back)."""
        screen = self.flow.screen
        default_language = self.tr_.language == self.flow.settings.languages[0]
        if screen in _IDLE_HOME or (screen is Screen.HOME and not default_language):
            self.idle.restart()
        else:
            self.idle.stop()

    def _status(self) -> None:
        """Banners and enabled buttons follow the printer and the supervisor's decision."""
        stop = self.flow.stop_reason()
        degraded = not self.flow.health.ok and self.flow.settings.screen_only_tickets
        health = self.flow.health
        if stop is not None:
            self.home.show_banner(stop(self.tr_), alarm=True)
        elif degraded:
            self.home.show_banner(self.tr_("kiosk.banner.screen_only",
                                          reason=self._printer_words(health.state)), alarm=False)
        else:
            self.home.show_banner(None)
        issuing = self.flow.issuing_open()
        self.home.set_issuing(issuing)
        self.priority.grid.setEnabled(issuing)
        self.maintenance.show_state(health, self.flow.accepting)

    def _printer_words(self, state: str) -> str:
        return self.tr_(f"kiosk.printer.{state}")

    def _retranslate(self) -> None:
        self.model.language_changed()
        self.priority_model.language_changed()
        for screen in dict.fromkeys(self.screens.values()):
            screen.retranslate()
        self.language.setText(self.tr_("language.switch"))
        self._name_for_readers()
        self._status()
        self._arm_idle()

    def _name_for_readers(self) -> None:
        """The window's name for a screen reader, in the visitor's language."""
        branch = self.flow.settings.branch_name
        self.setAccessibleName(self.tr_("kiosk.a11y.window", branch=branch))
        self.branch.setAccessibleName(self.tr_("kiosk.a11y.branch") + f": {branch}")

    def _switch_language(self) -> None:
        languages = self.flow.settings.languages
        current = languages.index(self.tr_.language) if self.tr_.language in languages else -1
        self.flow.set_language(languages[(current + 1) % len(languages)])

    def show_time(self) -> None:
        self.clock.setText(f"{self.wall_clock().astimezone(self.flow.settings.timezone):%H:%M}")

    def _idle(self) -> None:
        if self.flow.screen in _IDLE_HOME or self.flow.screen is Screen.HOME:
            self.flow.go_home()

    def _reservation_offered(self, text: Wording, offer: ReservationOffer) -> None:
        now = self.flow.offer.at if self.flow.offer else self.wall_clock()
        self.message.show_reservation_offer(
            text, lambda tr: wording.reservation_button(tr, offer.slot_start, now)
        )

    def _reserved(self, outcome: ReservationOutcome) -> None:
        now = self.flow.offer.at if self.flow.offer else self.wall_clock()
        self.message.show_reservation(
            lambda tr: wording.reservation_text(tr, outcome.reservation, now), outcome.picture
        )

    def _check_in_message(self, message: Wording | None) -> None:
        self.check_in.set_busy(False)
        self.check_in.show_message(message)

    def _pin_refused(self) -> None:
        self.pin.set_busy(False)
        self.pin.show_wrong(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """At home, a barcode scanner "types" a booking code: take it to check-in."""
        text = event.text()
        if self.flow.screen is Screen.HOME and text.isprintable() and text.strip():
            if self.flow.issuing_open():
                self.flow.go_check_in(text)
            return
        super().keyPressEvent(event)
