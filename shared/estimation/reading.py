"""Read the estimator's input from the store in a handful of cheap queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, select

from shared.domain.calendar import closing_at, hours_on
from shared.domain.states import BookingState, CounterState, TicketState
from shared.estimation.absence import last_ticket_moves, rostered, with_absences
from shared.estimation.breaks import break_lengths, breaks_begun, pause_moves, typical_break
from shared.estimation.counter_time import counter_times, ended_visits
from shared.estimation.history import history
from shared.estimation.model import (
    BOOKING_ID_BASE,
    EXPECTED,
    CounterInfo,
    CurrentVisit,
    DayProfile,
    Observed,
    QueueState,
    ServiceInfo,
    WaitingTicket,
)
from shared.estimation.service_times import RECENT, SHORT_WAIT
from shared.store.hours import branch_holidays, opening_hours
from shared.store.models import Booking, Counter, CounterService, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

RECENT_ROWS = 600
ENOUGH_LONG_WAITS = 30
# Until today has shown this many no-shows, earlier days' say what one costs.
ENOUGH_NO_SHOWS = 10


def read_queue_state(uow: UnitOfWork) -> QueueState:
    session = uow.session
    bid = uow.branch_id
    now = uow.now()
    local = uow.local_now()
    today = local.date()
    opening = opening_hours(uow)
    holidays = branch_holidays(uow)
    closes = closing_at(opening, local, holidays)
    window = hours_on(opening, today, holidays)
    opens_at = (
        datetime.combine(today, window[0], tzinfo=local.tzinfo).astimezone(UTC) if window else now
    )

    past = history(uow, today)
    services = {
        s.id: ServiceInfo(
            s.id,
            s.code,
            past.mean_service.get(s.id, s.mean_service_seconds),
            closes.astimezone(UTC) if closes else None,
        )
        for s in session.scalars(
            select(Service).where(Service.branch_id == bid, Service.active.is_(True))
        )
    }
    assigned: dict[int, list[int]] = defaultdict(list)
    for counter_id, service_id in session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .where(CounterService.branch_id == bid)
        .order_by(CounterService.counter_id, CounterService.position)
    ):
        assigned[counter_id].append(service_id)
    current = {
        t.id: t
        for t in session.scalars(
            select(Ticket)
            .join(Counter, Counter.current_ticket_id == Ticket.id)
            .where(Counter.branch_id == bid)
        )
    }
    counters = []
    for c in session.scalars(
        select(Counter)
        .where(Counter.branch_id == bid, Counter.active.is_(True))
        .order_by(Counter.number)
    ):
        ticket = current.get(c.current_ticket_id) if c.current_ticket_id else None
        visit = None
        if ticket is not None and ticket.state in (TicketState.CALLED, TicketState.SERVING):
            since = ticket.started_at if ticket.state == TicketState.SERVING else ticket.called_at
            visit = CurrentVisit(ticket.service_id, ticket.state, since or now)
        counters.append(
            CounterInfo(
                c.id,
                c.number,
                c.state,
                tuple(assigned.get(c.id, ())),
                c.call_policy,
                visit,
                c.state_since,
                c.pause_reason,
            )
        )
    counters = _assume_staffing(counters, services, max(opens_at, now))

    grace = timedelta(minutes=uow.settings.queue.promise_grace_minutes)
    waiting = tuple(
        WaitingTicket(row.id, row.service_id, row.queued_at, row.priority, row.due_at,
                      _owed_at(row.issued_at, row.window_high_seconds, row.first_called_at,
                               grace))
        for row in session.execute(
            select(
                Ticket.id, Ticket.service_id, Ticket.queued_at, Ticket.priority, Ticket.due_at,
                Ticket.issued_at, Ticket.window_high_seconds, Ticket.first_called_at,
            ).where(
                Ticket.branch_id == bid,
                Ticket.business_date == today,
                Ticket.state == TicketState.WAITING,
            )
        )
    ) + _booked_visitors(uow, today, now)
    # Planned absences count from the first ticket of the day; a silent open counter counts
    # once it has been silent for the branch's idle limit with visitors waiting.
    midnight_utc = datetime.combine(today, datetime.min.time(), local.tzinfo).astimezone(UTC)
    counters = with_absences(
        counters,
        waiting,
        rostered(uow, today),
        last_ticket_moves(uow, midnight_utc),
        now,
        timedelta(minutes=uow.settings.queue.idle_alert_minutes),
    )
    observed = _observed(uow, today, now)
    for sid, earlier in past.called.items():
        # Until today shows how patient visitors are, earlier days say it.
        mine = observed.get(sid, Observed())
        long_today = sum(1 for waited, _ in mine.called if waited >= SHORT_WAIT)
        if long_today < ENOUGH_LONG_WAITS:
            observed[sid] = replace(mine, called=earlier[-ENOUGH_LONG_WAITS * 8 :] + mine.called)
    for sid, costs in past.no_show_costs.items():
        mine = observed.get(sid, Observed())
        if len(mine.no_show_costs) < ENOUGH_NO_SHOWS:
            observed[sid] = replace(mine, no_show_costs=costs[-RECENT:] + mine.no_show_costs)
    midnight = datetime.combine(today, datetime.min.time(), local.tzinfo).astimezone(UTC)
    profile = (
        DayProfile(midnight, past.open_share, past.priority_arrivals) if past.open_share else None
    )
    moves = pause_moves(uow, midnight_utc)
    pauses = typical_break(break_lengths(moves), past.breaks)
    return QueueState(now, services, tuple(counters), waiting, observed, profile, pauses,
                      breaks_begun(moves))


def _owed_at(
    issued: datetime, high: float | None, first_called: datetime | None, grace: timedelta
) -> datetime | None:
    """When a waiting visitor becomes owed the next call (calling.promise_owed's test):
    never called, and the printed window's end plus the grace has passed."""
    if high is None or first_called is not None:
        return None
    return issued + timedelta(seconds=high) + grace


def _booked_visitors(uow: UnitOfWork, today: date, now: datetime) -> tuple[WaitingTicket, ...]:
    """Today's bookings not yet checked in, as visitors due at their slot: they will take
    counter time, and once due they go before walk-ins."""
    late = timedelta(minutes=uow.settings.booking.checkin_late_minutes)
    rows = uow.session.execute(
        select(Booking.id, Booking.service_id, Booking.slot_start).where(
            Booking.branch_id == uow.branch_id,
            Booking.business_date == today,
            Booking.state == BookingState.BOOKED,
            Booking.slot_end > now - late,
        )
    )
    return tuple(
        WaitingTicket(BOOKING_ID_BASE + row.id, row.service_id, row.slot_start, False,
                      row.slot_start)
        for row in rows
    )


def _assume_staffing(
    counters: list[CounterInfo], services: dict[int, ServiceInfo], opens: datetime
) -> list[CounterInfo]:
    """Before anyone opens a counter for a service (early morning), assume its configured
    counters open at opening time rather than saying "never"."""
    staffed = {sid for c in counters if c.state != CounterState.CLOSED for sid in c.service_ids}
    result = []
    for c in counters:
        if c.state == CounterState.CLOSED and c.service_ids and not (set(c.service_ids) & staffed):
            c = CounterInfo(c.id, c.number, EXPECTED, c.service_ids, c.policy, None, opens, "",
                            c.away)
        result.append(c)
    return result


def _observed(uow: UnitOfWork, today: date, now: datetime) -> dict[int, Observed]:
    session = uow.session
    bid = uow.branch_id
    times = counter_times(ended_visits(uow, today, today, RECENT_ROWS))
    durations, walks, costs = times.durations, times.walks, times.no_show_costs
    calls: dict[int, int] = defaultdict(int)
    called: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for service_id, issued, first, state in session.execute(
        select(Ticket.issued_service_id, Ticket.issued_at, Ticket.first_called_at, Ticket.state)
        .where(
            Ticket.branch_id == bid,
            Ticket.business_date == today,
            Ticket.first_called_at.is_not(None),
        )
        .order_by(Ticket.first_called_at.desc())
        .limit(4 * RECENT_ROWS)
    ):
        assert first is not None  # the query keeps called tickets only
        calls[service_id] += 1
        came = state != TicketState.NO_SHOW
        called[service_id].append(((first - issued).total_seconds(), came))
    priority = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(
                and_(
                    Ticket.branch_id == bid,
                    Ticket.business_date == today,
                    Ticket.priority.is_(True),
                    Ticket.issued_at >= now - timedelta(hours=1),
                )
            )
            .group_by(Ticket.service_id)
        ).all()
    )
    ids = set(durations) | set(calls) | set(costs) | set(priority)
    return {
        sid: Observed(
            durations=tuple(durations[sid]),
            walk_times=tuple(walks[sid]),
            calls=int(calls.get(sid, 0)),
            no_shows=len(costs[sid]),
            no_show_costs=tuple(costs[sid]),
            called=tuple(reversed(called[sid])),
            priority_issued_last_hour=int(priority.get(sid, 0)),
        )
        for sid in ids
    }
