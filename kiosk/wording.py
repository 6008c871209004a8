"""The sentences the kiosk shows, built from the catalog: waits, moments, reasons, problems."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from kiosk.printer_health import PrinterHealth
from shared.domain.booking import BookingRefused, format_code
from shared.estimation.window import WaitEstimate
from shared.i18n import Translator
from shared.printing.ticket import TICKET_WORDS
from shared.services.reservations import Reservation
from shared.services.service_outlook import ServiceOutlook, wait_minutes
from shared.services.views import TicketView


def service_name(tr: Translator, offer: ServiceOutlook | TicketView) -> str:
    if isinstance(offer, TicketView):
        return offer.service_name_id if tr.language == "id" else offer.service_name_en
    return offer.name_id if tr.language == "id" else offer.name_en


def documents(tr: Translator, offer: ServiceOutlook) -> tuple[str, ...]:
    return offer.documents_id if tr.language == "id" else offer.documents_en or offer.documents_id


def info(tr: Translator, offer: ServiceOutlook) -> str:
    return offer.info_id if tr.language == "id" else offer.info_en or offer.info_id


def waiting_text(tr: Translator, waiting: int) -> str:
    return tr("kiosk.service.waiting", count=waiting) if waiting else tr("kiosk.service.nobody")


def wait_text(tr: Translator, wait: WaitEstimate | None, short: bool = False) -> str:
    """The 80 % window of the wait in minutes; `short` fits on one line of a service button."""
    if wait is None:
        return tr("kiosk.wait.unknown")
    low, high = wait_minutes(wait)
    if high < 1:
        return tr("wait.none")
    style = "short_" if short else ""
    if low == high:
        return tr(f"kiosk.wait.{style}about", minutes=high)
    return tr(f"kiosk.wait.{style}range", low=low, high=high)


def moment_text(tr: Translator, at: datetime, now: datetime) -> str:
    """'hari ini pukul 13:00', 'besok pukul 08:00' or 'Senin, 30 November pukul 08:00'.

    A day that opens at midnight (a branch open round the clock, as in the demo) has no
    opening hour to tell: "besok", not "besok pukul 00:00", which reads as the middle of the
    night."""
    at = at.astimezone(now.tzinfo)
    clock = f"{at:%H:%M}"
    at_start = at.time() == time(0, 0)
    if at.date() == now.date():
        return tr("kiosk.when.today", time=clock)
    if at.date() == now.date() + timedelta(days=1):
        if at_start:
            return tr("kiosk.when.tomorrow_start")
        return tr("kiosk.when.tomorrow", time=clock)
    words = TICKET_WORDS[tr.language]
    day = f"{words.weekdays[at.weekday()]}, {at.day} {words.months[at.month - 1]}"
    if at_start:
        return tr("kiosk.when.day_start", day=day)
    return tr("kiosk.when.day", day=day, time=clock)


def reservation_button(tr: Translator, at: datetime, now: datetime) -> str:
    """'Ambil jadwal besok 09:30': the slot offered to a visitor turned away today."""
    at = at.astimezone(now.tzinfo)
    clock = f"{at:%H:%M}"
    if at.date() == now.date() + timedelta(days=1):
        when = tr("kiosk.reserve.tomorrow", time=clock)
    else:
        words = TICKET_WORDS[tr.language]
        day = f"{words.weekdays[at.weekday()]}, {at.day} {words.months[at.month - 1]}"
        when = tr("kiosk.reserve.day", day=day, time=clock)
    return tr("kiosk.reserve.offer", when=when)


def reservation_text(tr: Translator, reservation: Reservation, now: datetime) -> str:
    """The booking made: its code, service, slot, and when to come and scan it."""
    booking = reservation.booking
    service = booking.service_name_id if tr.language == "id" else booking.service_name_en
    return tr(
        "kiosk.reserve.done",
        code=format_code(booking.code),
        service=service,
        when=moment_text(tr, booking.slot_start, now),
        start=f"{booking.check_in_from:%H:%M}",
        until=f"{booking.check_in_until:%H:%M}",
    )


def unavailable_text(tr: Translator, offer: ServiceOutlook, now: datetime) -> str:
    """Why a service cannot be taken now, and when it can: what the visitor must hear."""
    when = moment_text(tr, offer.earliest, now) if offer.earliest else None
    if offer.unavailable == "full":
        return tr("kiosk.full.again", when=when) if when else tr("kiosk.full.plain")
    if offer.unavailable == "capacity":
        return tr("kiosk.capacity.again", when=when) if when else tr("kiosk.capacity.plain")
    if offer.unavailable == "unserved":
        return tr("kiosk.unserved.again", when=when) if when else tr("kiosk.unserved.plain")
    hours = offer.issuing_hours
    if hours is not None and now.time() < hours[0]:
        return tr("kiosk.closed.not_yet", time=f"{hours[0]:%H:%M}")
    if hours is not None and when:
        span = f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"
        return tr("kiosk.closed.after_hours", hours=span, when=when)
    return tr("kiosk.closed.today", when=when) if when else tr("kiosk.closed.plain")


def turned_away_text(tr: Translator, offer: ServiceOutlook, now: datetime) -> str:
    """The service on a line of its own above why not: "Klaim JHT: Penuh: …" read as one
    muddle of colons."""
    return f"{service_name(tr, offer)}\n{unavailable_text(tr, offer, now)}"


def call_window_text(tr: Translator, ticket: TicketView, zone: ZoneInfo) -> str | None:
    if ticket.window_low_seconds is None or ticket.window_high_seconds is None:
        return None
    issued = ticket.issued_at.astimezone(zone)
    start = issued + timedelta(seconds=ticket.window_low_seconds)
    end = issued + timedelta(seconds=ticket.window_high_seconds)
    return tr("ticket.window", start=f"{start:%H:%M}", end=f"{end:%H:%M}")


def printer_state_text(tr: Translator, health: PrinterHealth) -> str:
    return tr(f"kiosk.printer.{health.state}")


def booking_refusal(error: BookingRefused) -> Callable[[Translator], str]:
    """Why a booking was not checked in, with the time to come back where there is one."""
    key = f"kiosk.checkin.{error.reason}"

    def text(tr: Translator) -> str:
        if error.reason in ("early", "expired") and error.at is not None:
            return tr(key, time=f"{error.at:%H:%M}", day=f"{error.at:%d-%m-%Y}")
        if error.reason in ("cancelled", "used"):
            return tr(key)
        return tr("kiosk.checkin.refused", reason=str(error))

    return text
