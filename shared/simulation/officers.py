"""Simulated officers: a shift plan per counter, and an officer who works it through the real
counter services — open, call, recall, no-show, start, finish or transfer, pause, close."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from shared.domain.states import Outcome
from shared.services import calling, counters, roster, serving
from shared.services.officers import add_officer, list_officers
from shared.services.runner import attempt
from shared.services.survey import answer_survey
from shared.services.views import TicketView
from shared.simulation.agenda import Agenda, Day
from shared.simulation.loading import Scenario
from shared.simulation.scenario import CounterStaffing, OfficerHabits
from shared.simulation.survey import visit_ratings
from shared.simulation.visitors import (
    FINISHED,
    NO_SHOW,
    NOT_ANSWERING,
    SERVED,
    TRANSFERRED,
    WALKED_OUT,
    Stage,
    Visitor,
)
from shared.store.database import Store

BREAK_REASON = "istirahat"
OFF, WORKING, ON_BREAK, ABSENT, GONE = "off", "working", "on_break", "absent", "gone"


@dataclass(frozen=True)
class ShiftPlan:
    """One counter's day in seconds since local midnight."""

    counter: int
    start: float
    end: float
    breaks: tuple[tuple[float, float], ...]  # (start, length)
    absences: tuple[tuple[float, float], ...]  # (start, end)
    absence_kind: str = "closed"  # see CounterStaffing.absence_kind

    def presence(self) -> list[tuple[float, float]]:
        """When the officer is there: the shift minus the absences."""
        spans, begin = [], self.start
        for away_start, away_end in sorted(self.absences):
            if away_start > begin:
                spans.append((begin, away_start))
            begin = max(begin, away_end)
        if begin < self.end:
            spans.append((begin, self.end))
        return spans


def shift_plan(scenario: Scenario, counter: CounterStaffing, day: Day) -> ShiftPlan:
    start, end = scenario.shift(counter, day.date)
    return ShiftPlan(
        counter=counter.number,
        start=day.seconds(start),
        end=day.seconds(end),
        breaks=tuple((day.seconds(at), minutes * 60.0) for at, minutes in counter.breaks),
        absences=tuple((day.seconds(a), day.seconds(b)) for a, b in counter.absent),
        absence_kind=counter.absence_kind,
    )


def officer_login(counter: int) -> str:
    return f"sim{counter:02d}"


def ensure_officers(store: Store, branch: str, numbers: list[int]) -> dict[int, int]:
    """One simulated officer per staffed counter, added once and reused on later days. Their
    secrets are random: nobody logs in as them."""
    known = {o.login: o.id for o in attempt(store, branch, list_officers)}
    ids = {}
    for number in numbers:
        login = officer_login(number)
        if login not in known:
            name = f"Petugas simulasi loket {number}"
            secret = secrets.token_urlsafe(12)
            add = partial(add_officer, login=login, name=name, role="officer", secret=secret)
            known[login] = attempt(store, branch, add).id
        ids[number] = known[login]
    return ids


class Floor(Protocol):
    """What an officer needs from the simulated branch around them."""

    agenda: Agenda
    habits: OfficerHabits
    max_calls: int

    def act(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def visitor(self, ticket_id: int) -> Visitor: ...

    def enqueued(self, service: str) -> None: ...


@dataclass(frozen=True)
class Leave:
    """A reason to stop calling: a break of `length` seconds, an absence until `until`, or
    the end of the shift. Taken at once when idle, after the current visitor otherwise."""

    kind: str  # "break", "absence", "shift_end"
    length: float = 0.0
    until: float = 0.0


@dataclass
class Officer:
    floor: Floor
    counter: int
    officer_id: int
    plan: ShiftPlan
    services: tuple[str, ...]
    state: str = OFF
    visitor: Visitor | None = None
    calls: int = 0
    calling: bool = False  # a call is on the agenda
    idle_since: float | None = None  # call_next found nobody; waiting to be woken
    pending: list[Leave] = field(default_factory=list)

    # -- the day's plan --------------------------------------------------------------------
    def plan_day(self) -> None:
        agenda = self.floor.agenda
        for start, _ in self.plan.presence():
            agenda.at(start, self.come_in)
        for away_start, away_end in self.plan.absences:
            agenda.at(away_start, partial(self.leave, Leave("absence", until=away_end)))
            if self.plan.absence_kind == "rostered":
                agenda.at(0.0, partial(self._roster, away_start, away_end))
        for at, length in self.plan.breaks:
            agenda.at(at, partial(self.leave, Leave("break", length=length)))
        agenda.at(self.plan.end, lambda: self.leave(Leave("shift_end")))

    def _roster(self, start: float, end: float) -> None:
        """The supervisor enters the absence before the day starts."""
        day = self.floor.agenda.day
        local = [day.instant(moment).astimezone(day.zone).time() for moment in (start, end)]
        self.floor.act(roster.add_absence, self.counter, day.date, *local, "leave")

    @property
    def idle(self) -> bool:
        return self.state == WORKING and self.idle_since is not None

    def come_in(self) -> None:
        if self.state not in (OFF, ABSENT):
            return  # still busy from before the absence: it was skipped
        if not (self.state == ABSENT and self.plan.absence_kind == "silent"):
            self.floor.act(counters.open_counter, self.counter, self.officer_id)
        self.state = WORKING
        self._next_duty()

    def leave(self, reason: Leave) -> None:
        if self.state in (OFF, ABSENT, GONE):
            if reason.kind == "shift_end":
                self.state = GONE
            return
        if self.state == ON_BREAK or self.visitor is not None:
            self.pending.append(reason)
            return
        self._take(reason)

    def _take(self, reason: Leave) -> None:
        now = self.floor.agenda.now
        self.calling = False
        self.idle_since = None
        if reason.kind == "shift_end":
            self.floor.act(counters.close_counter, self.counter, self.officer_id)
            self.state = GONE
        elif reason.kind == "absence":
            if reason.until <= now:
                self._next_duty()  # kept busy past the whole absence
                return
            if self.plan.absence_kind != "silent":  # silent: left open, calling nobody
                self.floor.act(counters.close_counter, self.counter, self.officer_id)
            self.state = ABSENT
        else:
            self.floor.act(counters.pause_counter, self.counter, self.officer_id, BREAK_REASON)
            self.state = ON_BREAK
            self.floor.agenda.after(reason.length, self._back_from_break)

    def _back_from_break(self) -> None:
        self.floor.act(counters.resume_counter, self.counter, self.officer_id)
        self.state = WORKING
        self._next_duty()

    def _next_duty(self) -> None:
        if self.pending:
            self._take(self.pending.pop(0))
            return
        self.wake()

    # -- calling and serving ---------------------------------------------------------------
    def wake(self) -> None:
        self.idle_since = None
        self.calling = True
        self.floor.agenda.after(self.floor.habits.call_gap_seconds, self._call)

    def _call(self) -> None:
        if not self.calling or self.state != WORKING or self.visitor is not None:
            return
        self.calling = False
        now = self.floor.agenda.now
        view: TicketView | None = self.floor.act(calling.call_next, self.counter, self.officer_id)
        if view is None:
            self.idle_since = now
            return
        visitor = self.floor.visitor(view.id)
        self.visitor, self.calls = visitor, 1
        visitor.stage.called = now
        if visitor.present_when_called(now):
            self.floor.agenda.after(visitor.walk, self._start)
        else:
            self.floor.agenda.after(self.floor.habits.recall_interval_seconds, self._unanswered)

    def _unanswered(self) -> None:
        visitor = self._current()
        if self.calls < self.floor.max_calls:
            self.floor.act(calling.recall, self.counter, self.officer_id)
            self.calls += 1
            self.floor.agenda.after(self.floor.habits.recall_interval_seconds, self._unanswered)
            return
        self.floor.act(serving.no_show, self.counter, self.officer_id)
        self._end_stage(visitor, NO_SHOW)
        visitor.outcome = NOT_ANSWERING if not visitor.answers else WALKED_OUT
        self._done()

    def _start(self) -> None:
        visitor = self._current()
        self.floor.act(serving.start, self.counter, self.officer_id)
        visitor.stage.started = self.floor.agenda.now
        first = len(visitor.stages) == 1
        seconds = visitor.service_seconds if first else visitor.transfer_service_seconds
        self.floor.agenda.after(seconds, self._end)

    def _end(self) -> None:
        visitor = self._current()
        target = visitor.transfer_to if len(visitor.stages) == 1 else None
        if target is not None:
            self.floor.act(serving.transfer, self.counter, self.officer_id, target)
            self._end_stage(visitor, TRANSFERRED)
            visitor.stages.append(Stage(target, queued=self.floor.agenda.now))
            self.floor.enqueued(target)
        else:
            done = self.floor.act(
                serving.finish, self.counter, self.officer_id, Outcome.COMPLETED
            )
            self._end_stage(visitor, FINISHED)
            visitor.outcome = SERVED
            ratings = visit_ratings(visitor)
            if ratings is not None:
                self.floor.act(answer_survey, done.token, ratings)
        self._done()

    def _current(self) -> Visitor:
        if self.visitor is None:
            raise RuntimeError(f"counter {self.counter} has no visitor in the simulation")
        return self.visitor

    def _end_stage(self, visitor: Visitor, how: str) -> None:
        visitor.stage.ended = self.floor.agenda.now
        visitor.stage.end = how

    def _done(self) -> None:
        self.visitor = None
        self._next_duty()
