"""The lobby's call board: who is being called where, and what each counter has now.

This is the read the display makes after every call, so it is a handful of queries (no
per-counter lookups). Calls come from the audit trail: a recall is a call of its own with its
own event id, and a display that started late or lost its link finds exactly the calls it has
not shown yet by asking for the events after the last one it saw.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import Row, Select, select

from shared.config import BranchConfig
from shared.domain.states import AT_COUNTER, TicketState
from shared.store.models import Counter, Event, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

CALL_KINDS = ("ticket.call", "ticket.recall")
# A display coming back from an outage announces at most this many missed calls.
MAX_NEW_CALLS = 50


@dataclass(frozen=True)
class RecentCall:
    event_id: int
    recall: bool
    label: str
    service_code: str
    counter_number: int
    counter_name: str
    at: datetime


@dataclass(frozen=True)
class CounterNow:
    number: int
    name: str
    state: str  # "open", "paused" or "closed"
    pause_reason: str
    label: str | None  # the ticket called or being served there, if any
    ticket_state: str | None


@dataclass(frozen=True)
class CallBoard:
    at: datetime
    branch_name: str
    timezone: str
    counters: tuple[CounterNow, ...]  # every active counter, by number
    recent: tuple[RecentCall, ...]  # today's last calls, newest first
    new_calls: tuple[RecentCall, ...]  # calls after the asked event id, oldest first
    last_call_id: int  # the newest call's event id (0: none today): where to continue from
    settings: BranchConfig  # the branch's validated settings


def _calls_today(uow: UnitOfWork) -> Select[int, str, datetime, str, str, int, str]:
    local = uow.local_now()
    start_of_day = datetime.combine(local.date(), time(0), tzinfo=local.tzinfo).astimezone(UTC)
    return (
        select(
            Event.id, Event.kind, Event.at, Ticket.label, Service.code, Counter.number, Counter.name
        )
        .join(Ticket, Ticket.id == Event.ticket_id)
        .join(Counter, Counter.id == Event.counter_id)
        .join(Service, Service.id == Event.service_id)
        .where(
            Event.branch_id == uow.branch_id,
            Event.kind.in_(CALL_KINDS),
            Event.at >= start_of_day,
        )
    )


def _calls(rows: Iterable[Row[int, str, datetime, str, str, int, str]]) -> list[RecentCall]:
    return [
        RecentCall(event_id, kind == "ticket.recall", label, code, number, name, at)
        for event_id, kind, at, label, code, number, name in rows
    ]


def recent_calls(uow: UnitOfWork, limit: int = 8) -> tuple[RecentCall, ...]:
    """Today's last `limit` calls and recalls, newest first."""
    rows = uow.session.execute(_calls_today(uow).order_by(Event.id.desc()).limit(limit))
    return tuple(_calls(rows))


def calls_after(
    uow: UnitOfWork, event_id: int, limit: int = MAX_NEW_CALLS
) -> tuple[RecentCall, ...]:
    """Today's calls with an event id above `event_id`, oldest first (the order to announce
    them in); at most the newest `limit`."""
    rows = uow.session.execute(
        _calls_today(uow).where(Event.id > event_id).order_by(Event.id.desc()).limit(limit)
    )
    return tuple(reversed(_calls(rows)))


def counters_now(uow: UnitOfWork) -> tuple[CounterNow, ...]:
    rows = uow.session.execute(
        select(
            Counter.number,
            Counter.name,
            Counter.state,
            Counter.pause_reason,
            Ticket.label,
            Ticket.state,
        )
        .outerjoin(Ticket, Ticket.id == Counter.current_ticket_id)
        .where(Counter.branch_id == uow.branch_id, Counter.active.is_(True))
        .order_by(Counter.number)
    )
    board = []
    for number, name, state, reason, label, ticket_state in rows:
        # A finished or no-show ticket stays linked until the next call; it is not "at" the desk.
        here = ticket_state in {*AT_COUNTER, TicketState.HELD}
        board.append(
            CounterNow(
                number, name, state, reason, label if here else None, ticket_state if here else None
            )
        )
    return tuple(board)


def call_board(uow: UnitOfWork, after_event_id: int | None, recent: int = 8) -> CallBoard:
    """The board; `new_calls` holds the calls after `after_event_id` (none when it is None,
    as for a display just started: what was called before it came on is not news)."""
    latest = recent_calls(uow, recent)
    if after_event_id is None:
        new: tuple[RecentCall, ...] = ()
    elif len(latest) < recent or latest[-1].event_id <= after_event_id:
        # Every new call is among the recent ones: no second query.
        new = tuple(reversed([c for c in latest if c.event_id > after_event_id]))
    else:
        new = calls_after(uow, after_event_id)
    return CallBoard(
        at=uow.now(),
        branch_name=uow.branch.name,
        timezone=uow.branch.timezone,
        counters=counters_now(uow),
        recent=latest,
        new_calls=new,
        last_call_id=max([after_event_id or 0, *(c.event_id for c in (*latest, *new))]),
        settings=uow.settings,
    )
