"""Turn-aways become reservations: a visitor the kiosk refuses for today (capacity, quota, or
no counter serving the service) is offered the first free slot on the next day the service can
take them, booked on the spot.

A kiosk reservation is a booking like any other — its code and QR are checked in at the kiosk,
its page is on the phone — but it carries no NIK: the visitor at the kiosk may have no phone
and no wish to type a NIK on a public screen, and the printed code is the proof. (The one
booking per NIK rule therefore does not reach it; each reservation has its own digest.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from shared.domain.booking import BookingRefused, new_booking_code
from shared.domain.states import BookingState
from shared.services.booking_offer import Slot, bookable_service, booking_slots
from shared.services.booking_rules import booking_rules
from shared.services.bookings import BookingView, booking_view
from shared.store.models import Booking
from shared.store.unit_of_work import REQUEST_ID_LIMIT, UnitOfWork

_BOOKING_LOCK = 0x626B  # the bookings' advisory lock space (shared/services/bookings.py)
# Refusals a reservation answers: the visitor cannot be served today, but could another day.
RESERVABLE = frozenset({"capacity", "full", "unserved"})
KIOSK_DIGEST = "kiosk:"  # a kiosk reservation's NIK digest: this prefix and its own code


@dataclass(frozen=True)
class ReservationOffer:
    service_code: str
    day: date
    slot_start: datetime  # local time of the branch
    slot_end: datetime


@dataclass(frozen=True)
class Reservation:
    booking: BookingView
    link: str  # the booking's page: the QR on the slip, scanned again at the kiosk


def reservation_offer(uow: UnitOfWork, service_code: str) -> ReservationOffer | None:
    """The first free slot after today within the booking period; None when the service takes
    no bookings or no day ahead has room."""
    rules = booking_rules(uow)
    try:
        bookable_service(uow, service_code)
    except BookingRefused:
        return None
    today = uow.local_now().date()
    for offset in range(1, rules.days_ahead + 1):
        day = today + timedelta(days=offset)
        slot = next((s for s in booking_slots(uow, service_code, day) if s.free > 0), None)
        if slot is not None:
            return ReservationOffer(service_code, day, slot.start, slot.end)
    return None


def reserve(
    uow: UnitOfWork,
    service_code: str,
    slot_start: datetime,
    *,
    kiosk: str,
    request_id: str | None = None,
) -> Reservation:
    """Book the offered slot for the visitor at the kiosk, without a NIK; once per request."""
    service = bookable_service(uow, service_code)
    if request_id:
        if len(request_id) > REQUEST_ID_LIMIT:
            raise BookingRefused(
                f"a request id may have at most {REQUEST_ID_LIMIT} characters", "invalid"
            )
        earlier = uow.session.scalar(
            select(Booking).where(
                Booking.branch_id == uow.branch_id, Booking.request_id == request_id
            )
        )
        if earlier is not None:
            # Only the same kiosk request's answer: a web booking or another slot shares no
            # code through a reused id.
            same = (
                earlier.nik_digest.startswith(KIOSK_DIGEST)
                and earlier.service_id == service.id
                and earlier.slot_start == slot_start
            )
            if not same:
                raise BookingRefused(
                    "this request id was already used for another booking; "
                    "send a new request id",
                    "request_reused",
                )
            return _reservation(uow, booking_view(uow, earlier))
    if uow.store.dialect == "postgresql":
        uow.session.execute(select(func.pg_advisory_xact_lock(_BOOKING_LOCK, service.id)))
    day = slot_start.astimezone(uow.zone).date()
    slot: Slot | None = next(
        (s for s in booking_slots(uow, service_code, day) if s.start == slot_start), None
    )
    if slot is None or slot.free <= 0:
        raise BookingRefused("this slot was just taken; choose again", "full")
    code = new_booking_code()
    booking = Booking(
        branch_id=uow.branch_id,
        service_id=service.id,
        code=code,
        business_date=day,
        slot_start=slot.start,
        slot_end=slot.end,
        nik_digest=KIOSK_DIGEST + code,
        nik_last4="",
        phone="",
        state=BookingState.BOOKED,
        request_id=request_id or None,
        booked_at=uow.now(),
    )
    uow.session.add(booking)
    uow.session.flush()
    uow.record("booking.made", service_id=service.id, detail=f"booking {booking.id} at {kiosk}")
    result = _reservation(uow, booking_view(uow, booking))
    uow.commit()
    return result


def _reservation(uow: UnitOfWork, booking: BookingView) -> Reservation:
    return Reservation(booking, f"{uow.settings.web.base_url}/b/{booking.code}")
