"""Read the estimator's input from the store in a handful of cheap queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, select

from shared.domain.calendar import closing_at, hours_on
from shared.domain.states import CounterState, TicketState
from shared.estimation.model import (
    CounterInfo,
    CurrentVisit,
    Observed,
    QueueState,
    ServiceInfo,
    WaitingTicket,
)
from shared.services.hours import branch_holidays, opening_hours
from shared.services.unit_of_work import UnitOfWork
from shared.store.models import Counter, CounterService, Service, Ticket

RECENT_ROWS = 600


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds()


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

    services = {
        s.id: ServiceInfo(
            s.id, s.code, s.mean_service_seconds, closes.astimezone(UTC) if closes else None
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

    waiting = tuple(
        WaitingTicket(row.id, row.service_id, row.queued_at, row.priority, row.due_at)
        for row in session.execute(
            select(
                Ticket.id, Ticket.service_id, Ticket.queued_at, Ticket.priority, Ticket.due_at
            ).where(
                Ticket.branch_id == bid,
                Ticket.business_date == today,
                Ticket.state == TicketState.WAITING,
            )
        )
    )
    return QueueState(now, services, tuple(counters), waiting, _observed(uow, today, now))


def _assume_staffing(
    counters: list[CounterInfo], services: dict[int, ServiceInfo], opens: datetime
) -> list[CounterInfo]:
    """Before anyone opens a counter for a service (early morning), assume its configured
    counters open at opening time rather than saying "never"."""
    staffed = {sid for c in counters if c.state != CounterState.CLOSED for sid in c.service_ids}
    result = []
    for c in counters:
        if c.state == CounterState.CLOSED and c.service_ids and not (set(c.service_ids) & staffed):
            c = CounterInfo(
                c.id, c.number, CounterState.PAUSED, c.service_ids, c.policy, None, opens, ""
            )
        result.append(c)
    return result


def _observed(uow: UnitOfWork, today: object, now: datetime) -> dict[int, Observed]:
    session = uow.session
    bid = uow.branch_id
    durations: dict[int, list[float]] = defaultdict(list)
    walks: dict[int, list[float]] = defaultdict(list)
    recent = session.execute(
        select(Ticket.service_id, Ticket.called_at, Ticket.started_at, Ticket.finished_at)
        .where(
            Ticket.branch_id == bid,
            Ticket.business_date == today,
            Ticket.state == TicketState.DONE,
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.finished_at.desc())
        .limit(RECENT_ROWS)
    ).all()
    for service_id, called, started, finished in reversed(recent):
        if (d := _seconds(finished, started)) is not None and d > 0:
            durations[service_id].append(d)
        if (w := _seconds(started, called)) is not None and w >= 0:
            walks[service_id].append(w)
    calls = dict(
        session.execute(
            select(Ticket.service_id, func.count())
            .where(
                Ticket.branch_id == bid,
                Ticket.business_date == today,
                Ticket.first_called_at.is_not(None),
            )
            .group_by(Ticket.service_id)
        ).all()
    )
    costs: dict[int, list[float]] = defaultdict(list)
    for service_id, first, marked in session.execute(
        select(Ticket.service_id, Ticket.first_called_at, Ticket.no_show_at)
        .where(
            Ticket.branch_id == bid,
            Ticket.business_date == today,
            Ticket.state == TicketState.NO_SHOW,
        )
        .order_by(Ticket.no_show_at.desc())
        .limit(RECENT_ROWS)
    ):
        if (c := _seconds(marked, first)) is not None and c >= 0:
            costs[service_id].append(c)
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
            tuple(durations[sid]),
            tuple(walks[sid]),
            int(calls.get(sid, 0)),
            len(costs[sid]),
            tuple(reversed(costs[sid])),
            int(priority.get(sid, 0)),
        )
        for sid in ids
    }
