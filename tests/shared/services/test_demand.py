"""Demand against capacity until closing: the estimator's view and Erlang C's, per service."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.clock import ManualClock
from shared.planning.erlang import agents_needed
from shared.services import counters
from shared.services.demand import demand_outlook
from shared.services.issuing import Admission, issue_ticket
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import JAKARTA


def test_a_quiet_morning_fits_the_day(store: Store, staff: Staff, clock: ManualClock) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(3):
        run(store, issue_ticket, "JHT")
        clock.advance(600)
    outlook = {d.code: d for d in run(store, demand_outlook).services}
    jht = outlook["JHT"]
    assert (jht.waiting, jht.counters_open, jht.arrivals_last_hour) == (3, 1, 3)
    assert not jht.runs_past_closing and jht.unserved == 0
    assert jht.new_visitor is not None
    assert jht.queue_done_at is not None and jht.closing_at is not None
    assert jht.queue_done_at < jht.closing_at
    expected = agents_needed(3 / 3600, jht.visit_seconds, 30 * 60, 0.8)
    # 0.6 Erlang on one counter leaves 77 % called within 30 minutes: a second is needed.
    assert jht.counters_needed == expected == 2
    assert jht.counters_to_clear == 1
    jkm = outlook["JKM"]
    assert (jkm.waiting, jkm.arrivals_last_hour, jkm.counters_needed) == (0, 0, 0)
    assert not jkm.runs_past_closing


def test_a_late_crowd_runs_past_closing(store: Store, staff: Staff, clock: ManualClock) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    clock.set(datetime(2026, 11, 23, 14, 15, tzinfo=JAKARTA))
    for _ in range(8):  # about 100 minutes of JHT work, 45 minutes left
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    jht = next(d for d in run(store, demand_outlook).services if d.code == "JHT")
    assert jht.runs_past_closing
    assert jht.unserved > 0 or (
        jht.queue_done_at is not None
        and jht.closing_at is not None
        and jht.queue_done_at > jht.closing_at
    )
    assert jht.counters_to_clear >= 3
    assert jht.counters_needed is not None and jht.counters_needed >= 3


def test_old_arrivals_do_not_count_as_the_last_hour(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, issue_ticket, "JHT")
    clock.advance(timedelta(minutes=61))
    jht = next(d for d in run(store, demand_outlook).services if d.code == "JHT")
    assert (jht.waiting, jht.arrivals_last_hour, jht.counters_needed) == (1, 0, 0)
