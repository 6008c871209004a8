"""Random days of real service calls keep the queue's invariants, on both databases.

A hypothesis state machine plays a branch's day: kiosks issue, officers open counters, call,
serve, transfer, hold, give up on no-shows, a supervisor cancels, and time passes. After every
step the rules of tests/support/queue_invariants.py are read back from the tables, and each
"call next" is checked against docs/design.md's call order worked out from the rows before it. A
step the rules refuse (a DomainError) must leave every row as it was; any other error fails.
Runs are derandomised, so a failure repeats on every run, and hypothesis prints the shortest
sequence of steps that shows it (each step's actual service call is in its "note" lines).
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Row, func, select, text

from shared.clock import ManualClock
from shared.domain.errors import DomainError
from shared.domain.states import Outcome
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.officers import add_officer
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.models import (
    Counter,
    CounterService,
    DailySequence,
    Event,
    Officer,
    ProcessedRequest,
    Ticket,
)
from tests.conftest import Staff, secret_for
from tests.support import databases
from tests.support.actions import run
from tests.support.branches import MONDAY_0800, small_branch
from tests.support.queue_invariants import (
    QueueRows,
    check_counts,
    check_queue,
    check_rows,
    read_rows,
    read_snapshot,
)

pytestmark = pytest.mark.slow  # hypothesis plays whole days of service

BRANCH = "TST"
OFFICERS = {"ani": "officer", "budi": "officer", "citra": "officer", "sri": "supervisor"}
CLOSING = MONDAY_0800.replace(hour=15)

SQLITE_RUNS = settings(
    max_examples=35,
    stateful_step_count=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Each PostgreSQL example empties and re-configures the database: fewer runs.
POSTGRES_RUNS = settings(SQLITE_RUNS, max_examples=15)

# What happens next in the branch, and how often. One rule draws it (the alternative, one
# hypothesis rule each, lets hypothesis's swarm testing switch off the officers' rule in half
# the runs, and those days never get past the kiosk).
HAPPENINGS = (
    ["an officer works"] * 8
    + ["a visitor takes a ticket"] * 3
    + ["time passes"] * 2
    + ["a supervisor cancels a ticket"]
)
# ... and, while some visitor has missed their call:
LATE_VISITOR = ["a late visitor comes back"] * 2
# What an officer may do at a counter, and what each state of a counter invites (a step
# listed more than once is the likelier one).
COUNTER_STEPS = (
    "open", "pause", "resume_counter", "close", "call_next", "call_ticket",
    "recall", "start", "finish", "no_show", "transfer", "hold", "resume",
)  # fmt: skip
INVITED = {
    "closed": ("open",),
    "paused": ("resume_counter", "close"),
    "idle": ("call_next", "call_next", "call_next", "call_ticket", "pause", "close"),
    "holding": ("resume", "resume", "call_next", "close"),  # idle, with a visitor on hold
    "called": ("start", "start", "start", "recall", "no_show", "call_next"),
    "serving": ("finish", "finish", "transfer", "hold"),
}
SERVICES = ("JHT", "JKM", "RESET")
EVERY_ACTION = (
    issue_ticket,
    counters.open_counter,
    counters.pause_counter,
    counters.resume_counter,
    counters.close_counter,
    calling.call_next,
    calling.call_ticket,
    calling.recall,
    serving.start,
    serving.finish,
    serving.no_show,
    serving.reinstate,
    serving.transfer,
    serving.hold,
    serving.resume,
    serving.cancel,
)

# A blind choice is mostly refused, so a choice is often a placeholder resolved from the rows
# just before the step: "invited" is a step the counter's state invites, "fit" a counter or
# ticket the step can apply to, "own" whoever staffs the counter (else a free officer). The
# blind choices and the bad input (a blank reason, an unknown outcome) test the refusals.
steps = st.sampled_from(["invited"] * 2 * len(COUNTER_STEPS) + list(COUNTER_STEPS))
desks = st.sampled_from(["fit"] * 4 + [1, 2, 3, 4])
actors = st.sampled_from(["own"] * 4 + list(OFFICERS))
labels = st.sampled_from(["fit"] * 4 + ["A001", "A002", "A003", "A005", "B001", "B002", "D001"])
reasons = st.sampled_from(["visitor in a wheelchair", "came back from the ATM", "doctor", " "])
outcomes = st.sampled_from([*Outcome, "great"])
# A few ids per action, so repeats (a double tap, a network retry) happen. Apps make an id per
# request, so two actions never share one.
taps = st.none() | st.none() | st.sampled_from(["tap-1", "tap-2", "tap-3"])
presses = st.none() | st.none() | st.sampled_from(["press-1", "press-2", "press-3"])

REFUSED = object()


@dataclass(frozen=True)
class Picture:
    """Every row of the branch a service call may change; a refused call must leave it equal."""

    rows: QueueRows

    @property
    def tickets(self) -> list[Row[Any]]:
        return self.rows.tickets

    @property
    def counters(self) -> list[Row[Any]]:
        return self.rows.counters

    def fingerprint(self) -> tuple[object, ...]:
        """What `QueueDay.fingerprint` reads, cheaply, to tell that nothing changed."""
        r = self.rows
        return (
            tuple(r.tickets),
            tuple(r.counters),
            tuple(r.sequences),
            len(r.events),
            len(r.requests),
        )

    def counter(self, number: int) -> Row[Any]:
        return next(c for c in self.counters if c.number == number)

    def ticket(self, ticket_id: int | None) -> Row[Any] | None:
        return next((t for t in self.tickets if t.id == ticket_id), None)

    def labelled(self, label: str) -> Row[Any] | None:
        return next((t for t in self.tickets if t.label == label), None)

    def showing(self, counter: Row[Any], *states: str) -> bool:
        """Whether the counter's current ticket is in one of these states."""
        ticket = self.ticket(counter.current_ticket_id)
        return ticket is not None and ticket.state in states

    def condition(self, counter: Row[Any]) -> str:
        if counter.state != "open":
            return str(counter.state)
        ticket = self.ticket(counter.current_ticket_id)
        if ticket is not None:
            return str(ticket.state)
        held = any(t.state == "held" and t.counter_id == counter.id for t in self.tickets)
        return "holding" if held else "idle"

    def any_ticket(self, state: str) -> bool:
        return any(t.state == state for t in self.tickets)


@dataclass(frozen=True)
class Desk:
    """A counter as configured: what "call next" may take, in which order."""

    id: int
    service_order: bool
    positions: dict[int, int]  # service id -> position in the counter's list


class QueueDay(RuleBasedStateMachine):
    """One branch's day; `open_fresh_store` gives each example a branch with no tickets yet."""

    # How often each service call went through, over all the days of one test.
    done: ClassVar[collections.Counter[str]]

    def open_fresh_store(self, clock: ManualClock) -> Store:
        raise NotImplementedError

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(MONDAY_0800)
        self.store = self.open_fresh_store(self.clock)
        with self.store.sessions() as session:
            officers = session.scalars(select(Officer).order_by(Officer.id))
            self.officer_ids = {o.login: o.id for o in officers}
        self.desks = self.read_desks()
        # What each request gave the first time: a repeat must give the same, change nothing. A
        # request is its id with its caller and arguments (the service and priority for an issue,
        # the officer for a call): the same id otherwise is another request.
        self.issued_for: dict[tuple[str, str, bool], str] = {}
        self.called_for: dict[tuple[str, int], str | None] = {}
        # The rows as the last step left them (the clock alone changes none of them).
        self.latest = self.picture()
        self.changed = True

    def teardown(self) -> None:
        self.store.dispose()

    # -- reading the database ----------------------------------------------------------------
    def read_desks(self) -> dict[int, Desk]:
        with self.store.sessions() as session:
            desks = {
                c.number: Desk(c.id, c.call_policy == "service_order", {})
                for c in session.scalars(select(Counter))
            }
            by_id = {d.id: d for d in desks.values()}
            for a in session.scalars(select(CounterService)):
                by_id[a.counter_id].positions[a.service_id] = a.position
        return desks

    def picture(self) -> Picture:
        return Picture(read_rows(self.store, BRANCH))

    def fingerprint(self) -> tuple[object, ...]:
        with self.store.read_sessions() as session, session.begin():
            return (
                tuple(session.execute(select(Ticket.__table__).order_by(Ticket.id))),
                tuple(session.execute(select(Counter.__table__).order_by(Counter.number))),
                tuple(
                    session.execute(
                        select(DailySequence.__table__).order_by(DailySequence.service_id)
                    )
                ),
                session.scalar(select(func.count()).select_from(Event)),
                session.scalar(select(func.count()).select_from(ProcessedRequest)),
            )

    # -- turning placeholders into a counter, a ticket, an officer ---------------------------
    def desk(self, data: st.DataObject, choice: int | str, fits: Callable[[Row[Any]], bool]) -> int:
        if isinstance(choice, int):
            return choice
        fitting = [int(c.number) for c in self.latest.counters if fits(c)]
        return data.draw(st.sampled_from(fitting), label="fit counter") if fitting else 1

    def busy_desk(self, data: st.DataObject) -> int:
        """A staffed counter; one with a visitor twice as likely, so that visits run to the end."""
        p = self.latest
        staffed = [c for c in p.counters if c.state != "closed"] or list(p.counters)
        weighted = [
            int(c.number)
            for c in staffed
            for _ in range(2 if p.condition(c) in ("called", "serving", "holding") else 1)
        ]
        return data.draw(st.sampled_from(weighted), label="fit counter")

    def label(self, data: st.DataObject, choice: str, fits: Callable[[Row[Any]], bool]) -> str:
        if choice != "fit":
            return choice
        fitting = [str(t.label) for t in self.latest.tickets if fits(t)]
        return data.draw(st.sampled_from(fitting), label="fit ticket") if fitting else "A001"

    def officer(self, who: str, counter_number: int) -> int:
        if who != "own":
            return self.officer_ids[who]
        staffing = {c.number: c.officer_id for c in self.latest.counters}
        if staffing[counter_number] is not None:
            return int(staffing[counter_number])
        free = [i for i in self.officer_ids.values() if i not in staffing.values()]
        return free[0] if free else self.officer_ids["ani"]

    def serves(self, counter: Row[Any], ticket: Row[Any] | None) -> bool:
        return ticket is not None and ticket.service_id in self.desks[counter.number].positions

    def fits(self, step: str, label: str) -> Callable[[Row[Any]], bool]:
        """Which counters `step` can apply to now."""
        p = self.latest
        wanted = p.labelled(label)
        held_at = wanted.counter_id if wanted is not None and wanted.state == "held" else None

        def fits(c: Row[Any]) -> bool:
            staffed, idle = c.state != "closed", c.current_ticket_id is None
            serves = label == "fit" or self.serves(c, wanted)
            return {
                "open": not staffed,
                "pause": c.state == "open" and idle,
                "resume_counter": c.state == "paused",
                "close": staffed and idle,
                "call_next": c.state == "open" and not p.showing(c, "serving"),
                "call_ticket": c.state == "open" and idle and serves,
                "recall": p.showing(c, "called"),
                "start": p.showing(c, "called"),
                "no_show": p.showing(c, "called"),
                "finish": p.showing(c, "serving"),
                "transfer": p.showing(c, "serving"),
                "hold": p.showing(c, "serving"),
                "resume": idle and (c.id == held_at if held_at is not None else staffed),
            }[step]

        return fits

    # -- acting ------------------------------------------------------------------------------
    def act(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one service call; a refusal must have changed nothing."""
        note(f"{action.__name__}{args}{kwargs or ''}")
        before = self.latest
        try:
            result = run(self.store, action, *args, **kwargs)
        except DomainError as refusal:
            event(f"{action.__name__}: refused ({type(refusal).__name__})")
            assert self.fingerprint() == before.fingerprint(), (
                f"refused {action.__name__} changed the database"
            )
            return REFUSED
        event(f"{action.__name__}: done")
        self.done[action.__name__] += 1
        self.latest = self.picture()
        self.changed = True
        return result

    def expected_next(self, counter_number: int) -> str | None:
        """docs/design.md's call order, worked out independently from the rows before the call."""
        desk = self.desks[counter_number]
        now = self.clock.now()
        today = now.astimezone(MONDAY_0800.tzinfo).date()
        waiting = [
            t
            for t in self.latest.tickets
            if t.state == "waiting" and t.business_date == today and t.service_id in desk.positions
        ]

        def place(t: Row[Any]) -> tuple[object, ...]:
            due = t.due_at is not None and t.due_at <= now
            position = desk.positions[t.service_id] if desk.service_order else 0
            return (not t.priority, not due, position, t.queued_at, t.id)

        return min(waiting, key=place).label if waiting else None

    def call_next(self, counter: int, officer: int, request_id: str | None) -> None:
        before = self.latest
        expected = self.expected_next(counter)
        called = self.act(calling.call_next, counter, officer, request_id)
        if called is REFUSED:
            return
        label = None if called is None else called.label
        if request_id is not None and (request_id, officer) in self.called_for:
            assert label == self.called_for[(request_id, officer)]
            assert self.latest == before, "a repeated call-next request changed the database"
            return
        assert label == expected, f"call next at counter {counter} took {label}, not {expected}"
        if request_id is not None:
            self.called_for[(request_id, officer)] = label

    # -- the day -----------------------------------------------------------------------------
    @initialize(
        opened=st.lists(st.sampled_from([1, 2, 3, 4]), unique=True, min_size=1, max_size=4),
        first_visitors=st.lists(st.sampled_from(SERVICES), max_size=8),
    )
    def morning(self, opened: list[int], first_visitors: list[str]) -> None:
        for number, login in zip(opened, OFFICERS, strict=False):
            self.act(counters.open_counter, number, self.officer_ids[login])
        for code in first_visitors:
            self.act(issue_ticket, code)

    @rule(data=st.data())
    def something_happens(self, data: st.DataObject) -> None:
        happenings = HAPPENINGS + (LATE_VISITOR if self.latest.any_ticket("no_show") else [])
        what = data.draw(st.sampled_from(happenings), label="what happens")
        {
            "an officer works": self.officer_works,
            "a visitor takes a ticket": self.visitor_takes_ticket,
            "time passes": self.time_passes,
            "a supervisor cancels a ticket": self.supervisor_cancels,
            "a late visitor comes back": self.late_visitor_comes_back,
        }[what](data)

    def visitor_takes_ticket(self, data: st.DataObject) -> None:
        code = data.draw(st.sampled_from(["JHT", "JHT", "JKM", "RESET", "NOPE"]), label="service")
        priority = data.draw(st.sampled_from([False] * 4 + [True]), label="priority")
        booked = data.draw(st.none() | st.none() | st.integers(-30, 60), label="due in minutes")
        request_id = data.draw(taps, label="request id")
        due = None if booked is None else self.clock.now() + timedelta(minutes=booked)
        before = self.latest
        ticket = self.act(issue_ticket, code, priority=priority, due_at=due, request_id=request_id)
        if ticket is REFUSED:
            return
        if request_id is not None and (request_id, code, priority) in self.issued_for:
            assert ticket.label == self.issued_for[(request_id, code, priority)]
            assert self.latest == before, "a repeated issue request changed the database"
        elif request_id is not None:
            self.issued_for[(request_id, code, priority)] = ticket.label

    def officer_works(self, data: st.DataObject) -> None:
        step = data.draw(steps, label="step")
        number = data.draw(desks, label="counter")
        if step == "invited":
            counter = number if isinstance(number, int) else self.busy_desk(data)
            invited = INVITED[self.latest.condition(self.latest.counter(counter))]
            step = data.draw(st.sampled_from(invited), label="invited step")
            label = "fit"
        else:
            label = data.draw(labels, label="ticket") if step in ("call_ticket", "resume") else ""
            counter = self.desk(data, number, self.fits(step, label))
        officer = self.officer(data.draw(actors, label="officer"), counter)
        row = self.latest.counter(counter)
        if step == "call_next":
            self.call_next(counter, officer, data.draw(presses, label="request id"))
        elif step == "call_ticket":
            label = self.label(data, label, lambda t: t.state == "waiting" and self.serves(row, t))
            reason = data.draw(reasons, label="reason")
            self.act(calling.call_ticket, counter, officer, label, reason)
        elif step == "resume":
            label = self.label(data, label, lambda t: t.state == "held" and t.counter_id == row.id)
            self.act(serving.resume, counter, officer, label)
        elif step == "pause":
            reason = data.draw(reasons, label="reason")
            self.act(counters.pause_counter, counter, officer, reason)
        elif step == "finish":
            self.act(serving.finish, counter, officer, data.draw(outcomes, label="outcome"))
        elif step == "transfer":
            to_service = data.draw(st.sampled_from(SERVICES), label="to service")
            self.act(serving.transfer, counter, officer, to_service, "needs another desk")
        else:
            actions: dict[str, Callable[..., object]] = {
                "open": counters.open_counter,
                "resume_counter": counters.resume_counter,
                "close": counters.close_counter,
                "recall": calling.recall,
                "start": serving.start,
                "no_show": serving.no_show,
                "hold": serving.hold,
            }
            self.act(actions[step], counter, officer)

    def supervisor_cancels(self, data: st.DataObject) -> None:
        who = data.draw(st.sampled_from(["sri", "sri", "sri", "ani"]), label="officer")
        label = self.label(data, data.draw(labels, label="ticket"), lambda t: t.state == "waiting")
        self.act(serving.cancel, self.officer_ids[who], label, data.draw(reasons, label="reason"))

    def late_visitor_comes_back(self, data: st.DataObject) -> None:
        who = data.draw(st.sampled_from(list(OFFICERS)), label="officer")
        label = self.label(data, data.draw(labels, label="ticket"), lambda t: t.state == "no_show")
        self.act(serving.reinstate, self.officer_ids[who], label)

    def time_passes(self, data: st.DataObject) -> None:
        seconds = data.draw(st.integers(0, 300) | st.integers(301, 45 * 60), label="seconds")
        # Stay inside the one business day and its opening hours.
        latest = CLOSING - timedelta(seconds=1)
        self.clock.set(min(self.clock.now() + timedelta(seconds=seconds), latest))

    @invariant()
    def queue_is_consistent(self) -> None:
        # A step that changed no row (a refusal is checked to change none) cannot break a rule
        # that held before it, and these rules do not depend on the hour: skip the re-read.
        if self.changed:
            check_rows(self.latest.rows, read_snapshot(self.store, BRANCH))
            self.changed = False


def day_on(fresh_store: Callable[[ManualClock], Store]) -> type[QueueDay]:
    class QueueDayOnThisDatabase(QueueDay):
        done: ClassVar[collections.Counter[str]] = collections.Counter()

        def open_fresh_store(self, clock: ManualClock) -> Store:
            return fresh_store(clock)

    return QueueDayOnThisDatabase


def play_days(fresh_store: Callable[[ManualClock], Store], runs: settings) -> None:
    days = day_on(fresh_store)
    run_state_machine_as_test(days, settings=runs)
    # The days must have reached every kind of step, or the invariants proved little.
    missed = {a.__name__ for a in EVERY_ACTION} - {name for name, n in days.done.items() if n}
    assert not missed, f"no day got as far as {sorted(missed)}: {dict(days.done)}"


def set_up_branch(store: Store) -> Store:
    apply_branch_config(store, small_branch())
    for login, role in OFFICERS.items():
        run(store, add_officer, login, login.title(), role, secret_for(role))
    return store


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
# A pass takes well under a minute; a failure may shrink for up to hypothesis's five minutes,
# and its shortest sequence of steps is the part worth waiting for.
@pytest.mark.timeout(420)
def test_any_day_of_service_calls_keeps_the_queue_consistent(
    database: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if database == "sqlite":
        # Set up once, then each day starts from a copy of the file.
        template: Path = request.getfixturevalue("sqlite_template")
        set_up = tmp_path / "set-up"
        set_up.mkdir()
        set_up_branch(open_store(databases.fresh_sqlite(template, set_up))).dispose()
        days = itertools.count()

        def fresh_store(clock: ManualClock) -> Store:
            folder = tmp_path / f"day-{next(days)}"
            folder.mkdir()
            return open_store(databases.fresh_sqlite(set_up / "antrean.db", folder), clock=clock)

        play_days(fresh_store, SQLITE_RUNS)
    else:
        url: str = request.getfixturevalue("postgres_database")

        def fresh_store(clock: ManualClock) -> Store:
            databases.empty_postgres(url)
            return set_up_branch(open_store(url, clock=clock))

        play_days(fresh_store, POSTGRES_RUNS)


# -- the checks themselves catch broken rows -------------------------------------------------
@pytest.fixture
def short_morning(store: Store, staff: Staff) -> Store:
    """A001 served, A002 waiting, A003 called out of turn at counter 1."""
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, staff.ani)
    run(store, serving.start, 1, staff.ani)
    run(store, serving.finish, 1, staff.ani)
    run(store, calling.call_ticket, 1, staff.ani, "A003", "came back from the ATM")
    check_queue(store, BRANCH)
    return store


@pytest.mark.parametrize(
    ("corruption", "complaint"),
    [
        pytest.param(
            "UPDATE tickets SET number = 9 WHERE label = 'A003'",
            r"numbers \[1, 2, 9\]",
            id="a gap in the numbers",
        ),
        pytest.param(
            "UPDATE counters SET current_ticket_id = (SELECT id FROM tickets WHERE label = 'A003')"
            " WHERE number = 2",
            "counter 2 shows A003, whose counter is",
            id="one ticket at two counters",
        ),
        pytest.param(
            "UPDATE counters SET current_ticket_id = NULL WHERE number = 1",
            r"A003 is called at counters \[\]",
            id="a called ticket at no counter",
        ),
        pytest.param(
            "UPDATE events SET detail = '' WHERE kind = 'ticket.call'",
            "call next took A003 .* while A002, issued before it, was still waiting",
            id="call next out of order",
        ),
        pytest.param(
            "UPDATE tickets SET state = 'cancelled' WHERE label = 'A002'",
            "its events end waiting",
            id="a state no event led to",
        ),
        pytest.param(
            "UPDATE tickets SET call_count = 2 WHERE label = 'A003'",
            "its events show 1",
            id="a call count the events do not show",
        ),
        pytest.param(
            "UPDATE events SET ticket_id = ticket_id + 1000 WHERE kind = 'ticket.call'",
            r"event \d+ \(ticket.call\) names ticket_id \d+, no row of this branch",
            id="an event about no ticket",
        ),
        pytest.param(
            "UPDATE events SET officer_id = 999 WHERE kind = 'counter.opened'",
            r"names officer_id 999, no row of this branch",
            id="an event by no officer",
        ),
        pytest.param(
            "UPDATE counters SET state = 'closed' WHERE number = 1",
            "closed counter 1 has officer",
            id="a closed counter still staffed",
        ),
        pytest.param(
            "UPDATE counters SET state = 'open',"
            " officer_id = (SELECT officer_id FROM counters WHERE number = 1) WHERE number = 2",
            r"is at counters \[1, 2\]",
            id="an officer at two counters",
        ),
    ],
)
def test_each_broken_rule_is_caught(short_morning: Store, corruption: str, complaint: str) -> None:
    with short_morning.engine.begin() as connection:
        connection.execute(text(corruption))
    with pytest.raises(AssertionError, match=complaint):
        check_queue(short_morning, BRANCH)


def test_a_snapshot_that_disagrees_with_the_tickets_is_caught(short_morning: Store) -> None:
    rows = read_rows(short_morning, BRANCH)
    snapshot = read_snapshot(short_morning, BRANCH)
    check_counts(rows, snapshot)
    jht = snapshot.service("JHT")
    wrong = replace(snapshot, services=(replace(jht, waiting=jht.waiting + 1),))
    with pytest.raises(AssertionError, match="snapshot of JHT disagrees"):
        check_counts(rows, wrong)
