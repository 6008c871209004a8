"""Visitors owed a missed window, as PostgreSQL's call next finds them (a range of
ix_tickets_promise_ends, migration 0011): the stored procedure calls exactly whom
`calling.next_in_line` names, at the grace's very edge and down a long mixed queue.

The procedure reads the first 64 waiting visitors in plain order and, apart, those owed; only
an owed visitor behind those 64 depends on the owed range, so the queues here are longer."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select, update

from shared.clock import ManualClock
from shared.services import calling, serving
from shared.services.counters import open_counter
from shared.services.fast_calling import call_next_in_one_statement
from shared.services.issuing import Admission, issue_ticket
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.models import Counter, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import run

pytestmark = pytest.mark.postgres
GRACE_SECONDS = 600.0  # queue.promise_grace_minutes, the default


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


def issue(store: Store, clock: ManualClock, count: int, priority: bool = False) -> list[str]:
    labels = []
    for _ in range(count):
        clock.advance(30)
        ticket = run(store, issue_ticket, "JHT", priority=priority, admission=Admission.ANY_HOUR)
        labels.append(ticket.label)
    return labels


def print_window(store: Store, label: str, seconds: float) -> None:
    """The printed window's end, `seconds` after issue (written as the owner)."""
    with UnitOfWork(store, "TST") as uow:
        uow.session.execute(
            update(Ticket).where(Ticket.label == label).values(window_high_seconds=seconds)
        )
        uow.commit()


def seconds_since_issue(store: Store, label: str, clock: ManualClock) -> float:
    with UnitOfWork(store, "TST") as uow:
        issued = uow.session.scalars(select(Ticket.issued_at).where(Ticket.label == label)).one()
    return (clock.now() - issued).total_seconds()


def expected(store: Store, counter: int) -> str | None:
    """Whom the ordinary path would call now (looked at, nothing changed)."""
    with UnitOfWork(store, "TST") as uow:
        desk = uow.session.scalars(select(Counter).where(Counter.number == counter)).one()
        ticket = calling.next_in_line(uow, desk)
        return None if ticket is None else ticket.label


def fast_called(store: Store, clock: ManualClock, counter: int, officer: int) -> TicketView:
    view = call_next_in_one_statement(store, "TST", counter, officer, None, clock.now())
    assert isinstance(view, TicketView), f"the procedure gave {view!r}"
    return view


@pytest.mark.slow
@pytest.mark.parametrize("late", [0.0, 0.000001])
def test_a_window_ending_exactly_at_the_grace_is_owed_on_both_paths(
    store: Store, clock: ManualClock, staff: Staff, late: float
) -> None:
    """Owed means window end + grace <= now: at the very microsecond it is, one after it is
    not yet, and the procedure agrees with the ordinary path either way, for a visitor 70th
    in line."""
    run(store, open_counter, 1, staff.ani)
    *ahead, last = issue(store, clock, 70)
    for label in ahead:
        print_window(store, label, 7200.0)
    clock.advance(20 * 60)
    # The last one's window ends `late` seconds after now minus the grace, to the microsecond.
    window = seconds_since_issue(store, last, clock) - GRACE_SECONDS + late
    print_window(store, last, window)
    owed = late == 0.0
    assert expected(store, 1) == (last if owed else ahead[0])
    assert fast_called(store, clock, 1, staff.ani).label == (last if owed else ahead[0])


@pytest.mark.slow
def test_the_procedure_calls_a_long_mixed_queue_in_next_in_line_order(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    """Ninety visitors, some priority, printed windows of every length, some owed by now and
    more becoming owed as the clock runs: each call names whom `next_in_line` names."""
    rng = random.Random(11)
    run(store, open_counter, 1, staff.ani)
    regular = issue(store, clock, 60)
    priority = issue(store, clock, 6, priority=True)
    regular += issue(store, clock, 24)
    labels = regular + priority
    for label in labels:
        if rng.random() < 0.8:  # a few tickets have no printed window at all
            print_window(store, label, rng.uniform(60, 5400))
    clock.advance(5 * 60)
    called = []
    while (name := expected(store, 1)) is not None:
        view = fast_called(store, clock, 1, staff.ani)
        assert view.label == name
        called.append(view.label)
        run(store, serving.start, 1, staff.ani)
        run(store, serving.finish, 1, staff.ani)
        clock.advance(rng.uniform(30, 240))
    assert sorted(called) == sorted(labels)
    assert called != priority + regular  # some owed visitors did go ahead
