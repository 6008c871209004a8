"""What the estimator reads from today's trail, through the real services and database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.estimation.reading import read_queue_state
from shared.estimation.service_times import handling_time
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.models import Service
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import called_next, run


def test_the_moment_between_visitors_counts_as_counter_time(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    # Each visitor keeps the counter from the previous one leaving to their own start: the
    # officer's 45 seconds before calling A002 are counted, the 400 seconds before A003 (no one
    # to call, or a pause) are not.
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    for before_call, walk, visit in ((0, 30, 600), (45, 30, 600), (400, 20, 300)):
        _served(store, staff, clock, before_call, walk, visit)
    with UnitOfWork(store, "TST") as uow:
        observed = read_queue_state(uow).observed[_jht(uow)]
    assert observed.walk_times == pytest.approx((30, 75, 20))
    assert observed.durations == pytest.approx((600, 600, 300))


def _served(
    store: Store, staff: Staff, clock: ManualClock, before_call: float, walk: float, visit: float
) -> None:
    """Counter 1 calls `before_call` seconds on; the visitor walks up and is served."""
    clock.advance(before_call)
    called_next(store, 1, staff.ani)
    clock.advance(walk)
    run(store, serving.start, 1, staff.ani)
    clock.advance(visit)
    run(store, serving.finish, 1, staff.ani)


def _no_show(store: Store, staff: Staff, clock: ManualClock, before_call: float) -> None:
    """The officer calls `before_call` seconds after the counter came free, recalls twice a
    minute apart and gives up a minute later: three minutes from the first call."""
    clock.advance(before_call)
    called_next(store, 1, staff.ani)
    for _ in range(2):
        clock.advance(60)
        run(store, calling.recall, 1, staff.ani)
    clock.advance(60)
    run(store, serving.no_show, 1, staff.ani)


def _jht(uow: UnitOfWork) -> int:
    jht = uow.session.scalar(select(Service.id).where(Service.code == "JHT"))
    assert jht is not None
    return jht


def test_a_no_show_costs_the_turnaround_and_calls_and_the_next_visitor_its_turnaround(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    # A001 is served; 20 s later A002 is called and given up on after 180 s; 15 s later A003
    # is called. The 20 s belong to the no-show, the 15 s to A003's walk (they were lost).
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    _served(store, staff, clock, 0, 30, 600)
    _no_show(store, staff, clock, before_call=20)
    _served(store, staff, clock, 15, 25, 300)
    with UnitOfWork(store, "TST") as uow:
        observed = read_queue_state(uow).observed[_jht(uow)]
    assert observed.no_show_costs == pytest.approx((200,))
    assert observed.walk_times == pytest.approx((30, 40))


def test_earlier_days_say_what_a_no_show_costs_until_today_has_shown_enough(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    # Yesterday twelve no-shows cost 3 min 10 s each (10 s turnaround, three calls); this
    # morning nobody has been given up on yet, so that, not a fixed 150 s, is what one costs.
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(12):
        run(store, issue_ticket, "JHT")
    for _ in range(12):
        _no_show(store, staff, clock, before_call=10)
    run(store, counters.close_counter, 1, staff.ani)
    clock.advance(24 * 3600)  # the next day, a Tuesday
    with UnitOfWork(store, "TST") as uow:
        state = read_queue_state(uow)
        costs = state.observed[_jht(uow)].no_show_costs
        cost = handling_time(600.0, state.observed[_jht(uow)]).no_show_cost
    assert costs[-11:] == pytest.approx((190,) * 11)
    assert cost > 180
