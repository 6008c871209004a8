"""A simulated absence left open and silent, or planned in the roster before the day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from shared.clock import ManualClock
from shared.services import roster
from shared.services.runner import attempt
from shared.simulation import load_scenario, simulate_day
from shared.simulation.event_log import read_events
from shared.store.database import Store
from tests.shared.simulation.scenarios import SMALL_DAY, write_small_day
from tests.support.branches import JAKARTA

TUESDAY = datetime(2026, 11, 24, tzinfo=JAKARTA)
ABSENT = 'absent = [["09:00", "10:30"]]\n'


def simulate(store: Store, clock: ManualClock, folder: Path, kind: str) -> list:
    text = SMALL_DAY.replace(ABSENT, ABSENT + f'absence_kind = "{kind}"\n', 1)
    simulate_day(load_scenario(write_small_day(folder, text)), store, 3, clock)
    return list(read_events(store, "TST", TUESDAY))


def test_a_silent_absence_leaves_the_counter_open_and_calling_nobody(
    store: Store, clock: ManualClock, tmp_path: Path
) -> None:
    rows = simulate(store, clock, tmp_path, "silent")
    moves = [r.kind for r in rows if r.counter == 2 and r.kind.startswith("counter.")]
    assert moves[0] == "counter.opened" and "counter.closed" not in moves[:-1]
    away = [r for r in rows if r.counter == 2 and r.kind == "ticket.call"
            and TUESDAY.replace(hour=9, minute=20) < r.at < TUESDAY.replace(hour=10, minute=30)]
    assert away == []
    assert any(r.counter == 2 and r.kind == "ticket.call" and r.at >= TUESDAY.replace(hour=10,
               minute=30) for r in rows)


def test_a_rostered_absence_is_in_the_roster_before_the_first_ticket(
    store: Store, clock: ManualClock, tmp_path: Path
) -> None:
    rows = simulate(store, clock, tmp_path, "rostered")
    lines = attempt(store, "TST", lambda uow: roster.roster(uow, TUESDAY.date()))
    assert [(x.counter_number, x.starts_at.astimezone(JAKARTA).strftime("%H:%M"),
             x.ends_at.astimezone(JAKARTA).strftime("%H:%M")) for x in lines] == [
        (2, "09:00", "10:30")
    ]
    entered = next(r.at for r in rows if r.kind == "counter.roster_added")
    first_ticket = min(r.at for r in rows if r.kind == "ticket.issued")
    assert entered < first_ticket
    moves = [r.kind for r in rows if r.counter == 2 and r.kind.startswith("counter.c")]
    assert "counter.closed" in moves  # the counter itself is closed as with any absence
