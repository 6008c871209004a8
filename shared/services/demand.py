"""Demand against capacity for the rest of the day, per service, for the supervisor.

Two plain questions, answered with tools we already trust:

- Will today's queue be served before closing? The wait estimator plays the queue forward
  over the counters as they are now; a waiting ticket it cannot place, or a last visitor
  whose expected call plus a typical visit ends after closing, means the service runs late.
- How many counters would the arrivals of the last hour need? Erlang C, at that arrival
  rate held steady, for 80 % of visitors called within the service's target wait. Each
  service is counted on its own, so counters that serve several services are counted once
  per service: the figure is an upper bound, not a roster.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from shared.domain.states import CounterState, TicketState
from shared.estimation.estimator import estimate_queue
from shared.estimation.window import WaitEstimate
from shared.planning.erlang import agents_needed
from shared.services.promises import NONE_DECIDED, PromiseKept, promises_kept
from shared.store.models import Counter, CounterService, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

TARGET_LEVEL = 0.8
ARRIVAL_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class ServiceDemand:
    code: str
    name_id: str
    name_en: str
    waiting: int
    counters_open: int  # open counters serving it now (paused ones not counted)
    arrivals_last_hour: int
    visit_seconds: float  # how long a called visitor keeps a counter, today's estimate
    new_visitor: WaitEstimate | None  # a visitor taking a ticket now; None: not today
    queue_done_at: datetime | None  # when the last waiting visitor is expected to be done
    unserved: int  # waiting tickets no counter is expected to reach before closing
    closing_at: datetime | None
    counters_needed: int | None  # Erlang C for last hour's arrivals; None: beyond reach
    counters_to_clear: int  # to serve everyone now waiting before closing
    # Today's visitors called inside their printed window, of those whose promise is decided.
    promise: PromiseKept = NONE_DECIDED

    @property
    def runs_past_closing(self) -> bool:
        if self.closing_at is None:
            return False
        late = self.queue_done_at is not None and self.queue_done_at > self.closing_at
        return self.unserved > 0 or late


@dataclass(frozen=True)
class DemandOutlook:
    at: datetime
    services: tuple[ServiceDemand, ...]


def demand_outlook(uow: UnitOfWork) -> DemandOutlook:
    session = uow.session
    bid = uow.branch_id
    now = uow.now()
    estimate = estimate_queue(uow)
    services = session.scalars(
        select(Service)
        .where(Service.branch_id == bid, Service.active.is_(True))
        .order_by(Service.prefix)
    ).all()
    arrivals = dict(
        session.execute(
            select(Ticket.issued_service_id, func.count())
            .where(Ticket.branch_id == bid, Ticket.issued_at >= now - ARRIVAL_WINDOW)
            .group_by(Ticket.issued_service_id)
        ).all()
    )
    open_counters = dict(
        session.execute(
            select(CounterService.service_id, func.count())
            .join(Counter, Counter.id == CounterService.counter_id)
            .where(Counter.branch_id == bid, Counter.state == CounterState.OPEN)
            .group_by(CounterService.service_id)
        ).all()
    )
    waiting: dict[int, list[int]] = {}
    for ticket_id, service_id in session.execute(
        select(Ticket.id, Ticket.service_id).where(
            Ticket.branch_id == bid,
            Ticket.business_date == uow.local_now().date(),
            Ticket.state == TicketState.WAITING,
        )
    ):
        waiting.setdefault(service_id, []).append(ticket_id)

    promises = promises_kept(uow)
    rows = []
    for service in services:
        handling = estimate.handling[service.id]
        closing = estimate.closing.get(service.id)
        ids = waiting.get(service.id, [])
        placed = [estimate.tickets[i].expected_seconds for i in ids if i in estimate.tickets]
        done_at = now + timedelta(seconds=max(placed) + handling.service_mean) if placed else None
        left = (closing - now).total_seconds() if closing is not None else 0.0
        rows.append(
            ServiceDemand(
                code=service.code,
                name_id=service.name_id,
                name_en=service.name_en,
                waiting=len(ids),
                counters_open=int(open_counters.get(service.id, 0)),
                arrivals_last_hour=int(arrivals.get(service.id, 0)),
                visit_seconds=handling.mean,
                new_visitor=estimate.services.get(service.id),
                queue_done_at=done_at,
                unserved=len(ids) - len(placed),
                closing_at=closing,
                counters_needed=_erlang_counters(
                    int(arrivals.get(service.id, 0)), handling.mean, service.target_wait_seconds
                ),
                counters_to_clear=math.ceil(len(ids) * handling.mean / left) if left > 0 else 0,
                promise=promises.get(service.id, NONE_DECIDED),
            )
        )
    return DemandOutlook(now, tuple(rows))


def _erlang_counters(
    arrivals_per_hour: int, visit_seconds: float, target_wait: float
) -> int | None:
    try:
        return agents_needed(
            arrivals_per_hour / ARRIVAL_WINDOW.total_seconds(),
            visit_seconds,
            target_wait,
            TARGET_LEVEL,
            max_agents=99,
        )
    except ValueError:
        return None
