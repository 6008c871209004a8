"""What earlier days teach the estimator, read once per business day and kept.

Early in a day nobody has waited long yet, so nothing says how patient visitors are; and the
configured mean service time may be off. The last few business days answer both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from shared.domain.states import TicketState
from shared.estimation.breaks import pause_lengths
from shared.estimation.counter_time import counter_times, ended_visits
from shared.estimation.model import SLOT_SECONDS, SLOTS
from shared.estimation.service_times import robust_lognormal
from shared.store.models import CounterService, Event, Ticket
from shared.store.unit_of_work import UnitOfWork

DAYS_BACK = 14
MAX_ROWS = 5000
MIN_DURATIONS = 20
COUNTER_MOVES = ("counter.opened", "counter.paused", "counter.resumed", "counter.closed")
# What an officer at a counter does to tickets: the trail of who actually called when.
TICKET_MOVES = ("ticket.call", "ticket.recall", "ticket.start", "ticket.resume", "ticket.finish",
                "ticket.no_show", "ticket.transfer", "ticket.hold")
# After these the counter is with a visitor until its next move.
WITH_VISITOR = ("ticket.call", "ticket.recall", "ticket.start", "ticket.resume")


@dataclass(frozen=True)
class History:
    called: dict[int, tuple[tuple[float, bool], ...]]  # (wait until first call, came?)
    open_share: dict[int, tuple[float, ...]]  # counter id -> share of days open, per slot
    mean_service: dict[int, float]  # seconds, where enough visits were seen
    priority_arrivals: dict[int, tuple[float, ...]]  # service id -> per slot, mean per day
    breaks: tuple[float, ...] = ()  # seconds of each break (pause to resume) of those days
    # What each no-show cost a counter (turnaround, calls, giving up), oldest first.
    no_show_costs: dict[int, tuple[float, ...]] = field(default_factory=dict)


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
        tuple(pause_lengths(uow, *_days_back(uow, today))),
        {
            sid: tuple(costs)
            for sid, costs in counter_times(
                ended_visits(uow, today - timedelta(days=DAYS_BACK), today - timedelta(days=1),
                             MAX_ROWS)
            ).no_show_costs.items()
        },
    )


def _days_back(uow: UnitOfWork, today: date) -> tuple[datetime, datetime]:
    """The UTC instants from DAYS_BACK days before today to today's midnight."""
    since = datetime.combine(today - timedelta(days=DAYS_BACK), time(), uow.zone)
    until = datetime.combine(today, time(), uow.zone)
    return since.astimezone(UTC), until.astimezone(UTC)


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
    silent = _silent_slots(uow, since, until)
    open_days: dict[int, list[int]] = defaultdict(lambda: [0] * SLOTS)
    for (day, counter_id), moves in changes.items():
        is_open, slot = False, 0
        tally = open_days[counter_id]
        quiet = silent.get((day, counter_id), set())
        for change_slot, now_open in [*moves, (SLOTS, False)]:
            for s in range(slot, change_slot):
                # Open but calling nobody while its visitors waited: the officer was away.
                tally[s] += is_open and s not in quiet
            slot, is_open = change_slot, now_open
    if not days:
        return {}
    return {cid: tuple(n / len(days) for n in tally) for cid, tally in open_days.items()}


def _silent_slots(
    uow: UnitOfWork, since: datetime, until: datetime
) -> dict[tuple[date, int], set[int]]:
    """Per (day, counter), the slots it made no ticket move in while visitors it serves
    waited through the whole slot: read from the audit trail's calls, not counter states."""
    zone = uow.zone
    serves: dict[int, set[int]] = defaultdict(set)
    for counter_id, service_id in uow.session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .where(CounterService.branch_id == uow.branch_id)
    ):
        serves[counter_id].add(service_id)
    moves = [
        (counter_id, at.astimezone(zone), kind)
        for counter_id, at, kind in uow.session.execute(
            select(Event.counter_id, Event.at, Event.kind)
            .where(
                Event.branch_id == uow.branch_id,
                Event.at >= since,
                Event.at < until,
                Event.counter_id.is_not(None),
                Event.kind.in_(TICKET_MOVES),
            )
            .order_by(Event.id)
        )
        if counter_id is not None
    ]
    waits = [
        (service_id, issued.astimezone(zone), called.astimezone(zone))
        for service_id, issued, called in uow.session.execute(
            select(Ticket.issued_service_id, Ticket.issued_at, Ticket.first_called_at)
            .where(
                Ticket.branch_id == uow.branch_id,
                Ticket.issued_at >= since,
                Ticket.issued_at < until,
                Ticket.first_called_at.is_not(None),
            )
        )
        if called is not None
    ]
    return silent_slots(moves, waits, serves)


def _slot(moment: datetime) -> int:
    return (moment.hour * 3600 + moment.minute * 60 + moment.second) // SLOT_SECONDS


def silent_slots(
    moves: list[tuple[int, datetime, str]],
    waits: list[tuple[int, datetime, datetime]],
    serves: dict[int, set[int]],
) -> dict[tuple[date, int], set[int]]:
    """Pure: `moves` are (counter, local time, kind) in order, `waits` (service, issued,
    first called) in local time; a slot is silent for a counter when it neither moved a
    ticket nor was with a visitor there, while someone of its services waited all through."""
    waited: dict[tuple[date, int], set[int]] = defaultdict(set)
    for service_id, issued, called in waits:
        first = _slot(issued) + 1  # the first slot wholly after the ticket was taken
        last = _slot(called) if called.date() == issued.date() else SLOTS
        waited[(issued.date(), service_id)].update(range(first, last))
    busy: dict[tuple[date, int], set[int]] = defaultdict(set)
    with_visitor: dict[tuple[date, int], int | None] = {}
    for counter_id, at, kind in moves:
        key = (at.date(), counter_id)
        slot = _slot(at)
        began = with_visitor.get(key)
        busy[key].update(range(began, slot + 1) if began is not None else (slot,))
        with_visitor[key] = slot if kind in WITH_VISITOR else None
    days = {day for day, _ in waited}
    result: dict[tuple[date, int], set[int]] = {}
    for day in days:
        for counter_id, services in serves.items():
            queued = set().union(*(waited.get((day, sid), set()) for sid in services))
            quiet = queued - busy.get((day, counter_id), set())
            if quiet:
                result[(day, counter_id)] = quiet
    return result
