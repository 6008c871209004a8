"""What earlier days teach the estimator, read once per business day and kept.

Early in a day nobody has waited long yet, so nothing says how patient visitors are; and the
configured mean service time may be off. The last few business days answer both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from shared.domain.states import TicketState
from shared.estimation.model import SLOT_SECONDS, SLOTS
from shared.estimation.service_times import robust_lognormal
from shared.store.models import Event, Ticket
from shared.store.unit_of_work import UnitOfWork

DAYS_BACK = 14
MAX_ROWS = 5000
MIN_DURATIONS = 20
COUNTER_MOVES = ("counter.opened", "counter.paused", "counter.resumed", "counter.closed")


@dataclass(frozen=True)
class History:
    called: dict[int, tuple[tuple[float, bool], ...]]  # (wait until first call, came?)
    open_share: dict[int, tuple[float, ...]]  # counter id -> share of days open, per slot
    mean_service: dict[int, float]  # seconds, where enough visits were seen
    priority_arrivals: dict[int, tuple[float, ...]]  # service id -> per slot, mean per day


_cache: dict[tuple[str, int, date], History] = {}


def history(uow: UnitOfWork, today: date) -> History:
    key = (uow.store.url, uow.branch_id, today)
    if key not in _cache:
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = _read(uow, today)
    return _cache[key]


def _read(uow: UnitOfWork, today: date) -> History:
    called: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    durations: dict[int, list[float]] = defaultdict(list)
    rows = uow.session.execute(
        select(
            Ticket.issued_service_id,
            Ticket.service_id,
            Ticket.state,
            Ticket.issued_at,
            Ticket.first_called_at,
            Ticket.started_at,
            Ticket.finished_at,
        )
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date >= today - timedelta(days=DAYS_BACK),
            Ticket.business_date < today,
            Ticket.first_called_at.is_not(None),
        )
        .order_by(Ticket.id.desc())
        .limit(MAX_ROWS)
    )
    for issued_service, service, state, issued, first, started, finished in rows:
        assert first is not None  # the query keeps called tickets only
        called[issued_service].append(
            ((first - issued).total_seconds(), state != TicketState.NO_SHOW)
        )
        if state == TicketState.DONE and started and finished:
            durations[service].append((finished - started).total_seconds())
    return History(
        {sid: tuple(reversed(pairs)) for sid, pairs in called.items()},
        _open_share(uow, today),
        {
            sid: fitted[0]
            for sid, d in durations.items()
            if len(d) >= MIN_DURATIONS and (fitted := robust_lognormal(tuple(d))) is not None
        },
        _priority_arrivals(uow, today),
    )


def _priority_arrivals(uow: UnitOfWork, today: date) -> dict[int, tuple[float, ...]]:
    """Priority tickets issued per 15-minute slot, per service, averaged over earlier days
    with tickets: they will jump ahead of everyone waiting when they come."""
    zone = uow.zone
    rows = uow.session.execute(
        select(Ticket.business_date, Ticket.issued_service_id, Ticket.priority, Ticket.issued_at)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date >= today - timedelta(days=DAYS_BACK),
            Ticket.business_date < today,
        )
    ).all()
    days = {day for day, *_ in rows}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * SLOTS)
    for _, service, priority, issued in rows:
        if priority:
            local = issued.astimezone(zone)
            counts[service][(local.hour * 3600 + local.minute * 60) // SLOT_SECONDS] += 1
    return {sid: tuple(n / len(days) for n in slots) for sid, slots in counts.items()}


def _open_share(uow: UnitOfWork, today: date) -> dict[int, tuple[float, ...]]:
    """Replays each earlier day's counter events into 15-minute slots: open or not."""
    zone = uow.zone
    since = datetime.combine(today - timedelta(days=DAYS_BACK), time(), zone).astimezone(UTC)
    until = datetime.combine(today, time(), zone).astimezone(UTC)
    rows = uow.session.execute(
        select(Event.counter_id, Event.at, Event.to_state)
        .where(
            Event.branch_id == uow.branch_id,
            Event.at >= since,
            Event.at < until,
            Event.counter_id.is_not(None),
            Event.kind.in_(COUNTER_MOVES),
        )
        .order_by(Event.id)
    ).all()
    changes: dict[tuple[date, int], list[tuple[int, bool]]] = defaultdict(list)
    days: set[date] = set()
    for counter_id, at, to_state in rows:
        assert counter_id is not None  # the query keeps counter events only
        local = at.astimezone(zone)
        days.add(local.date())
        slot = (local.hour * 3600 + local.minute * 60 + local.second) // SLOT_SECONDS
        changes[(local.date(), counter_id)].append((slot, to_state == "open"))
    open_days: dict[int, list[int]] = defaultdict(lambda: [0] * SLOTS)
    for (_, counter_id), moves in changes.items():
        is_open, slot = False, 0
        tally = open_days[counter_id]
        for change_slot, now_open in moves:
            for s in range(slot, change_slot):
                tally[s] += is_open
            slot, is_open = change_slot, now_open
        for s in range(slot, SLOTS):
            tally[s] += is_open
    if not days:
        return {}
    return {cid: tuple(n / len(days) for n in tally) for cid, tally in open_days.items()}
