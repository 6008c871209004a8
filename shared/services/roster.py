"""Today's roster: planned absences and breaks per counter, entered by a supervisor.

Leave, training and meetings, and the lunch and Friday-prayer breaks, are known before the day
starts ("cuti harus direncanakan dan diantisipasi"). Entered here, the estimator expects nobody
at that counter then from the first ticket of the day, and the staffing plan shows the gap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from shared.domain.errors import InvalidTransition, NotFound
from shared.domain.states import Role
from shared.services.access import check_text, load_counter, load_officer, require_role
from shared.services.officers import SETUP, Acting
from shared.services.replanning import replan
from shared.store.models import Counter, CounterService, RosterEntry, Service
from shared.store.unit_of_work import UnitOfWork

# Why a counter is away; the first three keep it away all that time, breaks are short.
REASONS = ("leave", "training", "meeting", "lunch", "prayer", "other")


@dataclass(frozen=True)
class RosterLine:
    id: int
    counter_number: int
    counter_name: str
    day: date
    starts_at: datetime  # aware UTC
    ends_at: datetime
    reason: str
    note: str


def _acting(uow: UnitOfWork, by: Acting, action: str) -> int | None:
    """Only a supervisor or an admin plans the roster (or the set-up, from the CLI)."""
    if by is SETUP:
        return None
    assert isinstance(by, int)
    officer = load_officer(uow, by)
    require_role(officer, Role.SUPERVISOR, action)
    return officer.id


def add_absence(
    uow: UnitOfWork,
    counter_number: int,
    day: date,
    start: time,
    end: time,
    reason: str,
    note: str = "",
    *,
    by: Acting = SETUP,
) -> RosterLine:
    """Counter `counter_number` is away on `day` from `start` to `end` (the branch's time)."""
    acting = _acting(uow, by, "plan the roster")
    if reason not in REASONS:
        raise InvalidTransition(f"the reason must be one of {', '.join(REASONS)}")
    note = check_text(note, "the note", 200)
    if end <= start:
        raise InvalidTransition("an absence must end after it starts")
    if day < uow.local_now().date():
        raise InvalidTransition("the roster is planned for today or a later day")
    counter = load_counter(uow, counter_number)
    entry = RosterEntry(
        branch_id=uow.branch_id,
        counter_id=counter.id,
        business_date=day,
        starts_at=datetime.combine(day, start, uow.zone).astimezone(UTC),
        ends_at=datetime.combine(day, end, uow.zone).astimezone(UTC),
        reason=reason,
        note=note,
        created_by=acting,
        created_at=uow.now(),
    )
    uow.session.add(entry)
    uow.session.flush()
    uow.record(
        "counter.roster_added",
        counter_id=counter.id,
        officer_id=acting,
        detail=f"#{entry.id} {day} {start:%H:%M}-{end:%H:%M} {reason} {note}".rstrip(),
    )
    line = _line(entry, counter)
    if day == uow.local_now().date():
        replan(uow)  # today's waiting visitors learn at once what it does to their window
    uow.commit()
    return line


def remove_absence(uow: UnitOfWork, entry_id: int, *, by: Acting = SETUP) -> None:
    acting = _acting(uow, by, "plan the roster")
    entry = uow.session.get(RosterEntry, entry_id)
    if entry is None or entry.branch_id != uow.branch_id:
        raise NotFound(f"there is no roster entry {entry_id}")
    local = entry.starts_at.astimezone(uow.zone)
    uow.record(
        "counter.roster_removed",
        counter_id=entry.counter_id,
        officer_id=acting,
        detail=f"#{entry.id} {entry.business_date} {local:%H:%M} {entry.reason}",
    )
    today = entry.business_date == uow.local_now().date()
    uow.session.delete(entry)
    if today:
        replan(uow)
    uow.commit()


def roster(uow: UnitOfWork, first: date, last: date | None = None) -> tuple[RosterLine, ...]:
    """The entries from `first` to `last` (default: that day alone), by day, time, counter."""
    rows = uow.session.execute(
        select(RosterEntry, Counter)
        .join(Counter, Counter.id == RosterEntry.counter_id)
        .where(
            RosterEntry.branch_id == uow.branch_id,
            RosterEntry.business_date >= first,
            RosterEntry.business_date <= (last or first),
        )
        .order_by(RosterEntry.business_date, RosterEntry.starts_at, Counter.number)
    ).all()
    return tuple(_line(entry, counter) for entry, counter in rows)


def counters_available(uow: UnitOfWork, day: date) -> dict[str, dict[int, float]]:
    """Per service code and hour of `day`, the counters serving it that the roster leaves
    there (an hour half rostered away counts half)."""
    away: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for entry in uow.session.scalars(
        select(RosterEntry).where(RosterEntry.branch_id == uow.branch_id,
                                  RosterEntry.business_date == day)
    ):
        away[entry.counter_id].append((entry.starts_at, entry.ends_at))
    midnight = datetime.combine(day, time(), uow.zone)
    result: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for counter_id, code in uow.session.execute(
        select(CounterService.counter_id, Service.code)
        .join(Service, Service.id == CounterService.service_id)
        .join(Counter, Counter.id == CounterService.counter_id)
        .where(CounterService.branch_id == uow.branch_id, Counter.active.is_(True),
               Service.active.is_(True))
    ):
        for hour in range(24):
            begin = midnight + timedelta(hours=hour)
            end = begin + timedelta(hours=1)
            gone = sum(
                max((min(end, e) - max(begin, s)).total_seconds(), 0.0)
                for s, e in away.get(counter_id, ())
            )
            result[code][hour] += max(1.0 - gone / 3600.0, 0.0)
    return {code: dict(hours) for code, hours in result.items()}


def _line(entry: RosterEntry, counter: Counter) -> RosterLine:
    return RosterLine(entry.id, counter.number, counter.name, entry.business_date,
                      entry.starts_at, entry.ends_at, entry.reason, entry.note)
