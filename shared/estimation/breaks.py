"""How long a break lasts at this branch: learnt from the pauses its counters came back from.

A paused counter is expected back when a typical break would end. A fixed 20 minutes told
visitors queued behind a 45-minute lunch that the counter would be back long before it was;
the pauses already taken today (and on earlier days) say how long they really last here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import select

from shared.estimation.model import QueueState
from shared.estimation.projection import (
    EXPECTED_BREAK_SECONDS,
    LEAVE_WORDS,
    MIN_REMAINING_BREAK_SECONDS,
)
from shared.store.models import Event
from shared.store.unit_of_work import UnitOfWork

PAUSE_MOVES = ("counter.paused", "counter.resumed", "counter.closed", "counter.opened")


def break_lengths(moves: Iterable[tuple[int, datetime, str, str]]) -> list[float]:
    """Pure: from (counter, instant, kind, detail) in order, the seconds of each pause not
    for leave that ended in a resume of the same counter (a pause closed off is not a break
    that ended: its length says nothing)."""
    paused: dict[int, datetime] = {}
    lengths: list[float] = []
    for counter_id, at, kind, detail in moves:
        if kind == "counter.paused" and not _for_leave(detail):
            paused[counter_id] = at
            continue
        began = paused.pop(counter_id, None)
        if kind == "counter.resumed" and began is not None and at > began:
            lengths.append((at - began).total_seconds())
    return lengths


Move = tuple[int, datetime, str, str]


def _for_leave(reason: str) -> bool:
    return any(word in reason.lower() for word in LEAVE_WORDS)


def breaks_begun(moves: Iterable[Move]) -> dict[int, datetime]:
    """Pure: per counter, when it first paused for a break (not for leave)."""
    begun: dict[int, datetime] = {}
    for counter_id, at, kind, detail in moves:
        if kind == "counter.paused" and not _for_leave(detail):
            begun.setdefault(counter_id, at)
    return begun


def pause_moves(uow: UnitOfWork, since: datetime, until: datetime | None = None) -> list[Move]:
    """The branch's pauses, resumes, openings and closings from `since` (UTC), in order."""
    query = select(Event.counter_id, Event.at, Event.kind, Event.detail).where(
        Event.branch_id == uow.branch_id,
        Event.at >= since,
        Event.counter_id.is_not(None),
        Event.kind.in_(PAUSE_MOVES),
    )
    if until is not None:
        query = query.where(Event.at < until)
    rows = uow.session.execute(query.order_by(Event.id)).all()
    return [(cid, at, kind, detail or "") for cid, at, kind, detail in rows if cid is not None]


def pause_lengths(uow: UnitOfWork, since: datetime, until: datetime | None = None) -> list[float]:
    """The branch's breaks that ended between `since` and `until` (UTC instants)."""
    return break_lengths(pause_moves(uow, since, until))


def typical_break(today: list[float], earlier: tuple[float, ...]) -> float | None:
    """The median break of today and earlier days; None when none has ended yet."""
    lengths = [*earlier, *today]
    return median(lengths) if lengths else None


# A day's breaks (lunch, prayers) are taken in turn within this long of the first.
ROTA_SECONDS = 3 * 3600


def in_turn(state: QueueState) -> QueueState:
    """With no earlier days to say when each counter takes its break: once some counters have
    begun theirs today, the open ones that have not are expected to take theirs in turn, as
    many at a time as are on a break now, each wave when the one before is back. Without it,
    the first day's lunch hour came as a surprise to every window issued before it."""
    if state.profile is not None or not state.breaks_begun:
        return state
    if (state.now - min(state.breaks_begun.values())).total_seconds() > ROTA_SECONDS:
        return state
    length = state.break_seconds or EXPECTED_BREAK_SECONDS
    away_now = [c for c in state.counters if c.state == "paused" and not _for_leave(c.pause_reason)]
    back = 0.0
    for counter in away_now:
        since = counter.state_since or state.now
        back = max(back, length - (state.now - since).total_seconds(), MIN_REMAINING_BREAK_SECONDS)
    waiting_turn = sorted(
        (c for c in state.counters if c.state == "open" and c.id not in state.breaks_begun),
        key=lambda c: c.number,
    )
    if not waiting_turn:
        return state
    wave = max(1, len(away_now))
    turns = {}
    for place, counter in enumerate(waiting_turn):
        starts = state.now + timedelta(seconds=back + (place // wave) * length)
        turns[counter.id] = (starts, starts + timedelta(seconds=length))
    counters = tuple(
        replace(c, away=tuple(sorted((*c.away, turns[c.id])))) if c.id in turns else c
        for c in state.counters
    )
    return replace(state, counters=counters)
