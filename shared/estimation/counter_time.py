"""How long each called visitor kept a counter, read from finished and no-show tickets.

A counter's time for one visitor begins when its previous visitor left (the officer's notes
before the next call, the turnaround) and ends when this one leaves: after the service, or,
for a visitor who did not come, when the officer gave up calling them. A no-show's turnaround
and the one after it were left out until 2026-12-08, and the no-show cost then started from a
fixed 150 seconds each morning although the branch's own recalls take longer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from shared.domain.states import TicketState
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork

# The officer's moment between one visitor leaving and the next call (notes, a sip of water)
# is counter time too; a longer pause than this was the queue running dry or a break.
MAX_TURNAROUND = 180.0


@dataclass(frozen=True)
class Ended:
    """One ticket that left a counter: served (finished) or given up on (no-show)."""

    service_id: int
    counter_id: int | None
    called_at: datetime | None  # the last call (a recall moves it)
    first_called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    no_show_at: datetime | None

    @property
    def left_at(self) -> datetime | None:
        return self.finished_at or self.no_show_at


@dataclass
class CounterTimes:
    """Per service, in the order they ended: service lengths, walks to the desk (with the
    turnaround before the call), and what each no-show cost (the same turnaround included)."""

    durations: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    walks: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    no_show_costs: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds()


def _turnaround(call: datetime | None, freed: datetime | None) -> float:
    gap = _seconds(call, freed)
    return gap if gap is not None and 0 <= gap <= MAX_TURNAROUND else 0.0


def counter_times(ended: Iterable[Ended]) -> CounterTimes:
    """Pure: `ended` in the order the tickets left their counters."""
    times = CounterTimes()
    freed: dict[int | None, datetime] = {}  # counter -> when its last visitor left
    for visit in ended:
        before = freed.get(visit.counter_id)
        if visit.finished_at is not None:
            if (d := _seconds(visit.finished_at, visit.started_at)) is not None and d > 0:
                times.durations[visit.service_id].append(d)
            if (w := _seconds(visit.started_at, visit.called_at)) is not None and w >= 0:
                # From the visitor's last call: the calls before it were walk time too.
                times.walks[visit.service_id].append(w + _turnaround(visit.called_at, before))
        else:
            first_call = visit.first_called_at or visit.called_at
            if (cost := _seconds(visit.no_show_at, first_call)) is not None and cost >= 0:
                times.no_show_costs[visit.service_id].append(
                    cost + _turnaround(first_call, before)
                )
        if visit.counter_id is not None and (left := visit.left_at) is not None:
            freed[visit.counter_id] = left
    return times


def ended_visits(uow: UnitOfWork, first_day: date, last_day: date, limit: int) -> list[Ended]:
    """The last `limit` tickets of these business days that left a counter, oldest first."""
    left = func.coalesce(Ticket.finished_at, Ticket.no_show_at)
    rows = uow.session.execute(
        select(
            Ticket.service_id, Ticket.counter_id, Ticket.called_at, Ticket.first_called_at,
            Ticket.started_at, Ticket.finished_at, Ticket.no_show_at,
        )
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date >= first_day,
            Ticket.business_date <= last_day,
            Ticket.state.in_((TicketState.DONE, TicketState.NO_SHOW)),
            left.is_not(None),
        )
        .order_by(left.desc(), Ticket.id.desc())
        .limit(limit)
    ).all()
    return [Ended(*row) for row in reversed(rows)]
