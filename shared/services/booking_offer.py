"""What can be booked: the services, the days, and each slot's free places (no changes here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from shared.domain.booking import BookingRefused
from shared.domain.calendar import hours_on
from shared.domain.states import BookingState
from shared.estimation.history import history
from shared.planning.booking_capacity import DeskTime, slot_capacity
from shared.services.access import load_service
from shared.services.booking_rules import booking_rules
from shared.store.hours import branch_holidays, issuing_hours
from shared.store.models import Booking, Counter, CounterService, Service
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class BookableService:
    code: str
    name_id: str
    name_en: str
    documents_id: tuple[str, ...]
    documents_en: tuple[str, ...]


@dataclass(frozen=True)
class Slot:
    start: datetime  # local time of the branch
    end: datetime
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


def bookable_services(uow: UnitOfWork) -> list[BookableService]:
    rules = booking_rules(uow)
    if not rules.enabled:
        return []
    services = uow.session.scalars(
        select(Service)
        .where(Service.branch_id == uow.branch_id, Service.active.is_(True))
        .order_by(Service.prefix)
    )
    return [
        BookableService(
            s.code,
            s.name_id,
            s.name_en,
            tuple(details.documents_id),
            tuple(details.documents_en),
        )
        for s in services
        for details in [service_settings(s)]
        if rules.services is None or s.code in rules.services
    ]


def bookable_service(uow: UnitOfWork, code: str) -> Service:
    """The service, if it takes bookings; refused plainly otherwise."""
    rules = booking_rules(uow)
    if not rules.enabled:
        raise BookingRefused("this branch takes no online bookings", "disabled")
    service = load_service(uow, code)
    if rules.services is not None and code not in rules.services:
        raise BookingRefused(f"{service.name_en} cannot be booked online", "not_bookable")
    return service


def booking_days(uow: UnitOfWork, service_code: str) -> list[date]:
    """Days from today that have at least one slot still open for booking."""
    bookable_service(uow, service_code)
    today = uow.local_now().date()
    days = []
    for offset in range(booking_rules(uow).days_ahead + 1):
        day = today + timedelta(days=offset)
        if any(True for _ in _slot_times(uow, service_code, day)):
            days.append(day)
    return days


def booking_slots(uow: UnitOfWork, service_code: str, day: date) -> list[Slot]:
    service = bookable_service(uow, service_code)
    rules = booking_rules(uow)
    check_booking_day(uow, day)
    times = list(_slot_times(uow, service_code, day))
    if not times:
        return []
    booked = dict(
        uow.session.execute(
            select(Booking.slot_start, func.count())
            .where(
                Booking.branch_id == uow.branch_id,
                Booking.service_id == service.id,
                Booking.business_date == day,
                Booking.state != BookingState.CANCELLED,
            )
            .group_by(Booking.slot_start)
        ).all()
    )
    desks = _desks(uow, service)
    past = history(uow, uow.local_now().date())
    mean = past.mean_service.get(service.id, service.mean_service_seconds)
    slots = []
    for start, end in times:
        midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
        capacity = slot_capacity(
            desks,
            int((start - midnight).total_seconds()),
            int((end - midnight).total_seconds()),
            mean,
            rules.walk_in_share,
        )
        slots.append(Slot(start, end, capacity, booked.get(start.astimezone(UTC), 0)))
    return _within_quota(service, slots, sum(booked.values()), rules.walk_in_share)


def check_booking_day(uow: UnitOfWork, day: date) -> None:
    """Refuses a day outside the booking period: today up to `days_ahead` days from now.

    Checked before any slot is computed, so no date far off (9999-12-31) reaches the
    arithmetic that builds slots, and no booking is taken for years ahead."""
    days_ahead = booking_rules(uow).days_ahead
    today = uow.local_now().date()
    if not today <= day <= today + timedelta(days=days_ahead):
        raise BookingRefused(
            f"bookings are taken from today up to {days_ahead} days ahead; "
            f"{day.isoformat()} is outside that period",
            "period",
            days=days_ahead,
        )


def _slot_times(uow: UnitOfWork, service_code: str, day: date) -> list[tuple[datetime, datetime]]:
    """Slots of the service's issuing hours that day, from the first that can still be booked."""
    service = load_service(uow, service_code)
    rules = booking_rules(uow)
    window = hours_on(issuing_hours(uow, service), day, branch_holidays(uow))
    if window is None:
        return []
    zone = uow.zone
    start = datetime.combine(day, window[0], zone)
    close = datetime.combine(day, window[1], zone)
    earliest = uow.local_now() + timedelta(minutes=rules.lead_minutes)
    step = timedelta(minutes=rules.slot_minutes)
    times = []
    while start < close:
        end = min(start + step, close)
        if start >= earliest:
            times.append((start, end))
        start = end
    return times


def _desks(uow: UnitOfWork, service: Service) -> list[DeskTime]:
    served = uow.session.execute(
        select(CounterService.counter_id, func.count())
        .join(Counter, Counter.id == CounterService.counter_id)
        .where(CounterService.branch_id == uow.branch_id, Counter.active.is_(True))
        .group_by(CounterService.counter_id)
    ).all()
    mine = set(
        uow.session.scalars(
            select(CounterService.counter_id).where(CounterService.service_id == service.id)
        )
    )
    shares = history(uow, uow.local_now().date()).open_share
    return [
        # With history, a counter never seen open is not counted on.
        DeskTime(count, shares.get(counter_id, (0.0,)) if shares else None)
        for counter_id, count in served
        if counter_id in mine
    ]


def _within_quota(
    service: Service, slots: list[Slot], booked_today: int, walk_in_share: float
) -> list[Slot]:
    """With a daily quota, bookings take at most their share of it, first slots first."""
    if service.daily_quota is None:
        return slots
    left = int(service.daily_quota * (1.0 - walk_in_share)) - booked_today
    capped = []
    for slot in slots:
        room = min(slot.free, max(left, 0))
        left -= room
        capped.append(Slot(slot.start, slot.end, slot.booked + room, slot.booked))
    return capped
