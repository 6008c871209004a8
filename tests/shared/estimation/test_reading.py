"""What the estimator reads from today's trail, through the real services and database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.estimation.reading import read_queue_state
from shared.services import counters, serving
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
        clock.advance(before_call)
        called_next(store, 1, staff.ani)
        clock.advance(walk)
        run(store, serving.start, 1, staff.ani)
        clock.advance(visit)
        run(store, serving.finish, 1, staff.ani)
    with UnitOfWork(store, "TST") as uow:
        jht = uow.session.scalar(select(Service.id).where(Service.code == "JHT"))
        assert jht is not None
        observed = read_queue_state(uow).observed[jht]
    assert observed.walk_times == pytest.approx((30, 75, 20))
    assert observed.durations == pytest.approx((600, 600, 300))
