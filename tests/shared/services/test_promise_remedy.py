"""A promise with a remedy: a visitor not called by the end of their printed window plus the
grace goes ahead of those not yet owed, once, on both call-next paths."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from shared.clock import ManualClock
from shared.services import calling, serving
from shared.services.counters import open_counter
from shared.services.fast_calling import call_next_in_one_statement
from shared.services.issuing import Admission, issue_ticket
from shared.services.promises import PromiseKept, branch_promise_kept, promises_kept
from shared.services.setup import apply_branch_config
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.models import Counter, Service, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import small_branch

GRACE_MINUTES = 10  # the configured default (queue.promise_grace_minutes)


def issue(store: Store, clock: ManualClock, count: int) -> list[str]:
    labels = []
    for _ in range(count):
        clock.advance(30)
        ticket = run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
        labels.append(ticket.label)
    return labels


def promise(store: Store, label: str, minutes: float) -> None:
    """Print a window on this ticket ending `minutes` after issue (as the owner)."""
    with UnitOfWork(store, "TST") as uow:
        uow.session.execute(
            update(Ticket).where(Ticket.label == label).values(window_high_seconds=60.0 * minutes)
        )
        uow.commit()


def serve(store: Store, counter: int, officer: int) -> None:
    run(store, serving.start, counter, officer)
    run(store, serving.finish, counter, officer)


def test_a_missed_window_goes_ahead_once_past_the_grace(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    run(store, open_counter, 1, staff.ani)
    first, second, third = issue(store, clock, 3)
    for label in (first, second, third):
        promise(store, label, 120)
    promise(store, third, 5)
    # Past the window's end but inside the grace: not owed yet, the order holds.
    clock.advance(60 * (5 + GRACE_MINUTES - 2))
    assert called_next(store, 1, staff.ani).label == first
    serve(store, 1, staff.ani)
    # Past the grace: the third visitor is called before the second.
    clock.advance(3 * 60)
    assert called_next(store, 1, staff.ani).label == third
    serve(store, 1, staff.ani)
    assert called_next(store, 1, staff.ani).label == second


def test_the_remedy_is_given_once_a_called_visitor_back_in_line_waits_in_turn(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    run(store, open_counter, 1, staff.ani)
    first, second = issue(store, clock, 2)
    promise(store, first, 120)
    promise(store, second, 1)
    clock.advance(60 * (1 + GRACE_MINUTES + 1))
    with UnitOfWork(store, "TST") as uow:
        # Called once already (as after a no-show reinstated): the promise was met by a call.
        uow.session.execute(
            update(Ticket).where(Ticket.label == second).values(first_called_at=uow.now())
        )
        uow.commit()
    assert called_next(store, 1, staff.ani).label == first


@pytest.mark.parametrize("grace", [0, 30])
def test_both_paths_read_the_branch_grace(
    store: Store, clock: ManualClock, staff: Staff, grace: int
) -> None:
    """The stored procedure (call next on PostgreSQL) and `next_in_line` (the ordinary path)
    read the grace the branch configured."""
    config = small_branch()
    queue = config.queue.model_copy(update={"promise_grace_minutes": grace})
    apply_branch_config(store, config.model_copy(update={"queue": queue}))
    run(store, open_counter, 1, staff.ani)
    first, second, third = issue(store, clock, 3)
    promise(store, first, 120)
    promise(store, second, 120)
    promise(store, third, 2)
    clock.advance(60 * (2 + grace) - 5)
    with UnitOfWork(store, "TST") as uow:
        counter = uow.session.query(Counter).filter_by(number=1).one()
        ticket = calling.next_in_line(uow, counter)
        assert ticket is not None and ticket.label == first
    clock.advance(10)
    with UnitOfWork(store, "TST") as uow:
        counter = uow.session.query(Counter).filter_by(number=1).one()
        ticket = calling.next_in_line(uow, counter)
        assert ticket is not None and ticket.label == third
    if store.dialect == "postgresql":  # the procedure decides it, no fallback
        fast = call_next_in_one_statement(store, "TST", 1, staff.ani, None, clock.now())
        assert isinstance(fast, TicketView) and fast.label == third
    else:
        assert called_next(store, 1, staff.ani).label == third


def test_the_promise_kept_rate_counts_decided_promises_only(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    run(store, open_counter, 1, staff.ani)
    early, inside, missed, open_still = issue(store, clock, 4)
    with UnitOfWork(store, "TST") as uow:
        for label in (early, inside, missed, open_still):
            uow.session.execute(
                update(Ticket).where(Ticket.label == label)
                .values(window_low_seconds=600.0, window_high_seconds=1200.0)
            )
        uow.session.execute(update(Ticket).where(Ticket.label == open_still)
                            .values(window_high_seconds=7200.0))
        uow.commit()
    clock.advance(5 * 60)  # before the windows open
    assert called_next(store, 1, staff.ani).label == early
    serve(store, 1, staff.ani)
    clock.advance(8 * 60)  # inside them
    assert called_next(store, 1, staff.ani).label == inside
    serve(store, 1, staff.ani)
    clock.advance(10 * 60)  # the third's window ended uncalled; the fourth's is still open
    with UnitOfWork(store, "TST") as uow:
        jht = uow.session.query(Service).filter_by(code="JHT").one().id
        assert promises_kept(uow)[jht] == PromiseKept(1, 3)
        assert promises_kept(uow)[jht].rate == pytest.approx(1 / 3)
        assert branch_promise_kept(uow, clock.now().date()) == PromiseKept(1, 3)
