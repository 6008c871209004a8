"""The kiosk's work behind the screens: check the printer, issue, print, report. No Qt here.

Every method may wait on the store or the printer, so the screens call them only through the
operation runner. The desk is used from that one worker thread, which keeps its state simple.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from kiosk.booking import BookingDesk
from kiosk.printer_health import PrinterHealth, check_printer, health_of
from kiosk.settings import KioskSettings
from kiosk.slips import SlipMaker
from shared.domain.errors import NotAllowed
from shared.domain.states import Role
from shared.printing.printers import PrinterProblem, TicketPrinter, VirtualPrinter
from shared.printing.ticket import TicketLanguage, TicketSlip
from shared.services import officers
from shared.services.issuing import issue_ticket
from shared.services.kiosks import report_printer
from shared.services.officers import OfficerView
from shared.services.reservations import (
    Reservation,
    ReservationOffer,
    reservation_offer,
    reserve,
)
from shared.services.runner import attempt
from shared.services.service_outlook import BranchOutlook, branch_outlook
from shared.services.turn_aways import note_turned_away
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class IssueOutcome:
    """A ticket that exists in the store, and whether the visitor holds it on paper."""

    ticket: TicketView
    slip: TicketSlip
    printed: bool
    health: PrinterHealth
    picture: bytes | None = None  # PNG of the slip to show (virtual printer, or not printed)
    screen_only: bool = False  # not even tried: the printer is down and the branch allows it


@dataclass(frozen=True)
class ReservationOutcome:
    """A booking made for a visitor turned away, and whether its slip came out."""

    reservation: Reservation
    printed: bool
    picture: bytes | None = None  # PNG of the slip to show (virtual printer, or not printed)


class TicketDesk:
    def __init__(
        self,
        store: Store,
        settings: KioskSettings,
        printer: TicketPrinter,
        bookings: BookingDesk,
    ) -> None:
        self.store = store
        self.settings = settings
        self.printer = printer
        self.bookings = bookings
        self.slips = SlipMaker(settings)
        self.health = PrinterHealth("unchecked")
        self.accepting = True  # False: a supervisor closed the kiosk
        self._reported: tuple[str, str, bool] | None = None

    # -- reading -------------------------------------------------------------------------
    def read_offer(self) -> BranchOutlook:
        # Writable: the read records where the capacity rule now refuses or issues again.
        return self._attempt(
            lambda uow: branch_outlook(uow, self.settings.hidden_services, settle=True)
        )

    # -- the printer ---------------------------------------------------------------------
    def check_printer(self) -> PrinterHealth:
        self._note(check_printer(self.printer))
        return self.health

    def issuing_blocked(self) -> bool:
        return not self.health.ok and not self.settings.screen_only_tickets

    # -- tickets -------------------------------------------------------------------------
    def take_ticket(
        self, service_code: str, priority: bool, language: TicketLanguage, request_id: str
    ) -> IssueOutcome:
        """Issue one ticket (once per request id) and print it; raises before issuing when the
        printer is known to be unable to print it."""
        return self._issue(
            lambda uow: issue_ticket(
                uow,
                service_code,
                priority=priority,
                kiosk=self.settings.kiosk_name,
                request_id=request_id,
            ),
            language,
        )

    def check_in(self, code: str, language: TicketLanguage, request_id: str) -> IssueOutcome:
        return self._issue(
            lambda uow: self.bookings.check_in(
                uow, code, kiosk=self.settings.kiosk_name, request_id=request_id
            ),
            language,
        )

    def _issue(
        self, issue: Callable[[UnitOfWork], TicketView], language: TicketLanguage
    ) -> IssueOutcome:
        screen_only = self.settings.screen_only_tickets
        if self.health.ok or not screen_only:
            # Found before issuing, a problem costs the visitor nothing: no number is taken.
            # (With screen-only tickets a known-bad printer is not asked again per visitor;
            # the kiosk's recheck brings it back.)
            self._note(check_printer(self.printer))
        paperless = self.health.problem is not None
        if self.health.problem is not None and not screen_only:
            raise self.health.problem
        ticket = self._attempt(issue)
        slip = self.slips.slip(ticket, language)
        if paperless:
            return self._unprinted(ticket, slip, language, screen_only=True)
        try:
            self.printer.print_ticket(self.slips.job(slip), slip)
        except PrinterProblem as problem:
            # The ticket stays valid: the screen shows it and staff are told.
            log.warning("ticket %s not printed: %s (%s)", ticket.label, problem, problem.detail)
            self._note(health_of(problem))
            return self._unprinted(ticket, slip, language)
        return IssueOutcome(ticket, slip, True, self.health, self._virtual_picture())

    # -- reservations for visitors turned away today ----------------------------------------
    def note_turned_away(self, service_code: str, reason: str) -> None:
        self._attempt(
            lambda uow: note_turned_away(uow, service_code, reason, self.settings.kiosk_name)
        )

    def reservation_offer(self, service_code: str) -> ReservationOffer | None:
        return self._attempt(
            lambda uow: reservation_offer(uow, service_code), read_only=True
        )

    def reserve(
        self, offer: ReservationOffer, language: TicketLanguage, request_id: str
    ) -> ReservationOutcome:
        """Book the offered slot and print its slip; the booking stands even when the paper
        does not come out (the screen then shows the slip, code and QR)."""
        reservation = self._attempt(
            lambda uow: reserve(
                uow,
                offer.service_code,
                offer.slot_start,
                kiosk=self.settings.kiosk_name,
                request_id=request_id,
            )
        )
        slip = self.slips.reservation_slip(reservation, language)
        try:
            if self.health.problem is not None:
                raise self.health.problem
            self.printer.print_ticket(self.slips.job(slip), slip)
        except PrinterProblem as problem:
            log.warning("reservation %s not printed: %s", reservation.booking.code, problem)
            self._note(health_of(problem))
            notice = "Tidak tercetak" if language == "id" else "Not printed"
            shown = self.slips.reservation_slip(reservation, language, notice=notice)
            return ReservationOutcome(reservation, False, self.slips.picture(shown))
        return ReservationOutcome(reservation, True, self._virtual_picture())

    def _unprinted(
        self,
        ticket: TicketView,
        slip: TicketSlip,
        language: TicketLanguage,
        screen_only: bool = False,
    ) -> IssueOutcome:
        notice = "Tiket tidak tercetak" if language == "id" else "Ticket not printed"
        shown = self.slips.slip(ticket, language, notice=notice)
        picture = self.slips.picture(shown)
        return IssueOutcome(ticket, slip, False, self.health, picture, screen_only)

    def _virtual_picture(self) -> bytes | None:
        if isinstance(self.printer, VirtualPrinter) and self.printer.last_image_path:
            return Path(self.printer.last_image_path).read_bytes()
        return None

    def reprint(self, slip: TicketSlip) -> PrinterHealth:
        """Print a slip again (the last ticket, or the test page); raises `PrinterProblem`."""
        try:
            self.printer.print_ticket(self.slips.job(slip), slip)
        except PrinterProblem as problem:
            self._note(health_of(problem))
            raise
        self._note(check_printer(self.printer))
        return self.health

    def test_page(self, language: TicketLanguage, title: str) -> TicketSlip:
        now = self._attempt(lambda uow: uow.now(), read_only=True)
        return self.slips.test_slip(now, language, title)

    # -- the kiosk itself ----------------------------------------------------------------
    def set_accepting(self, accepting: bool) -> bool:
        self.accepting = accepting
        self._report()
        return accepting

    def authenticate_supervisor(self, login: str, pin: str) -> OfficerView:
        # Not read-only: a wrong PIN is counted towards the lockout.
        officer = self._attempt(lambda uow: officers.authenticate(uow, login, pin))
        if not Role(officer.role).at_least(Role.SUPERVISOR):
            raise NotAllowed("only a supervisor may open the kiosk's maintenance")
        return officer

    # -- store -----------------------------------------------------------------------------
    def _note(self, health: PrinterHealth) -> None:
        self.health = health
        self._report()

    def _report(self) -> None:
        """Tell the store when the printer state or acceptance changed (not on every ticket)."""
        accepting = self.accepting and (self.health.ok or self.settings.screen_only_tickets)
        current = (self.health.state, self.health.store_detail(), accepting)
        if current == self._reported:
            return
        self._attempt(
            lambda uow: report_printer(uow, self.settings.kiosk_name, *current)
        )
        self._reported = current

    def _attempt(self, action: Callable[[UnitOfWork], T], read_only: bool = False) -> T:
        return attempt(self.store, self.settings.branch_code, action, read_only=read_only)
