"""How long a break lasts at this branch: learnt from the pauses its counters came back from.

A paused counter is expected back when a typical break would end. A fixed 20 minutes told
visitors queued behind a 45-minute lunch that the counter would be back long before it was;
the pauses already taken today (and on earlier days) say how long they really last here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from statistics import median

from sqlalchemy import select

from shared.estimation.projection import LEAVE_WORDS
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
        if kind == "counter.paused" and not any(w in detail.lower() for w in LEAVE_WORDS):
            paused[counter_id] = at
            continue
        began = paused.pop(counter_id, None)
        if kind == "counter.resumed" and began is not None and at > began:
            lengths.append((at - began).total_seconds())
    return lengths


def pause_lengths(uow: UnitOfWork, since: datetime, until: datetime | None = None) -> list[float]:
    """The branch's breaks that ended between `since` and `until` (UTC instants)."""
    query = select(Event.counter_id, Event.at, Event.kind, Event.detail).where(
        Event.branch_id == uow.branch_id,
        Event.at >= since,
        Event.counter_id.is_not(None),
        Event.kind.in_(PAUSE_MOVES),
    )
    if until is not None:
        query = query.where(Event.at < until)
    rows = uow.session.execute(query.order_by(Event.id)).all()
    return break_lengths((cid, at, kind, detail or "") for cid, at, kind, detail in rows
                         if cid is not None)


def typical_break(today: list[float], earlier: tuple[float, ...]) -> float | None:
    """The median break of today and earlier days; None when none has ended yet."""
    lengths = [*earlier, *today]
    return median(lengths) if lengths else None
