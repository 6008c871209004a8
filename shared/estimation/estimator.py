"""Estimates for every waiting ticket and for a visitor taking a ticket now, per service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.estimation.breaks import in_turn
from shared.estimation.model import BOOKING_ID_BASE, Observed, QueueState, WaitingTicket
from shared.estimation.projection import project, serving
from shared.estimation.reading import read_queue_state
from shared.estimation.service_times import Handling, handling_time
from shared.estimation.window import WaitEstimate, window
from shared.store.unit_of_work import UnitOfWork

# Phantom ids sort after every real ticket queued at the same instant.
_PHANTOM_BASE = 1 << 60
_EMPTY = Observed()


@dataclass(frozen=True)
class QueueEstimate:
    at: datetime
    tickets: dict[int, WaitEstimate]  # by ticket id; absent: no counter will call it today
    services: dict[int, WaitEstimate | None]  # a visitor taking a ticket now, by service id
    priority: dict[int, WaitEstimate | None]  # the same for a priority visitor
    handling: dict[int, Handling]
    closing: dict[int, datetime | None]
    # (service id, priority?) of a visitor taking a ticket now whom the counters that serve
    # the service today would not reach before they stop: no time left, not "nobody known".
    not_today: frozenset[tuple[int, bool]] = frozenset()

    def call_window(self, ticket_id: int) -> tuple[datetime, datetime] | None:
        estimate = self.tickets.get(ticket_id)
        if estimate is None:
            return None
        return (
            self.at + timedelta(seconds=estimate.low_seconds),
            self.at + timedelta(seconds=estimate.high_seconds),
        )


def estimate_state(state: QueueState) -> QueueEstimate:
    """Pure: the same state always gives the same estimate."""
    state = in_turn(state)
    handling = {
        sid: handling_time(info.prior_mean_seconds, state.observed.get(sid) or _EMPTY)
        for sid, info in state.services.items()
    }
    phantoms = {
        (sid, urgent): WaitingTicket(_PHANTOM_BASE + 2 * sid + urgent, sid, state.now, urgent)
        for sid in state.services
        for urgent in (False, True)
    }
    projected = project(state, handling, phantoms)
    tickets = {
        tid: window(p.seconds, p.variance, p.counters)
        for tid, p in projected.items()
        if tid < BOOKING_ID_BASE
    }
    services: dict[int, WaitEstimate | None] = {}
    priority: dict[int, WaitEstimate | None] = {}
    for (sid, urgent), phantom in phantoms.items():
        p = projected.get(phantom.id)
        (priority if urgent else services)[sid] = (
            window(p.seconds, p.variance, p.counters) if p else None
        )
    closing = {sid: info.closing_at for sid, info in state.services.items()}
    served = serving(state, handling)
    not_today = frozenset(
        key for key, phantom in phantoms.items()
        if phantom.id not in projected and key[0] in served
    )
    return QueueEstimate(state.now, tickets, services, priority, handling, closing, not_today)


def estimate_queue(uow: UnitOfWork) -> QueueEstimate:
    return estimate_state(read_queue_state(uow))
