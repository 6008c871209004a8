"""Booking a slot, finding and cancelling it, and checking it in at the kiosk for a ticket."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shared.domain.booking import (
    BookingRefused,
    check_nik,
    check_phone,
    is_code_shaped,
    new_booking_code,
    normalise_code,
)
from shared.domain.errors import NotFound
from shared.domain.states import BookingState, TicketState
from shared.estimation.estimator import estimate_queue
from shared.services.booking_offer import bookable_service, booking_slots
from shared.services.booking_rules import booking_rules
from shared.services.issuing import Admission, create_ticket
from shared.services.views import TicketView, ticket_view
from shared.store.models import Booking, BranchKey, Service, Ticket
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import REQUEST_ID_LIMIT, UnitOfWork

_BOOKING_LOCK = 0x626B  # the advisory lock space of bookings ("bk")


@dataclass(frozen=True)
class BookingView:
    code: str
    service_code: str
    service_name_id: str
    service_name_en: str
    business_date: date
    slot_start: datetime  # local time of the branch
    slot_end: datetime
    state: str
    nik_last4: str
    phone_end: str  # the last digits only: enough to recognise, useless to anyone else
    check_in_from: datetime
    check_in_until: datetime
    ticket_label: str | None
    ticket_token: str | None
    documents_id: tuple[str, ...]
    documents_en: tuple[str, ...]
    expired: bool  # still booked, but its check-in time is over

    @property
    def active(self) -> bool:
        return self.state == BookingState.BOOKED and not self.expired


def book(
    uow: UnitOfWork,
    service_code: str,
    day: date,
    slot_start: datetime,
    nik: str,
    phone: str,
    *,
    request_id: str | None = None,
) -> BookingView:
    """Reserve a place in a slot; one active booking per NIK per service per day."""
    nik = check_nik(nik)
    phone = check_phone(phone)
    if request_id:
        if len(request_id) > REQUEST_ID_LIMIT:  # a visitor's form: a refusal the web answers 400
            raise BookingRefused(
                f"a request id may have at most {REQUEST_ID_LIMIT} characters", "invalid"
            )
        earlier = uow.session.scalar(
            select(Booking).where(
                Booking.branch_id == uow.branch_id, Booking.request_id == request_id
            )
        )
        if earlier is not None:
            return _replayed_booking(uow, earlier, service_code, slot_start, nik, phone)
    service = bookable_service(uow, service_code)
    if uow.store.dialect == "postgresql":
        # Bookings of one service wait for each other here, so a slot's last place goes once
        # (an advisory lock: the web service's role may not lock the services table).
        uow.session.execute(select(func.pg_advisory_xact_lock(_BOOKING_LOCK, service.id)))
    slot = next(
        (s for s in booking_slots(uow, service_code, day) if s.start == slot_start), None
    )
    if slot is None:
        raise BookingRefused(
            "this time cannot be booked (past, outside the service's hours or too soon); "
            "choose another",
            "no_slot",
        )
    if slot.free <= 0:
        raise BookingRefused("this time is fully booked; choose another", "full")
    digest = _nik_digest(uow, nik)
    if _active_booking(uow, service.id, day, digest):
        raise BookingRefused(
            "this NIK already has a booking for this service on this day; "
            "cancel it first to choose another time",
            "duplicate",
        )
    booking = Booking(
        branch_id=uow.branch_id,
        service_id=service.id,
        code=new_booking_code(),
        business_date=day,
        slot_start=slot.start,
        slot_end=slot.end,
        nik_digest=digest,
        nik_last4=nik[-4:],
        phone=phone,
        state=BookingState.BOOKED,
        request_id=request_id or None,
        booked_at=uow.now(),
    )
    uow.session.add(booking)
    try:
        uow.session.flush()
    except IntegrityError as error:
        if "nik" in str(error.orig):  # the same NIK booking twice at the same moment
            raise BookingRefused(
                "this NIK already has a booking for this service on this day", "duplicate"
            ) from error
        raise
    uow.record("booking.made", service_id=service.id, detail=f"booking {booking.id}")
    view = booking_view(uow, booking)
    uow.commit()
    return view


def _replayed_booking(
    uow: UnitOfWork, earlier: Booking, service_code: str, slot_start: datetime, nik: str,
    phone: str,
) -> BookingView:
    """The first answer to a request sent again, only to the same visitor asking the same:
    its code is enough to cancel the booking, so a request id is never a way to learn it."""
    service = uow.session.get_one(Service, earlier.service_id)
    same = (
        hmac.compare_digest(earlier.nik_digest, _nik_digest(uow, nik))
        and earlier.phone == phone
        and service.code == service_code
        and earlier.slot_start == slot_start
    )
    if not same:
        raise BookingRefused(
            "this request id was already used for another booking; send a new request id",
            "request_reused",
        )
    return booking_view(uow, earlier)


def find_booking(uow: UnitOfWork, code: str) -> BookingView:
    return booking_view(uow, _load(uow, code))


def cancel_booking(uow: UnitOfWork, code: str) -> BookingView:
    """Frees the place; a booking already checked in is a ticket now and stays."""
    booking = _load(uow, code, lock=True)
    if booking.state == BookingState.CANCELLED:
        return booking_view(uow, booking)
    if booking.state == BookingState.CHECKED_IN:
        raise BookingRefused("this booking is already checked in; it is a ticket now", "used")
    booking.state = BookingState.CANCELLED
    booking.cancelled_at = uow.now()
    uow.record("booking.cancelled", service_id=booking.service_id, detail=f"booking {booking.id}")
    view = booking_view(uow, booking)
    uow.commit()
    return view


def check_in_booking(
    uow: UnitOfWork, code: str, *, kiosk: str, request_id: str | None = None
) -> TicketView:
    """The booking's ticket, due at its slot (called after priority visitors, before walk-ins).

    Scanned again while its ticket still waits, it gives the same ticket (for a new print).
    """
    caller = f"kiosk {kiosk.strip()}|booking {normalise_code(code)}"
    earlier = uow.replayed(request_id, "issue", caller)
    if earlier is not None and earlier.ticket_id is not None:
        return ticket_view(uow, uow.session.get_one(Ticket, earlier.ticket_id))
    booking = _load(uow, code, lock=True)
    if booking.state == BookingState.CANCELLED:
        raise BookingRefused(
            "this booking was cancelled; please take a regular ticket", "cancelled"
        )
    if booking.state == BookingState.CHECKED_IN and booking.ticket_id is not None:
        ticket = uow.session.get_one(Ticket, booking.ticket_id)
        if ticket.state in (TicketState.WAITING, TicketState.CALLED):
            return ticket_view(uow, ticket)
        raise BookingRefused("this booking was already used today", "used")
    view = booking_view(uow, booking)
    now = uow.local_now()
    if now < view.check_in_from:
        raise BookingRefused(
            f"check-in opens at {view.check_in_from:%H:%M} on {view.check_in_from:%d %b %Y}",
            "early",
            view.check_in_from,
        )
    if now > view.check_in_until:
        raise BookingRefused(
            f"this booking expired at {view.check_in_until:%H:%M}; please take a regular ticket",
            "expired",
            view.check_in_until,
        )
    service = uow.session.get_one(Service, booking.service_id)
    ticket = create_ticket(
        uow,
        service.code,
        kiosk=kiosk,
        due_at=booking.slot_start,
        admission=Admission.BOOKED,
    )
    # The walk-in's window does not fit a visitor called at a slot: project this ticket itself.
    window = estimate_queue(uow).tickets.get(ticket.id)
    if window is not None:
        ticket.estimate_seconds = window.expected_seconds
        ticket.window_low_seconds = window.low_seconds
        ticket.window_high_seconds = window.high_seconds
    booking.state = BookingState.CHECKED_IN
    booking.checked_in_at = uow.now()
    booking.ticket_id = ticket.id
    uow.record(
        "booking.checked_in",
        ticket_id=ticket.id,
        service_id=service.id,
        detail=f"booking {booking.id}",
    )
    uow.remember(request_id, "issue", ticket.id, caller)
    result = ticket_view(uow, ticket)
    uow.commit()
    return result


class StoreBookingDesk:
    """The kiosk's check-in for a branch that takes bookings (kiosk.booking.BookingDesk)."""

    def check_in(
        self, uow: UnitOfWork, code: str, *, kiosk: str, request_id: str
    ) -> TicketView:
        return check_in_booking(uow, code, kiosk=kiosk, request_id=request_id)


def booking_view(uow: UnitOfWork, booking: Booking) -> BookingView:
    service = uow.session.get_one(Service, booking.service_id)
    details = service_settings(service)
    rules = booking_rules(uow)
    zone = uow.zone
    start = booking.slot_start.astimezone(zone)
    end = booking.slot_end.astimezone(zone)
    ticket = uow.session.get(Ticket, booking.ticket_id) if booking.ticket_id else None
    until = end + timedelta(minutes=rules.checkin_late_minutes)
    return BookingView(
        code=booking.code,
        service_code=service.code,
        service_name_id=service.name_id,
        service_name_en=service.name_en,
        business_date=booking.business_date,
        slot_start=start,
        slot_end=end,
        state=booking.state,
        nik_last4=booking.nik_last4,
        phone_end=booking.phone[-3:],
        check_in_from=start - timedelta(minutes=rules.checkin_early_minutes),
        check_in_until=until,
        ticket_label=ticket.label if ticket else None,
        ticket_token=ticket.token if ticket else None,
        documents_id=tuple(details.documents_id),
        documents_en=tuple(details.documents_en),
        expired=booking.state == BookingState.BOOKED and uow.local_now() > until,
    )


def _load(uow: UnitOfWork, code: str, lock: bool = False) -> Booking:
    code = normalise_code(code)
    if not is_code_shaped(code):
        raise NotFound("there is no booking with this code")
    query = select(Booking).where(Booking.branch_id == uow.branch_id, Booking.code == code)
    if lock and uow.store.dialect == "postgresql":
        query = query.with_for_update()
    booking = uow.session.scalar(query)
    if booking is None:
        raise NotFound("there is no booking with this code")
    return booking


def _active_booking(uow: UnitOfWork, service_id: int, day: date, digest: str) -> bool:
    return (
        uow.session.scalar(
            select(Booking.id).where(
                Booking.branch_id == uow.branch_id,
                Booking.service_id == service_id,
                Booking.business_date == day,
                Booking.nik_digest == digest,
                Booking.state != BookingState.CANCELLED,
            )
        )
        is not None
    )


def _nik_digest(uow: UnitOfWork, nik: str) -> str:
    key = uow.session.get(BranchKey, uow.branch_id)
    if key is None:
        raise BookingRefused("the branch is not set up for bookings; run `antrean init`", "setup")
    return hmac.new(bytes.fromhex(key.nik_key), nik.encode(), hashlib.sha256).hexdigest()
