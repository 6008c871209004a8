"""A simulated day through the real services: every visitor accounted for, the database agrees,
absences close counters exactly while the officer is away, and a seed fixes the whole day."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.services.setup import apply_branch_config
from shared.services.snapshot import live_snapshot
from shared.simulation import (
    SHIPPED_SCENARIOS,
    DaySummary,
    EventRow,
    Scenario,
    load_scenario,
    read_events,
    simulate_day,
)
from shared.simulation.agenda import Day
from shared.simulation.survey import visit_ratings
from shared.simulation.visitors import (
    NOT_ANSWERING,
    SERVED,
    TURNED_AWAY,
    UNSERVED,
    WALKED_OUT,
)
from shared.store.database import Store, open_store
from shared.store.models import Service, SurveyResponse, Ticket
from shared.store.schema import upgrade_database
from tests.shared.simulation.scenarios import write_small_day
from tests.support import databases
from tests.support.actions import run
from tests.support.branches import JAKARTA, MONDAY_0800, small_branch

pytestmark = pytest.mark.slow  # whole simulated days

TUESDAY = datetime(2026, 11, 24, tzinfo=JAKARTA)
POSTGRES_DAY = f"antrean_test_day_{os.getpid()}"


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    return load_scenario(write_small_day(tmp_path))


@dataclass
class SimulatedDay:
    store: Store
    summary: DaySummary


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def simulated(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SimulatedDay]:
    """The small day, run once per database for the tests that only read what it left."""
    folder = tmp_path_factory.mktemp("day")
    if request.param == "sqlite":
        url = databases.fresh_sqlite(sqlite_template, folder)
    else:
        databases.postgres_or_skip()
        url = databases.create_postgres_database(POSTGRES_DAY)
    clock = ManualClock(MONDAY_0800)
    store = open_store(url, clock=clock)
    apply_branch_config(store, small_branch())
    scenario = load_scenario(write_small_day(folder))
    yield SimulatedDay(store, simulate_day(scenario, store, 3, clock))
    store.dispose()
    if request.param == "postgres":
        databases.drop_postgres_database(POSTGRES_DAY)


def day_events(store: Store) -> list[EventRow]:
    return list(read_events(store, "TST", TUESDAY))


def test_every_visitor_is_accounted_for_and_the_database_agrees(simulated: SimulatedDay) -> None:
    store, summary = simulated.store, simulated.summary
    assert summary.total("arrived") == len(summary.visitors) > 60
    for line in summary.services:
        assert line.balanced, line
        assert line.arrived == line.issued + line.turned_away
    for count in ("served", "transferred_out", "no_show", "walked_out", "turned_away"):
        assert summary.total(count) > 0, count  # the day exercised every way out

    with store.sessions() as session:
        tickets = {t.id: t for t in session.scalars(select(Ticket))}
        codes = {s.id: s.code for s in session.scalars(select(Service))}
    state_of = {SERVED: "done", NOT_ANSWERING: "no_show", UNSERVED: "waiting"}
    for visitor in summary.visitors:
        if visitor.outcome == TURNED_AWAY:
            assert visitor.ticket_id is None and visitor.refusal in ("closed", "full", "capacity")
            continue
        assert visitor.ticket_id is not None
        ticket = tickets.pop(visitor.ticket_id)
        expected = state_of.get(str(visitor.outcome))
        if visitor.outcome == WALKED_OUT:  # nobody tells the system: a no-show once called
            expected = "no_show" if visitor.stage.called is not None else "waiting"
        assert (ticket.label, ticket.state) == (visitor.label, expected)
        assert codes[ticket.service_id] == visitor.stage.service
    assert tickets == {}  # no ticket the simulation does not know of

    issued = Counter(codes[t.issued_service_id] for t in tickets_of(store))
    done = Counter(codes[t.service_id] for t in tickets_of(store) if t.state == "done")
    for line in summary.services:
        assert (issued[line.code], done[line.code]) == (line.issued, line.served), line.code
    snapshot = run(store, live_snapshot)
    assert {c.state for c in snapshot.counters} == {"closed"}  # every officer went home


def tickets_of(store: Store) -> list[Ticket]:
    with store.sessions() as session:
        return list(session.scalars(select(Ticket)))


def test_early_visitors_wait_at_the_door_for_the_kiosk(simulated: SimulatedDay) -> None:
    summary = simulated.summary
    day = Day(TUESDAY.date(), JAKARTA)
    opening = day.seconds(time(8))
    early = [v for v in summary.visitors if v.arrives < opening]
    assert early
    for visitor in early:
        if visitor.arrives >= opening - 45 * 60:
            assert visitor.stages[0].queued == opening
        else:
            assert (visitor.outcome, visitor.refusal) == (TURNED_AWAY, "closed")
    reset = summary.service("RESET")
    assert reset.issued == 3 and reset.refusals.get("full", 0) > 0  # the test branch's quota


def counter_changes(rows: list[EventRow], number: int) -> list[tuple[str, str]]:
    return [(r.kind, f"{r.at:%H:%M:%S}") for r in rows
            if r.counter == number and r.kind.startswith("counter.")]


def visit_end_after(rows: list[EventRow], number: int, moment: datetime) -> datetime:
    """When the counter is next free: at `moment` if idle, else when its visitor is done."""
    mine = [r for r in rows if r.counter == number and r.kind.startswith("ticket.")]
    before = [r for r in mine if r.at < moment]
    if not before or before[-1].kind not in ("ticket.call", "ticket.recall", "ticket.start"):
        return moment
    return next(r.at for r in mine if r.at >= moment
                and r.kind in ("ticket.finish", "ticket.transfer", "ticket.no_show"))


def test_absences_close_the_counter_exactly_while_the_officer_is_away(
    simulated: SimulatedDay,
) -> None:
    rows = day_events(simulated.store)
    away, back = TUESDAY.replace(hour=9), TUESDAY.replace(hour=10, minute=30)
    closed_at = visit_end_after(rows, 2, away)
    changes = counter_changes(rows, 2)
    assert changes[:3] == [
        ("counter.opened", "08:00:00"),
        ("counter.closed", f"{closed_at:%H:%M:%S}"),
        ("counter.opened", "10:30:00"),
    ]
    assert not [r for r in rows if r.counter == 2 and closed_at < r.at < back]
    # Counter 3's officer is absent from the start of the shift: it opens on their return.
    assert counter_changes(rows, 3)[0] == ("counter.opened", "09:15:00")
    assert not [r for r in rows if r.counter == 3 and r.at < TUESDAY.replace(hour=9, minute=15)]
    # The break: paused with the reason, resumed 20 minutes after it began.
    paused = [r for r in rows if r.counter == 1 and r.kind == "counter.paused"]
    assert [r.detail for r in paused] == ["istirahat"]
    resumed = next(r for r in rows if r.counter == 1 and r.kind == "counter.resumed")
    assert (resumed.at - paused[0].at).total_seconds() == 20 * 60
    assert paused[0].at == visit_end_after(rows, 1, TUESDAY.replace(hour=10))


def run_on_fresh_sqlite(template: Path, folder: Path, scenario: Scenario, seed: int) -> list:
    folder.mkdir()
    clock = ManualClock(MONDAY_0800)
    store = open_store(databases.fresh_sqlite(template, folder), clock=clock)
    try:
        apply_branch_config(store, small_branch())
        simulate_day(scenario, store, seed, clock)
        return [(r.kind, r.ticket, r.at) for r in day_events(store)]
    finally:
        store.dispose()


def test_the_same_seed_gives_the_same_day_and_another_seed_another(
    sqlite_template: Path, tmp_path: Path, scenario: Scenario
) -> None:
    first = run_on_fresh_sqlite(sqlite_template, tmp_path / "a", scenario, 3)
    again = run_on_fresh_sqlite(sqlite_template, tmp_path / "b", scenario, 3)
    other = run_on_fresh_sqlite(sqlite_template, tmp_path / "c", scenario, 4)
    assert len(first) > 300
    assert first == again
    assert first != other


def test_refuses_a_foreign_clock_a_late_clock_and_a_day_already_used(
    sqlite_url: str, scenario: Scenario
) -> None:
    clock = ManualClock(MONDAY_0800)
    store = open_store(sqlite_url, clock=clock)
    apply_branch_config(store, small_branch())
    with pytest.raises(ValueError, match="open the store with this clock"):
        simulate_day(scenario, store, 3, ManualClock(MONDAY_0800))
    simulate_day(scenario, store, 3, clock)
    late = scenario.settings.date
    with pytest.raises(ValueError, match="past the start of 2026-11-24"):
        simulate_day(scenario, store, 3, clock, business_date=late)
    used = ManualClock(MONDAY_0800)
    other = Store(store.engine, used)
    with pytest.raises(ValueError, match=r"already holds \d+ tickets of branch TST on 2026-11-24"):
        simulate_day(scenario, other, 3, used)
    store.dispose()


def test_a_monday_peak_of_about_a_thousand_visitors_runs(tmp_path: Path) -> None:
    scenario = load_scenario(SHIPPED_SCENARIOS / "monday-peak.toml")
    day = Day(scenario.settings.date, ZoneInfo("Asia/Jakarta"))
    clock = ManualClock(day.midnight)
    store = open_store(f"sqlite:///{tmp_path / 'peak.db'}", clock=clock)
    try:
        upgrade_database(store.engine)
        apply_branch_config(store, scenario.branch)
        summary = simulate_day(scenario, store, scenario.settings.seed, clock)
    finally:
        store.dispose()
    assert 850 <= summary.total("arrived") <= 1150
    assert all(line.balanced for line in summary.services)
    assert summary.service("JMO").issued == 40  # the demo branch's daily quota


def idle_spans(rows: list[EventRow]) -> dict[int, list[tuple[datetime, datetime]]]:
    """Per counter, the stretches it was open with nobody called or served."""
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    open_now: dict[int, bool] = {}
    busy: dict[int, bool] = {}
    since: dict[int, datetime] = {}
    for row in rows:
        number = row.counter
        if number is None:
            continue
        was_idle = open_now.get(number, False) and not busy.get(number, False)
        if row.kind in ("counter.opened", "counter.resumed"):
            open_now[number] = True
        elif row.kind in ("counter.closed", "counter.paused"):
            open_now[number] = False
        elif row.kind == "ticket.call":
            busy[number] = True
        elif row.kind in ("ticket.finish", "ticket.transfer", "ticket.no_show"):
            busy[number] = False
        idle_now = open_now.get(number, False) and not busy.get(number, False)
        if idle_now and not was_idle:
            since[number] = row.at
        elif was_idle and not idle_now:
            spans.setdefault(number, []).append((since[number], row.at))
    return spans


def test_no_one_waits_while_a_counter_for_them_sits_idle(simulated: SimulatedDay) -> None:
    rows = day_events(simulated.store)
    serves = {c.number: set(c.services) for c in small_branch().counters}
    spans = idle_spans(rows)
    queued: dict[str, tuple[str, datetime]] = {}
    overlaps = []
    for row in rows:
        if row.kind == "ticket.issued":
            queued[row.ticket] = (row.service, row.at)
        elif row.kind == "ticket.transfer":
            queued[row.ticket] = (row.detail.split()[1], row.at)  # detail: "to JKM"
        elif row.kind == "ticket.call":
            service, since = queued.pop(row.ticket)
            for number, stretches in spans.items():
                if service not in serves[number]:
                    continue
                for start, end in stretches:
                    both = (min(end, row.at) - max(start, since)).total_seconds()
                    if both > 10 + 1:  # the officer's call gap, and a little
                        overlaps.append((row.ticket, number, f"{start:%H:%M:%S}", both))
    assert overlaps == []
    assert len(spans) == 4  # every counter had idle moments: the check had something to check


def test_some_served_visitors_rate_the_visit_and_long_waits_cost_the_speed_rating(
    simulated: SimulatedDay,
) -> None:
    served = {v.ticket_id: v for v in simulated.summary.visitors if v.outcome == SERVED}
    with simulated.store.sessions() as session:
        responses = list(session.scalars(select(SurveyResponse)))
    assert 0 < len(responses) < len(served)
    for response in responses:
        visitor = served[response.ticket_id]  # only visitors who were served answer
        assert response.answers == visit_ratings(visitor)
        first = visitor.stages[0]
        waited = ((first.called or first.queued) - first.queued) / 60.0
        assert response.answers["speed"] == (
            4 if waited < 15 else 3 if waited < 45 else 2 if waited < 90 else 1
        )
