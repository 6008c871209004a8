"""Many tickets' statuses in one read (the live pages' batch) give exactly what reading each
ticket alone gives: places in the queue with priority visitors and due bookings, windows,
calls, misses, the survey."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.clock import ManualClock
from shared.services import calling, counters, officers, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.services.ticket_status import ticket_status
from shared.services.ticket_statuses import ticket_statuses
from shared.store.database import Store, open_store
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support import databases
from tests.support.actions import run
from tests.support.branches import MONDAY_0800, small_branch


def one_by_one_and_together(store: Store, tokens: list[str]) -> None:
    with UnitOfWork(store, "TST", read_only=True) as uow:
        alone = {token: ticket_status(uow, token) for token in tokens}
    together = attempt(store, "TST", lambda uow: ticket_statuses(uow, [*tokens, "no-such"]),
                       read_only=True)
    assert together == alone


def test_a_mixed_queue_reads_the_same_together_as_alone(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    tokens = []
    for service, priority, due_minutes in [
        ("JHT", False, None), ("JHT", True, None), ("JHT", False, 30), ("JKM", False, None),
        ("JHT", False, None), ("JHT", False, -10), ("JHT", True, None), ("JKM", True, None),
        ("JHT", False, None), ("JHT", False, None),
    ]:
        due = clock.now() + timedelta(minutes=due_minutes) if due_minutes is not None else None
        tokens.append(run(store, issue_ticket, service, priority=priority, due_at=due,
                          admission=Admission.ANY_HOUR).token)
        clock.advance(timedelta(seconds=40))
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    run(store, calling.call_next, 1, staff.ani)  # served, then done: the survey opens
    run(store, serving.start, 1, staff.ani)
    run(store, serving.finish, 1, staff.ani)
    run(store, calling.call_next, 1, staff.ani)  # called, then missed: reinstatable a while
    run(store, serving.no_show, 1, staff.ani)
    run(store, calling.call_next, 2, staff.budi)  # called now
    one_by_one_and_together(store, tokens)
    clock.advance(timedelta(minutes=45))  # a booking falls due; the missed one's grace ends
    one_by_one_and_together(store, tokens)


@pytest.mark.slow  # hypothesis: fifteen fresh databases
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(visitors=st.lists(st.tuples(st.booleans(), st.sampled_from([None, -20, 5, 60])),
                         min_size=1, max_size=12),
       calls=st.integers(min_value=0, max_value=3))
def test_any_queue_reads_the_same_together_as_alone(
    sqlite_template: Path, visitors: list[tuple[bool, int | None]], calls: int
) -> None:
    clock = ManualClock(MONDAY_0800)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(databases.fresh_sqlite(sqlite_template, Path(folder)), clock=clock)
        try:
            apply_branch_config(store, small_branch())
            tokens = []
            for priority, due_minutes in visitors:
                due = (clock.now() + timedelta(minutes=due_minutes)
                       if due_minutes is not None else None)
                tokens.append(run(store, issue_ticket, "JHT", priority=priority, due_at=due,
                                  admission=Admission.ANY_HOUR).token)
                clock.advance(timedelta(seconds=5))
            officer = run(store, officers.add_officer, "ani", "Ani", "officer", "1234").id
            run(store, counters.open_counter, 1, officer)
            for _ in range(calls):
                if run(store, calling.call_next, 1, officer) is None:
                    break
                run(store, serving.start, 1, officer)
                run(store, serving.finish, 1, officer)
            one_by_one_and_together(store, tokens)
        finally:
            store.dispose()
