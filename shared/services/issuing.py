"""Issuing tickets: the one place numbers come from."""

from __future__ import annotations

import math
import secrets
from datetime import date, datetime, timedelta
from enum import Enum
from statistics import NormalDist

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared.domain.calendar import closing_at, hours_on, next_opening
from shared.domain.errors import IssuingClosed, NotAllowed
from shared.domain.labels import MAX_DAILY_NUMBER, format_label
from shared.domain.states import CounterState, TicketState
from shared.estimation.estimator import estimate_queue
from shared.estimation.projection import LEAVE_WORDS
from shared.estimation.window import Z80, WaitEstimate
from shared.services.access import check_text, load_service
from shared.services.booking_rules import pending_bookings
from shared.services.views import TicketView, ticket_view
from shared.store.hours import (
    branch_holidays,
    closing_margin_seconds,
    issuing_hours,
    opening_hours,
)
from shared.store.models import Counter, CounterService, DailySequence, Service, Ticket
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


def wait_quantile(wait: WaitEstimate, share: float) -> float:
    """The wait within which `share` of visitors like this one are called.

    The window is the 10th-90th percentile of a log-normal, so its two ends give any quantile;
    a window from 0 (almost no wait expected) is read linearly up to its end."""
    z = NormalDist().inv_cdf(share)
    if wait.low_seconds <= 0 or wait.high_seconds <= wait.low_seconds:
        return max(0.0, wait.high_seconds * (z + Z80) / (2 * Z80))
    low, high = math.log(wait.low_seconds), math.log(wait.high_seconds)
    return math.exp((low + high) / 2 + z * (high - low) / (2 * Z80))


def capacity_refused_since(
    uow: UnitOfWork, service: Service, business_date: date, priority: bool
) -> datetime | None:
    """Since when the capacity rule refuses this service today (walk-ins or priority)."""
    column = (
        DailySequence.priority_capacity_refused_at
        if priority
        else DailySequence.capacity_refused_at
    )
    return uow.session.scalar(
        select(column).where(
            DailySequence.service_id == service.id,
            DailySequence.business_date == business_date,
        )
    )


def capacity_refusal(
    uow: UnitOfWork,
    service: Service,
    wait: WaitEstimate | None,
    local_now: datetime,
    refused_since: datetime | None = None,
    not_today: bool = False,
) -> IssuingClosed | None:
    """No ticket for a visitor who would not be called before closing.

    The rule reads a quantile of the wait (`capacity_wait_share`; the window's end refused many
    who were served) and, for a service refused since `refused_since`, asks the wait to end
    `capacity_reopen_minutes` earlier still before it issues again, so a wait moving by a
    minute either way does not make the kiosk alternate. A service no counter will serve for
    the rest of the day is refused outright, whatever the estimate assumes."""
    if _no_counter_left(uow, service, local_now):
        return IssuingClosed(
            f"{service.name_en}: no counter serves it today",
            reason="unserved",
            earliest=_next_issuing(uow, service, local_now),
        )
    if wait is None and not not_today:
        return None  # its officers are not in yet: issued, with no window to promise
    closes = closing_at(opening_hours(uow), local_now, branch_holidays(uow))
    if closes is None:
        return None
    rules = uow.settings.queue
    latest = closes - timedelta(seconds=closing_margin_seconds(uow))
    if refused_since is not None:
        latest -= timedelta(minutes=rules.capacity_reopen_minutes)
    # No wait although counters serve it today: the estimate ran out of their day first
    # (they stop at their usual closing), so the visitor would not be called today.
    if wait is not None and local_now + timedelta(
        seconds=wait_quantile(wait, rules.capacity_wait_share)
    ) <= latest:
        return None
    earliest = _next_issuing(uow, service, local_now)
    when = earliest.strftime("%a %d %b %H:%M") if earliest else "no opening day in sight"
    return IssuingClosed(
        f"{service.name_en} cannot serve another visitor before closing today; "
        f"next possible: {when}",
        reason="capacity",
        earliest=earliest,
    )


def note_capacity(
    uow: UnitOfWork,
    service: Service,
    business_date: date,
    priority: bool,
    refused: bool,
    since: datetime | None,
) -> bool:
    """Record that the capacity rule now refuses (or issues again); True when that changed.

    The day's sequence row holds the state, created with no number taken if need be, and an
    event tells the other processes to read again."""
    if refused == (since is not None):
        return False
    column = "priority_capacity_refused_at" if priority else "capacity_refused_at"
    moment = uow.now() if refused else None
    insert = pg_insert if uow.store.dialect == "postgresql" else sqlite_insert
    uow.session.execute(
        insert(DailySequence)
        .values(
            service_id=service.id,
            business_date=business_date,
            branch_id=uow.branch_id,
            last_number=0,
            **{column: moment},
        )
        .on_conflict_do_update(
            index_elements=["service_id", "business_date"], set_={column: moment}
        )
    )
    uow.record(
        "service.capacity_refused" if refused else "service.capacity_reopened",
        service_id=service.id,
        detail="priority" if priority else "",
    )
    return True


def _no_counter_left(uow: UnitOfWork, service: Service, local_now: datetime) -> bool:
    """No counter will serve the service for the rest of the day: none is assigned to it, or
    each has closed after working today or is paused for leave. A counter not opened yet
    today may still come (an officer late in the morning), so it keeps the service open."""
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    rows = uow.session.execute(
        select(Counter.state, Counter.state_since, Counter.pause_reason)
        .join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service.id, Counter.active.is_(True))
    )
    for state, since, reason in rows:
        if state == CounterState.OPEN:
            return False
        if state == CounterState.CLOSED and (since is None or since < midnight):
            return False
        if state == CounterState.PAUSED and not any(w in reason.lower() for w in LEAVE_WORDS):
            return False
    return True


def _next_issuing(uow: UnitOfWork, service: Service, local_now: datetime) -> datetime | None:
    """The next opening of the service's issuing hours after today's."""
    return next_opening(issuing_hours(uow, service), local_now, branch_holidays(uow))


def walk_in_quota(uow: UnitOfWork, service: Service, business_date: date) -> int | None:
    """Numbers walk-ins may take that day: the quota less the bookings still to check in."""
    if service.daily_quota is None:
        return None
    return service.daily_quota - pending_bookings(uow, service.id, business_date)


def walk_in_refusal(
    uow: UnitOfWork,
    service: Service,
    wait: WaitEstimate | None,
    taken: int,
    local_now: datetime,
    refused_since: datetime | None = None,
    not_today: bool = False,
) -> IssuingClosed | None:
    """The refusal `issue_ticket` would give a walk-in now (hours, capacity, quota, in its
    order), given the numbers already taken today and since when capacity refuses it; None:
    it issues."""
    try:
        check_issuing_hours(uow, service, local_now)
    except IssuingClosed as closed:
        return closed
    refusal = capacity_refusal(uow, service, wait, local_now, refused_since, not_today)
    if refusal is not None:
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
    # The kiosk and its visitor's choice: the same id from another kiosk, or for another
    # service, is another request.
    caller = f"kiosk {kiosk.strip()}|{service_code}|{'priority' if priority else 'regular'}"
    earlier = uow.replayed(request_id, "issue", caller)
    if earlier is not None and earlier.ticket_id is not None:
        return ticket_view(uow, uow.session.get_one(Ticket, earlier.ticket_id))
    ticket = create_ticket(
        uow, service_code, priority=priority, kiosk=kiosk, due_at=due_at, admission=admission
    )
    uow.remember(request_id, "issue", ticket.id, caller)
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
    if admission.checks_capacity:
        since = capacity_refused_since(uow, service, business_date, priority)
        beyond = (service.id, priority) in estimate.not_today
        refusal = capacity_refusal(uow, service, wait, local_now, since, beyond)
        refused = refusal is not None and refusal.reason == "capacity"
        if refusal is None or refused:
            changed = note_capacity(uow, service, business_date, priority, refused, since)
            if changed and refused:
                uow.commit()  # the refusal stands for every kiosk, though no ticket follows
        if refusal is not None:
            raise refusal
    if uow.store.dialect == "postgresql":
        return issue_on_postgresql(uow, service, business_date, priority, due_at, kiosk, wait,
                                   admission)
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
        # The window as every screen shows it at this instant: whole minutes.
        window_low_seconds=60.0 * wait.minutes[0] if wait else None,
        window_high_seconds=60.0 * wait.minutes[2] if wait else None,
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


def issue_on_postgresql(
    uow: UnitOfWork,
    service: Service,
    business_date: date,
    priority: bool,
    due_at: datetime | None,
    kiosk: str,
    wait: WaitEstimate | None,
    admission: Admission,
) -> Ticket:
    """The ticket `create_ticket` makes, made by migration 0007's `antrean_issue_ticket`: on
    PostgreSQL it alone takes numbers and inserts tickets and their `ticket.issued` events, so
    the kiosk's role can neither move a sequence nor forge a ticket or its state. It applies
    the same rules as the lines above: the next number, refused past `limit`, queued no earlier
    than the number before it, the people ahead counted under the sequence lock."""
    limit = walk_in_quota(uow, service, business_date) if admission.checks_quota else None
    limit = MAX_DAILY_NUMBER if limit is None else min(limit, MAX_DAILY_NUMBER)
    row = uow.session.execute(
        select(
            func.antrean_issue_ticket(
                uow.branch_id, service.id, business_date, priority, due_at, kiosk, uow.now(),
                limit, secrets.token_urlsafe(16),
                wait.expected_seconds if wait else None,
                60.0 * wait.minutes[0] if wait else None,
                60.0 * wait.minutes[2] if wait else None,
            ).table_valued("new_ticket", "new_event")
        )
    ).one()
    if row.new_ticket is None:
        # The transaction rolls back, so the sequence keeps its last real number.
        raise _quota_used(uow, service, uow.local_now())
    uow.recorded(int(row.new_event))
    return uow.session.get_one(Ticket, int(row.new_ticket))

