"""The kiosk's behaviour, apart from its widgets: which screen, which visit, what the desk does.

Everything that touches the store or the printer goes through the runner to the `TicketDesk`;
answers come back here on the GUI thread and become signals the window shows.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import cast

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk import wording
from kiosk.booking import BookingUnavailable
from kiosk.desk import IssueOutcome, ReservationOutcome, TicketDesk
from kiosk.maintenance import Maintenance
from kiosk.printer_health import PrinterHealth, health_of
from kiosk.screens import Screen
from kiosk.settings import KioskSettings
from kiosk.visit import Visit
from shared.domain.booking import BookingRefused
from shared.domain.errors import IssuingClosed, NotAllowed, NotFound
from shared.i18n import Language, Translator
from shared.printing.printers import PrinterProblem
from shared.printing.ticket import TicketSlip
from shared.qt.operations import Runner
from shared.services.reservations import RESERVABLE, ReservationOffer
from shared.services.service_outlook import BranchOutlook, IssuingState, ServiceOutlook

log = logging.getLogger(__name__)
Wording = Callable[[Translator], str]
# The same result screen stays up longer when it is the visitor's only record of the number.
UNPRINTED_RESULT_FACTOR = 3
LONGEST_CHANGE_WAIT_MS = 6 * 3600 * 1000
CHANGES_COALESCE_MS = 150


class KioskFlow(QObject):
    screen_changed = Signal(str)
    offer_changed = Signal(object)  # BranchOutlook
    status_changed = Signal()  # printer health or acceptance: banners and maintenance
    language_changed = Signal()
    documents_requested = Signal(object, bool)  # ServiceOutlook, priority
    check_in_requested = Signal(str)  # what a scanner typed on the home screen
    outcome_ready = Signal(object)  # IssueOutcome
    refused = Signal(object)  # Wording
    # Why not today (Wording) and the slot offered instead (ReservationOffer).
    reservation_offered = Signal(object, object)
    reserved = Signal(object)  # ReservationOutcome
    check_in_message = Signal(object)  # Wording

    def __init__(self, desk: TicketDesk, runner: Runner, settings: KioskSettings,
                 tr: Translator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.runner = runner
        self.settings = settings
        self.tr_ = tr
        self.screen = Screen.HOME
        self.visit = Visit()
        self.offer: BranchOutlook | None = None
        self.health = PrinterHealth("unchecked")
        self.accepting = True
        self.busy = False  # a ticket is being issued and printed
        self.last_slip: TicketSlip | None = None
        self.reservation: ReservationOffer | None = None  # offered to the visitor now
        self._reading = False
        self._stale = False
        self._checking = False
        self._stopped = False
        self.result_timer = self._timer(self.go_home)
        self.change_timer = self._timer(self.refresh_offer)
        self.changes_timer = self._timer(self.refresh_offer)
        self.recheck_timer = QTimer(self)
        self.recheck_timer.setInterval(settings.printer_recheck_ms)
        self.recheck_timer.timeout.connect(self.check_printer)
        self.maintenance = Maintenance(self)

    def _timer(self, action: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        return timer

    # -- start, offer and printer state --------------------------------------------------
    def start(self) -> None:
        self.refresh_offer()
        self.check_printer()
        # Asked while idle too, so the kiosk and the board follow the printer both ways: one
        # that dies is noticed before a visitor is turned away, paper put in clears "paper low".
        self.recheck_timer.start()

    def stop(self) -> None:
        """Before the runner shuts down: no timer or late change signal starts new work."""
        self._stopped = True
        for timer in (self.result_timer, self.change_timer, self.changes_timer,
                      self.recheck_timer):
            timer.stop()

    def changes_arrived(self, _changes: object = None) -> None:
        """Store changes (a call is three events: call, start, finish) read as one refresh,
        at most `CHANGES_COALESCE_MS` later, so a visitor's tap rarely waits behind one."""
        if not self.changes_timer.isActive():
            self.changes_timer.start(CHANGES_COALESCE_MS)

    def refresh_offer(self, _changes: object = None) -> None:
        """Read the offer again; while a read is under way, one more follows it."""
        if self._stopped:
            return
        if self._reading:
            self._stale = True
            return
        self._reading = True
        self.runner.run(self.desk.read_offer, self._offer_read, self._offer_failed)

    def _offer_read(self, offer: BranchOutlook) -> None:
        self._reading = False
        self.offer = offer
        self.offer_changed.emit(offer)
        if offer.next_change_at is not None:
            delay = (offer.next_change_at - offer.at).total_seconds() * 1000 + 1000
            self.change_timer.start(int(min(delay, LONGEST_CHANGE_WAIT_MS)))
        if self._stale:
            self._stale = False
            self.refresh_offer()

    def _offer_failed(self, error: BaseException) -> None:
        self._reading = False
        self._stale = False
        log.error("could not read the services on offer: %s", error, exc_info=error)

    def check_printer(self) -> None:
        if self._checking or self.busy or self._stopped:
            return
        self._checking = True
        self.runner.run(self.desk.check_printer, self._printer_checked, self._check_failed)

    def _printer_checked(self, health: PrinterHealth) -> None:
        self._checking = False
        self.set_health(health)

    def _check_failed(self, error: BaseException) -> None:
        self._checking = False
        log.error("could not record the printer state: %s", error, exc_info=error)

    def set_health(self, health: PrinterHealth) -> None:
        if health.state != self.health.state:
            log.info("printer %s %s", health.state, health.store_detail())
        self.health = health
        self.status_changed.emit()

    def issuing_open(self) -> bool:
        printable = self.health.ok or self.settings.screen_only_tickets
        return self.accepting and printable

    # -- navigation ------------------------------------------------------------------------
    def show(self, screen: Screen) -> None:
        self.screen = screen
        self.screen_changed.emit(screen.value)

    def go_home(self) -> None:
        if self.busy:
            return  # the ticket being printed will be shown first
        self.result_timer.stop()
        self.visit = Visit()
        self.reservation = None
        if self.tr_.language != self.settings.languages[0]:
            self.set_language(self.settings.languages[0])  # the next visitor's default
        self.show(Screen.HOME)

    def go_priority(self) -> None:
        self.show(Screen.PRIORITY)

    def go_check_in(self, typed: str = "") -> None:
        self.check_in_requested.emit(typed)
        self.show(Screen.CHECK_IN)

    def set_language(self, language: Language) -> None:
        self.tr_.language = language
        self.language_changed.emit()

    # -- taking a ticket -------------------------------------------------------------------
    def choose_service(self, code: str, priority: bool = False) -> None:
        service = self.offer.service(code, priority) if self.offer else None
        if service is None or self.busy or not self.issuing_open():
            return
        if not service.available:
            self._turned_away(service)
            return
        self.visit.choose(code, priority)
        if service.documents_id or service.info_id:
            self.documents_requested.emit(service, priority)
            self.show(Screen.DOCUMENTS)
        else:
            self.take_ticket()

    def take_ticket(self) -> None:
        code = self.visit.service_code
        if code is None or self.busy:
            return
        self.busy = True
        priority, language = self.visit.priority, self.tr_.language
        request_id = self.visit.ticket_request_id()
        self.show(Screen.BUSY)
        self.runner.run(
            lambda: self.desk.take_ticket(code, priority, language, request_id),
            self._issued,
            self._not_issued,
        )

    def check_in(self, code: str) -> None:
        if self.busy:
            return
        stop = self.stop_reason()
        if stop is not None:
            self.check_in_message.emit(stop)
            return
        self.busy = True
        language, request_id = self.tr_.language, self.visit.check_in_request_id(code)
        self.runner.run(
            lambda: self.desk.check_in(code, language, request_id),
            self._issued,
            self._not_checked_in,
        )

    def _issued(self, outcome: IssueOutcome) -> None:
        self.busy = False
        self.last_slip = outcome.slip
        self.set_health(outcome.health)
        self.outcome_ready.emit(outcome)
        self.show(Screen.RESULT)
        factor = 1 if outcome.printed else UNPRINTED_RESULT_FACTOR
        self.result_timer.start(self.settings.result_ms * factor)

    def _not_issued(self, error: BaseException) -> None:
        self.busy = False
        if isinstance(error, IssuingClosed):
            self.refresh_offer()
            service = self._closed_service(error)
            if service is None:
                self._refuse(lambda tr: tr("kiosk.checkin.refused", reason=str(error)))
            else:
                self._turned_away(service)
        elif isinstance(error, PrinterProblem):
            self.set_health(health_of(error))
            self._refuse(lambda tr: tr("kiosk.error.printer_before",
                                       reason=wording.printer_state_text(tr, health_of(error))))
        elif isinstance(error, NotAllowed):
            self._refuse(lambda tr: tr("kiosk.error.no_priority"))
        else:
            log.error("ticket not issued: %s", error, exc_info=error)
            self._refuse(lambda tr: tr("kiosk.error.system"))

    def _not_checked_in(self, error: BaseException) -> None:
        if isinstance(error, BookingUnavailable | NotFound):
            self.busy = False
            key = "unavailable" if isinstance(error, BookingUnavailable) else "not_found"
            self.check_in_message.emit(lambda tr: tr(f"kiosk.checkin.{key}"))
            return
        if isinstance(error, BookingRefused):
            self.busy = False
            self.check_in_message.emit(wording.booking_refusal(error))
            return
        self._not_issued(error)

    def _closed_service(self, error: IssuingClosed) -> ServiceOutlook | None:
        """The chosen service as the refusal left it."""
        code = self.visit.service_code
        service = self.offer.service(code, self.visit.priority) if self.offer and code else None
        if service is None:
            return None
        reason = cast(IssuingState, error.reason)
        earliest = error.earliest if isinstance(error.earliest, datetime) else None
        return dataclasses.replace(service, issuing=reason, earliest=earliest)

    # -- a reservation instead of "come back tomorrow" ---------------------------------------
    def _turned_away(self, service: ServiceOutlook) -> None:
        """Say why not today; where another day can take the visitor, offer them a slot."""
        # Counted for the report and the region, whatever follows; a failure is logged.
        self.runner.run(lambda: self.desk.note_turned_away(service.code, service.issuing))
        text = self._unavailable_wording(service)
        if service.issuing not in RESERVABLE or self.stop_reason() is not None:
            self._refuse(text)
            return
        self.visit.choose(service.code, service.priority)
        self.busy = True
        self.runner.run(
            lambda: self.desk.reservation_offer(service.code),
            lambda offer: self._reservation_found(text, offer),
            lambda error: self._reservation_failed(text, error),
        )

    def _reservation_found(self, text: Wording, offer: ReservationOffer | None) -> None:
        self.busy = False
        if offer is None:
            self._refuse(text)
            return
        self.reservation = offer
        self.reservation_offered.emit(text, offer)
        self.show(Screen.MESSAGE)

    def _reservation_failed(self, text: Wording, error: BaseException) -> None:
        self.busy = False
        log.error("could not look for a reservation: %s", error, exc_info=error)
        self._refuse(text)

    def take_reservation(self) -> None:
        offer = self.reservation
        if offer is None or self.busy:
            return
        self.busy = True
        language = self.tr_.language
        request_id = self.visit.reservation_request_id(offer.service_code)
        self.show(Screen.BUSY)
        self.runner.run(
            lambda: self.desk.reserve(offer, language, request_id),
            self._reserved,
            self._not_reserved,
        )

    def _reserved(self, outcome: ReservationOutcome) -> None:
        self.busy = False
        self.reservation = None
        self.reserved.emit(outcome)
        self.show(Screen.MESSAGE)
        factor = 1 if outcome.printed else UNPRINTED_RESULT_FACTOR
        self.result_timer.start(self.settings.result_ms * factor)

    def _not_reserved(self, error: BaseException) -> None:
        self.busy = False
        self.reservation = None
        if isinstance(error, BookingRefused):
            self._refuse(lambda tr: tr("kiosk.reserve.gone"))
            return
        log.error("reservation not made: %s", error, exc_info=error)
        self._refuse(lambda tr: tr("kiosk.error.system"))

    def _unavailable_wording(self, service: ServiceOutlook) -> Wording:
        at = self.offer.at if self.offer else datetime.now(self.settings.timezone)
        return lambda tr: wording.turned_away_text(tr, service, at)

    def stop_reason(self) -> Wording | None:
        """Why the kiosk issues no tickets now, in the visitor's words; None: it issues."""
        if not self.accepting:
            return lambda tr: tr("kiosk.banner.closed")
        if self.health.ok or self.settings.screen_only_tickets:
            return None
        health = self.health
        return lambda tr: tr("kiosk.banner.printer",
                             reason=wording.printer_state_text(tr, health))

    def _refuse(self, text: Wording) -> None:
        self.refused.emit(text)
        self.show(Screen.MESSAGE)
