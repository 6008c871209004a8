"""Many visitors' tickets at once, as their phones show them: the same answers as
`ticket_status`, read in a handful of queries whatever the number of tickets.

A live status page re-reads its ticket after every change in the branch. Read one by one, each
waiting ticket costs a count of the tickets ahead of it, so two thousand open pages cost two
thousand counts over two thousand rows after every call (seconds). Here the waiting tickets of
the services concerned are read once, put in queue order, and every ticket's place follows
from running totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row, select

from shared.domain.states import TicketState
from shared.domain.text import has_unprintable
from shared.estimation.estimator import QueueEstimate, estimate_queue
from shared.services.service_outlook import call_window
from shared.services.ticket_status import TOKEN_LIMIT, TicketStatus, survey_state
from shared.store.models import Counter, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

CHUNK = 500  # tokens per IN list: well under SQLite's and PostgreSQL's parameter limits
Shown = Row[*tuple[Any, ...]]  # one ticket's row of _SHOWN
_SHOWN = (Ticket.id, Ticket.token, Ticket.label, Ticket.service_id, Ticket.counter_id,
          Ticket.state, Ticket.priority, Ticket.business_date, Ticket.issued_at,
          Ticket.call_count, Ticket.no_show_at, Ticket.due_at, Ticket.window_moved_at)


@dataclass(frozen=True)
class _Waiting:
    id: int
    priority: bool
    urgent: bool  # called before every ordinary visitor: priority, or a booking already due


def ticket_statuses(
    uow: UnitOfWork, tokens: Iterable[str], estimate: Callable[[], QueueEstimate] | None = None
) -> dict[str, TicketStatus]:
    """Each known token's status; unknown tokens are left out. `estimate` as for
    `ticket_status`: asked once, and only when some ticket is waiting."""
    wanted = [t for t in set(tokens) if 0 < len(t) <= TOKEN_LIMIT and not has_unprintable(t)]
    # The columns the page shows, not whole tickets: two thousand ORM objects cost more
    # than the query.
    tickets: list[Shown] = []
    for start in range(0, len(wanted), CHUNK):
        tickets += uow.session.execute(
            select(*_SHOWN).where(Ticket.branch_id == uow.branch_id,
                                  Ticket.token.in_(wanted[start:start + CHUNK]))
        ).all()
    if not tickets:
        return {}
    services = {s.id: s for s in uow.session.scalars(
        select(Service).where(Service.branch_id == uow.branch_id))}
    counters = {c.id: c for c in uow.session.scalars(
        select(Counter).where(Counter.branch_id == uow.branch_id))}
    waiting = [t for t in tickets if t.state == TicketState.WAITING]
    ahead = _people_ahead(uow, waiting)
    queue_estimate: QueueEstimate | None = None
    if waiting:
        queue_estimate = estimate() if estimate is not None else estimate_queue(uow)
    zone, now = uow.zone, uow.now()
    grace = timedelta(minutes=uow.settings.queue.no_show_grace_minutes)
    max_calls = uow.settings.queue.max_calls
    found: dict[str, TicketStatus] = {}
    for ticket in tickets:
        service = services[ticket.service_id]
        counter = counters.get(ticket.counter_id) if ticket.counter_id else None
        window = None
        if queue_estimate is not None and ticket.state == TicketState.WAITING:
            wait = queue_estimate.tickets.get(ticket.id)
            if wait is not None:
                call = call_window(queue_estimate.at, wait)
                window = (call[0].astimezone(zone), call[1].astimezone(zone))
        reinstate_until = None
        if (ticket.state == TicketState.NO_SHOW and ticket.no_show_at is not None
                and now < ticket.no_show_at + grace):
            reinstate_until = (ticket.no_show_at + grace).astimezone(zone)
        found[ticket.token] = TicketStatus(
            label=ticket.label,
            service_name_id=service.name_id,
            service_name_en=service.name_en,
            state=ticket.state,
            priority=ticket.priority,
            business_date=ticket.business_date,
            issued_at=ticket.issued_at.astimezone(zone),
            people_ahead=ahead.get(ticket.id),
            window=window,
            counter_number=counter.number if counter else None,
            counter_name=counter.name if counter else None,
            call_count=ticket.call_count,
            max_calls=max_calls,
            reinstate_until=reinstate_until,
            survey=_survey(uow, ticket),
            booked=ticket.due_at is not None,
            window_moved=ticket.state == TicketState.WAITING
            and ticket.window_moved_at is not None,
        )
    return found


def _survey(uow: UnitOfWork, ticket: Shown) -> str:
    if ticket.state != TicketState.DONE:
        return "not_yet"
    return survey_state(uow, uow.session.get_one(Ticket, ticket.id))


def _people_ahead(uow: UnitOfWork, tickets: list[Shown]) -> dict[int, int]:
    """People ahead of each waiting ticket, by the rule of `ticket_status`: a priority visitor
    waits behind earlier priority visitors only; anyone else behind everyone earlier and every
    priority visitor or due booking, earlier or not."""
    if not tickets:
        return {}
    groups = {(t.service_id, t.business_date) for t in tickets}
    now = uow.now()
    queues: dict[tuple[int, date], list[tuple[datetime, int, _Waiting]]] = defaultdict(list)
    rows = uow.session.execute(
        select(Ticket.id, Ticket.service_id, Ticket.business_date, Ticket.priority,
               Ticket.due_at, Ticket.queued_at)
        .where(Ticket.branch_id == uow.branch_id, Ticket.state == TicketState.WAITING,
               Ticket.service_id.in_({s for s, _ in groups}),
               Ticket.business_date.in_({d for _, d in groups}))
    )
    for ticket_id, service_id, day, priority, due_at, queued_at in rows:
        if (service_id, day) in groups:
            urgent = priority or (due_at is not None and due_at <= now)
            queues[(service_id, day)].append(
                (queued_at, ticket_id, _Waiting(ticket_id, priority, urgent)))
    ahead: dict[int, int] = {}
    for queue in queues.values():
        queue.sort(key=lambda entry: (entry[0], entry[1]))  # first come, ties by id
        in_order = [entry[2] for entry in queue]
        urgent_after = [0] * (len(in_order) + 1)
        for i in range(len(in_order) - 1, -1, -1):
            urgent_after[i] = urgent_after[i + 1] + in_order[i].urgent
        priority_before = 0
        for i, ticket in enumerate(in_order):
            if ticket.priority:
                ahead[ticket.id] = priority_before
                priority_before += 1
            else:
                ahead[ticket.id] = i + urgent_after[i + 1]
    return ahead
