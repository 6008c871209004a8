"""From an issued ticket to the slip the visitor takes home, in the visitor's language."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urljoin

from kiosk.settings import KioskSettings
from shared.domain.booking import format_code
from shared.printing.layout import layout_reservation, layout_ticket
from shared.printing.raster import render_reservation_image, render_ticket_image
from shared.printing.reservation import PrintedSlip, ReservationSlip
from shared.printing.ticket import TicketLanguage, TicketSlip
from shared.services.reservations import Reservation
from shared.services.views import TicketView

PaperWidth = Literal[58, 80]


def web_home(survey_base_url: str) -> str:
    """The web service's home page, one level above the ticket pages ("…/t/"): what the test
    page's QR opens, so scanning it shows that phones reach the branch's web service."""
    return urljoin(survey_base_url, "..")


class SlipMaker:
    """Fills a `TicketSlip` from a `TicketView` and the branch's printer and queue settings."""

    def __init__(self, settings: KioskSettings) -> None:
        self.settings = settings

    @property
    def paper_mm(self) -> PaperWidth:
        return self.settings.printer.paper_mm

    def slip(self, ticket: TicketView, language: TicketLanguage, notice: str = "") -> TicketSlip:
        settings = self.settings
        issued = ticket.issued_at.astimezone(settings.timezone)
        window = None
        if ticket.window_low_seconds is not None and ticket.window_high_seconds is not None:
            window = (
                issued + timedelta(seconds=ticket.window_low_seconds),
                issued + timedelta(seconds=ticket.window_high_seconds),
            )
        return TicketSlip(
            branch_name=settings.branch_name,
            service_name=ticket.service_name_id if language == "id" else ticket.service_name_en,
            label=ticket.label,
            issued_at=issued,
            people_ahead=ticket.people_ahead,
            window=window,
            status_url=settings.queue.survey_base_url + ticket.token,
            documents=self.documents(ticket.service_code, language),
            footer=self.footer(language),
            priority=ticket.priority,
            booked=ticket.booked,
            language=language,
            logo_path=settings.printer.logo or None,
            notice=notice,
        )

    def documents(self, service_code: str, language: TicketLanguage) -> tuple[str, ...]:
        service = self.settings.services.get(service_code)
        if service is None:
            return ()
        english = service.documents_en or service.documents_id
        return tuple(service.documents_id if language == "id" else english)

    def footer(self, language: TicketLanguage) -> str:
        printer = self.settings.printer
        return printer.footer_id if language == "id" else printer.footer_en

    def test_slip(self, now: datetime, language: TicketLanguage, service_name: str) -> TicketSlip:
        """A page that exercises every part of the layout, for the supervisor's printer test."""
        local = now.astimezone(self.settings.timezone)
        return TicketSlip(
            branch_name=self.settings.branch_name,
            service_name=service_name,
            label="TES",
            issued_at=local,
            people_ahead=0,
            window=(local, local + timedelta(minutes=5)),
            status_url=web_home(self.settings.queue.survey_base_url),
            documents=(),
            footer=f"{self.settings.kiosk_name} · {self.footer(language)}",
            priority=False,
            language=language,
            logo_path=self.settings.printer.logo or None,
            test_page=True,
        )

    def reservation_slip(
        self, reservation: Reservation, language: TicketLanguage, notice: str = ""
    ) -> ReservationSlip:
        booking = reservation.booking
        return ReservationSlip(
            branch_name=self.settings.branch_name,
            service_name=booking.service_name_id if language == "id" else booking.service_name_en,
            code=format_code(booking.code),
            slot_start=booking.slot_start,
            slot_end=booking.slot_end,
            check_in_from=booking.check_in_from,
            check_in_until=booking.check_in_until,
            link=reservation.link,
            footer=self.footer(language),
            language=language,
            notice=notice,
        )

    def job(self, slip: PrintedSlip) -> bytes:
        if isinstance(slip, ReservationSlip):
            return layout_reservation(slip, self.paper_mm)
        return layout_ticket(slip, self.paper_mm)

    def picture(self, slip: PrintedSlip) -> bytes:
        """The slip as PNG bytes, for the screen when it is not (or only virtually) printed."""
        buffer = io.BytesIO()
        if isinstance(slip, ReservationSlip):
            image = render_reservation_image(slip, self.paper_mm)
        else:
            image = render_ticket_image(slip, self.paper_mm)
        image.save(buffer, format="PNG")
        return buffer.getvalue()
