"""A synthetic branch day run through the real services, on a manual clock.

Visitors come to the kiosk and officers work their counters as timed actions on one agenda;
before each action the clock moves to its time, so the services stamp every event as if the day
were real, and a day of a thousand visitors takes seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from shared.clock import ManualClock
from shared.domain.errors import IssuingClosed
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.simulation.agenda import Agenda, Day
from shared.simulation.loading import Scenario
from shared.simulation.officers import Officer, ensure_officers, shift_plan
from shared.simulation.report import DaySummary, summarise
from shared.simulation.scenario import OfficerHabits
from shared.simulation.visitors import (
    TURNED_AWAY,
    UNSERVED,
    WALKED_OUT,
    Stage,
    Visitor,
    draw_visitors,
)
from shared.store.database import Store
from shared.store.models import Branch, Ticket

KIOSK = "simulasi"
KIOSK_TRIES = 3  # an early visitor comes back at opening; a kiosk that keeps refusing, not
PROGRESS_STEP_SECONDS = 60.0

# Told the simulated time as the day runs: the share of the planned day done, and the time.
DayProgress = Callable[[float, datetime], None]


class BranchDay:
    """The floor of the branch for one day: the kiosk, the waiting room and the officers."""

    def __init__(self, scenario: Scenario, store: Store, agenda: Agenda) -> None:
        self.scenario = scenario
        self.store = store
        self.agenda = agenda
        self.habits: OfficerHabits = scenario.settings.officers
        self.max_calls = scenario.branch.queue.max_calls
        self.officers: list[Officer] = []
        self._by_ticket: dict[int, Visitor] = {}

    def act(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """One service call in its own transaction, as the apps make it."""
        return attempt(
            self.store, self.scenario.branch_code, lambda uow: action(uow, *args, **kwargs)
        )

    def visitor(self, ticket_id: int) -> Visitor:
        return self._by_ticket[ticket_id]

    def enqueued(self, service: str) -> None:
        """A ticket started waiting: wake the counter that has been idle longest for it."""
        idle = [o for o in self.officers if o.idle and service in o.services]
        if idle:
            min(idle, key=lambda o: (o.idle_since, o.counter)).wake()

    def arrive(self, visitor: Visitor) -> None:
        """The visitor at the kiosk; early ones wait at the door for the opening it names."""
        visitor.kiosk_tries += 1
        try:
            ticket = self.act(
                issue_ticket, visitor.service, priority=visitor.priority, kiosk=KIOSK
            )
        except IssuingClosed as refusal:
            door = self.scenario.settings.visitors.door_wait_minutes * 60.0
            earliest = refusal.earliest
            if isinstance(earliest, datetime) and visitor.kiosk_tries < KIOSK_TRIES:
                later = self.agenda.day.seconds_of(earliest)
                if 0 < later - self.agenda.now <= door:
                    self.agenda.at(later, lambda: self.arrive(visitor))
                    return
            visitor.refusal = refusal.reason
            visitor.outcome = TURNED_AWAY
            return
        visitor.ticket_id, visitor.label = ticket.id, ticket.label
        visitor.stages.append(Stage(visitor.service, queued=self.agenda.now))
        self._by_ticket[ticket.id] = visitor
        self.enqueued(visitor.service)

    def close_the_day(self, closing: float) -> None:
        """Whoever still waits when the day ends: gone if their patience ran out, else unserved."""
        for visitor in self._by_ticket.values():
            if visitor.outcome is not None:
                continue
            if visitor.stage.called is not None:
                raise RuntimeError(f"ticket {visitor.label} was left at a counter")
            visitor.outcome = WALKED_OUT if visitor.walked_out_by(closing) else UNSERVED


def simulate_day(
    scenario: Scenario,
    store: Store,
    seed: int,
    clock: ManualClock,
    progress: DayProgress | None = None,
    *,
    business_date: date | None = None,
) -> DaySummary:
    """Run one day of `scenario` (on `business_date`, default the scenario's date) in `store`,
    which must be migrated, loaded with the scenario's branch, and opened with `clock`."""
    if store.clock is not clock:
        raise ValueError("open the store with this clock: open_store(url, clock=clock)")
    branch = scenario.branch
    day = Day(business_date or scenario.settings.date, ZoneInfo(branch.branch.timezone))
    opening = branch.branch.opening_hours_on(day.date)
    if opening is None:
        raise ValueError(f"branch {branch.branch.code} is closed on {day.date:%A %Y-%m-%d}")
    if clock.now() > day.midnight:
        raise ValueError(
            f"the clock is at {clock.now().isoformat()}, past the start of {day.date}; "
            "a simulated day needs a clock at or before its midnight"
        )
    clock.set(day.midnight)
    _refuse_used_day(store, scenario.branch_code, day)
    staffed = scenario.settings.counters
    officer_ids = ensure_officers(store, scenario.branch_code, [c.number for c in staffed])

    agenda = Agenda(day, clock)
    floor = BranchDay(scenario, store, agenda)
    visitors = draw_visitors(scenario, day, random.Random(seed))
    for counter in staffed:
        officer = Officer(
            floor,
            counter.number,
            officer_ids[counter.number],
            shift_plan(scenario, counter, day),
            tuple(branch.counter(counter.number).services),
        )
        floor.officers.append(officer)
        officer.plan_day()
    for visitor in visitors:
        agenda.at(visitor.arrives, partial(floor.arrive, visitor))

    closing = day.seconds(opening[1])
    first = min([v.arrives for v in visitors] + [o.plan.start for o in floor.officers])
    last = max([closing] + [o.plan.end for o in floor.officers])
    agenda.run(_reporter(progress, day, first, last))
    floor.close_the_day(max(closing, agenda.now))
    if progress is not None:
        progress(1.0, day.local(agenda.now))
    return summarise(scenario, day, seed, visitors)


def _reporter(
    progress: DayProgress | None, day: Day, first: float, last: float
) -> Callable[[float], None] | None:
    if progress is None:
        return None
    reported = [first - PROGRESS_STEP_SECONDS]

    def step(now: float) -> None:
        if now - reported[0] >= PROGRESS_STEP_SECONDS:
            reported[0] = now
            progress(min(1.0, max(0.0, (now - first) / max(last - first, 1.0))), day.local(now))

    return step


def _refuse_used_day(store: Store, branch_code: str, day: Day) -> None:
    """A day that already has tickets would mix real or earlier numbers into the summary."""
    with store.read_sessions() as session:
        count = session.scalar(
            select(func.count())
            .select_from(Ticket)
            .join(Branch, Branch.id == Ticket.branch_id)
            .where(Branch.code == branch_code, Ticket.business_date == day.date)
        )
    if count:
        raise ValueError(
            f"the database already holds {count} tickets of branch {branch_code} on "
            f"{day.date}; simulate into a fresh database or another day"
        )
