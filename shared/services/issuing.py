"""Issuing tickets: the one place numbers come from."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared.domain.calendar import closing_at, hours_on, next_opening
from shared.domain.errors import IssuingClosed, NotAllowed
from shared.domain.labels import MAX_DAILY_NUMBER, format_label
from shared.domain.states import TicketState
from shared.estimation.estimator import estimate_queue
from shared.estimation.window import WaitEstimate
from shared.services.access import check_text, load_service
from shared.services.booking_rules import pending_bookings
from shared.services.views import TicketView, ticket_view
from shared.store.hours import (
    branch_holidays,
    closing_margin_seconds,
    issuing_hours,
    opening_hours,
)
from shared.store.models import DailySequence, Service, Ticket
from shared.store.unit_of_work import UnitOfWork


class Admission(Enum):
    """Which issuing rules a new ticket must pass: one policy, so no caller can believe it
    turned a rule off while another still applies."""

    # Inside the service's issuing hours, callable before today's closing (capacity), within
    # the walk-in quota: what a visitor at the kiosk meets.
    WALK_IN = "walk_in"
    # Any hour, so no capacity rule either (it measures against today's closing): the quota
    # alone. For staff issuing by hand, demos, simulations and tests.
    ANY_HOUR = "any_hour"
    # A checked-in booking: its slot was within the hours and its place counted (capacity and
    # quota) when it was booked.
    BOOKED = "booked"

    @property
    def checks_hours(self) -> bool:
        return self is Admission.WALK_IN

    @property
    def checks_capacity(self) -> bool:
        return self is Admission.WALK_IN

    @property
    def checks_quota(self) -> bool:
        return self is not Admission.BOOKED


def check_issuing_hours(uow: UnitOfWork, service: Service, local_now: datetime) -> None:
    hours = issuing_hours(uow, service)
    holidays = branch_holidays(uow)
    window = hours_on(hours, local_now.date(), holidays)
    if window is not None and window[0] <= local_now.time() < window[1]:
        return
    earliest = next_opening(hours, local_now, holidays)
    when = earliest.strftime("%a %d %b %H:%M") if earliest else "no opening day in sight"
    raise IssuingClosed(
        f"{service.name_en} is not issuing tickets now; next opening: {when}",
        reason="closed",
        earliest=earliest,
    )


def check_capacity_left(
    uow: UnitOfWork, service: Service, wait: WaitEstimate, local_now: datetime
) -> None:
    """No ticket that cannot be served before closing: the visitor is told at once."""
    closes = closing_at(opening_hours(uow), local_now, branch_holidays(uow))
    if closes is None:
        return
    latest = closes - timedelta(seconds=closing_margin_seconds(uow))
    if local_now + timedelta(seconds=wait.high_seconds) <= latest:
        return
    earliest = next_opening(issuing_hours(uow, service), local_now, branch_holidays(uow))
    when = earliest.strftime("%a %d %b %H:%M") if earliest else "no opening day in sight"
    raise IssuingClosed(
        f"{service.name_en} cannot serve another visitor before closing today; "
        f"next possible: {when}",
        reason="capacity",
        earliest=earliest,
    )


def walk_in_quota(uow: UnitOfWork, service: Service, business_date: date) -> int | None:
    """Numbers walk-ins may take that day: the quota less the bookings still to check in."""
    if service.daily_quota is None:
        return None
    return service.daily_quota - pending_bookings(uow, service.id, business_date)


def walk_in_refusal(
    uow: UnitOfWork, service: Service, wait: WaitEstimate | None, taken: int, local_now: datetime
) -> IssuingClosed | None:
    """The refusal `issue_ticket` would give a walk-in now (hours, capacity, quota, in its
    order), given the numbers already taken today; None: it issues."""
    try:
        check_issuing_hours(uow, service, local_now)
        if wait is not None:
            check_capacity_left(uow, service, wait, local_now)
    except IssuingClosed as refusal:
        return refusal
    limit = walk_in_quota(uow, service, local_now.date())
    if limit is not None and taken >= limit:
        return _quota_used(uow, service, local_now)
    return None


def _quota_used(uow: UnitOfWork, service: Service, local_now: datetime) -> IssuingClosed:
    tomorrow = next_opening(issuing_hours(uow, service), local_now, branch_holidays(uow))
    return IssuingClosed(
        f"{service.name_en} has reached today's quota of "
        f"{service.daily_quota or MAX_DAILY_NUMBER} tickets",
        reason="full",
        earliest=tomorrow,
    )


def next_number(uow: UnitOfWork, service: Service, business_date: date) -> int:
    """Atomically take the next daily number; a rolled-back issue gives it back (no gap)."""
    values = {
        "service_id": service.id,
        "business_date": business_date,
        "branch_id": uow.branch_id,
        "last_number": 1,
    }
    insert = pg_insert if uow.store.dialect == "postgresql" else sqlite_insert
    statement = (
        insert(DailySequence)
        .values(**values)
        .on_conflict_do_update(
            index_elements=["service_id", "business_date"],
            set_={"last_number": DailySequence.last_number + 1},
        )
        .returning(DailySequence.last_number)
    )
    number = uow.session.execute(statement).scalar_one()
    return int(number)


def queue_instant(uow: UnitOfWork, service: Service, business_date: date, number: int) -> datetime:
    """When a new ticket joins its service's queue: now, but never before the number issued
    just before it.

    `uow.now()` is read when the transaction begins (PostgreSQL's now(), or an injected clock
    read before the number), yet the number comes later, under the sequence row's lock: a kiosk
    that began first may take the later number. Placing no number before its predecessor keeps
    each service's queue order (queued_at, then id, both taken under that lock) equal to its
    number order, whatever the database or clock; a tie falls to the id, which follows it too.
    """
    now = uow.now()
    if number == 1:
        return now
    previous = uow.session.scalar(
        select(Ticket.issued_at).where(
            Ticket.issued_service_id == service.id,
            Ticket.business_date == business_date,
            Ticket.number == number - 1,
        )
    )
    return previous if previous is not None and previous > now else now


def people_ahead(uow: UnitOfWork, service_id: int, business_date: date, priority: bool) -> int:
    query = select(func.count()).where(
        Ticket.branch_id == uow.branch_id,
        Ticket.business_date == business_date,
        Ticket.service_id == service_id,
        Ticket.state == TicketState.WAITING,
    )
    if priority:
        query = query.where(Ticket.priority.is_(True))
    return int(uow.session.scalar(query) or 0)


def issue_ticket(
    uow: UnitOfWork,
    service_code: str,
    *,
    priority: bool = False,
    kiosk: str = "",
    due_at: datetime | None = None,
    request_id: str | None = None,
    admission: Admission = Admission.WALK_IN,
) -> TicketView:
    """Issue the next number of a service; one effect per request id."""
    earlier = uow.replayed(request_id, "issue")
    if earlier is not None and earlier.ticket_id is not None:
        return ticket_view(uow, uow.session.get_one(Ticket, earlier.ticket_id))
    ticket = create_ticket(
        uow, service_code, priority=priority, kiosk=kiosk, due_at=due_at, admission=admission
    )
    uow.remember(request_id, "issue", ticket.id)
    view = ticket_view(uow, ticket)
    uow.commit()
    return view


def create_ticket(
    uow: UnitOfWork,
    service_code: str,
    *,
    priority: bool = False,
    kiosk: str = "",
    due_at: datetime | None = None,
    admission: Admission = Admission.WALK_IN,
) -> Ticket:
    """The new ticket, flushed but not committed, so a caller can tie more to it.

    Walk-ins leave room in the daily quota for the bookings still to come; a booking's own
    ticket (`Admission.BOOKED`) had its place counted when it was booked.
    """
    service = load_service(uow, service_code)
    kiosk = check_text(kiosk, "kiosk name", 40)
    if priority and not service.priority_allowed:
        raise NotAllowed(f"{service.name_en} has no priority queue")
    local_now = uow.local_now()
    if admission.checks_hours:
        check_issuing_hours(uow, service, local_now)
    business_date = local_now.date()
    # Estimated before the number is taken, so kiosks hold the sequence row only briefly.
    estimate = estimate_queue(uow)
    wait = (estimate.priority if priority else estimate.services).get(service.id)
    if admission.checks_capacity and wait is not None:
        check_capacity_left(uow, service, wait, local_now)
    number = next_number(uow, service, business_date)
    limit = walk_in_quota(uow, service, business_date) if admission.checks_quota else None
    if (limit is not None and number > limit) or number > MAX_DAILY_NUMBER:
        # The transaction rolls back, so the sequence keeps its last real number.
        raise _quota_used(uow, service, local_now)
    ahead = people_ahead(uow, service.id, business_date, priority)
    now = queue_instant(uow, service, business_date, number)
    ticket = Ticket(
        branch_id=uow.branch_id,
        business_date=business_date,
        issued_service_id=service.id,
        service_id=service.id,
        number=number,
        label=format_label(service.prefix, number),
        state=TicketState.WAITING,
        priority=priority,
        due_at=due_at,
        token=secrets.token_urlsafe(16),
        issued_at=now,
        queued_at=now,
        kiosk=kiosk,
        ahead_at_issue=ahead,
        call_count=0,
        estimate_seconds=wait.expected_seconds if wait else None,
        window_low_seconds=wait.low_seconds if wait else None,
        window_high_seconds=wait.high_seconds if wait else None,
    )
    uow.session.add(ticket)
    uow.session.flush()
    uow.record(
        "ticket.issued",
        ticket_id=ticket.id,
        service_id=service.id,
        to_state=TicketState.WAITING,
        detail=kiosk,
    )
    return ticket

