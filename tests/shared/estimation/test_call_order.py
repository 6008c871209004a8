"""The estimate plays the queue forward in the order the counter will really call it, visitors
owed a missed window ("janji terlewat") included: on the real store, each call at the instant
the estimate expects it names the visitor the estimate put next."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import update

from shared.clock import ManualClock
from shared.estimation.estimator import estimate_queue
from shared.services import serving
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.store.database import Store
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import called_next, run


def test_the_projection_calls_in_the_counters_order_owed_visitors_included(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    """Counter 3 takes JKM and JHT by the longest wait. Some printed windows are missed by
    now, more will be missed while the queue is worked through, so owed visitors of either
    service go ahead of longer-waiting ones at different moments."""
    rng = random.Random(5)
    run(store, open_counter, 3, staff.ani)
    ids = []
    for index in range(24):
        clock.advance(45)
        service = "JKM" if index % 3 == 0 else "JHT"
        ticket = run(store, issue_ticket, service, admission=Admission.ANY_HOUR)
        ids.append(ticket.id)
    with UnitOfWork(store, "TST") as uow:
        for ticket_id in ids:
            # Windows of every length: a few already missed, most missed later today.
            uow.session.execute(update(Ticket).where(Ticket.id == ticket_id)
                                .values(window_high_seconds=rng.uniform(60.0, 4 * 3600.0)))
        uow.commit()
    clock.advance(15 * 60)
    start = clock.now()
    with UnitOfWork(store, "TST", read_only=True) as uow:
        estimate = estimate_queue(uow)
    planned = sorted(ids, key=lambda i: estimate.tickets[i].expected_seconds)
    for ticket_id in planned:
        expected = timedelta(seconds=estimate.tickets[ticket_id].expected_seconds)
        clock.set(max(clock.now(), start + expected))
        view = called_next(store, 3, staff.ani)
        assert view.id == ticket_id, f"the counter called {view.label}, the estimate another"
        run(store, serving.start, 3, staff.ani)
        run(store, serving.finish, 3, staff.ani)
    # First come first served across both services, but for the owed.
    assert planned != sorted(ids), "the windows drawn put nobody ahead: the test shows nothing"

