"""Counters expected to call nobody: rostered away, or open but silent while visitors wait.

A counter whose officer left without closing it stays "open"; only its calls show it is gone.
Once it has not called for the branch's idle limit although visitors it serves are waiting, it
is taken to be away for as long again as it has been silent (a longer silence, a longer
absence), and the supervisor is told (shared/services/alerts.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from shared.estimation.model import CounterInfo, WaitingTicket
from shared.store.models import Event, RosterEntry
from shared.store.unit_of_work import UnitOfWork

Span = tuple[datetime, datetime]


def rostered(uow: UnitOfWork, day: date) -> dict[int, list[Span]]:
    """Per counter, the day's roster entries as (start, end) instants."""
    away: dict[int, list[Span]] = defaultdict(list)
    for counter_id, starts, ends in uow.session.execute(
        select(RosterEntry.counter_id, RosterEntry.starts_at, RosterEntry.ends_at)
        .where(RosterEntry.branch_id == uow.branch_id, RosterEntry.business_date == day)
        .order_by(RosterEntry.starts_at)
    ):
        away[counter_id].append((starts, ends))
    return away


def last_ticket_moves(uow: UnitOfWork, since: datetime) -> dict[int, datetime]:
    """Per counter, its latest ticket event (a call, start, finish...) since `since`."""
    rows = uow.session.execute(
        select(Event.counter_id, func.max(Event.at))
        .where(
            Event.branch_id == uow.branch_id,
            Event.at >= since,
            Event.kind.like("ticket.%"),
            Event.counter_id.is_not(None),
        )
        .group_by(Event.counter_id)
    ).all()
    return {cid: at for cid, at in rows if cid is not None}


def silent_for(
    counter: CounterInfo,
    waiting: Iterable[WaitingTicket],
    last_move: datetime | None,
    now: datetime,
    limit: timedelta,
) -> tuple[float, int] | None:
    """(seconds silent, visitors of its services waiting) for an open counter nobody is at
    that has not called within `limit` although visitors it serves waited; else None."""
    if counter.state != "open" or counter.current is not None:
        return None
    since = [t for t in (counter.state_since, last_move) if t is not None]
    if not since:
        return None
    quiet = now - max(since)
    if quiet < limit:
        return None
    # Visitors who were already waiting a while ago: a queue that formed a minute ago does
    # not make an empty counter's quiet hour an absence.
    served = set(counter.service_ids)
    waited = [t for t in waiting
              if t.service_id in served and t.due_at is None and t.queued_at <= now - limit]
    if not waited:
        return None
    mine = sum(1 for t in waiting if t.service_id in served and t.queued_at <= now)
    return quiet.total_seconds(), mine


def with_absences(
    counters: list[CounterInfo],
    waiting: tuple[WaitingTicket, ...],
    roster: dict[int, list[Span]],
    last_moves: dict[int, datetime],
    now: datetime,
    limit: timedelta,
) -> list[CounterInfo]:
    """The counters with their spans away: rostered, and silent ones until as long again."""
    result = []
    for counter in counters:
        spans = [span for span in roster.get(counter.id, ()) if span[1] > now]
        silent = silent_for(counter, waiting, last_moves.get(counter.id), now, limit)
        if silent is not None:
            spans.append((now, now + timedelta(seconds=silent[0])))
        result.append(replace(counter, away=tuple(sorted(spans))) if spans else counter)
    return result
