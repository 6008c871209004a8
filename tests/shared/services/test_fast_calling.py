"""PostgreSQL's call next in one CALL: the same effects as the ordinary path, or a fall-back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.changes import watch_changes
from shared.clock import ManualClock
from shared.services import calling, counters, serving
from shared.services.fast_calling import FALL_BACK, FallBack, call_next_in_one_statement
from shared.services.issuing import Admission, issue_ticket
from shared.services.snapshot import live_snapshot
from shared.services.tickets import find_ticket
from shared.services.views import TicketView, ticket_view
from shared.store.database import Store
from shared.store.models import Event, ProcessedRequest, Ticket
from shared.store.unit_of_work import UnitOfWork, request_key
from tests.conftest import Staff
from tests.support.actions import called_next, run

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


def fast(
    store: Store, counter: int, officer: int, request: str | None = None
) -> TicketView | FallBack | None:
    assert store.clock is not None
    return call_next_in_one_statement(store, "TST", counter, officer, request, store.clock.now())


def fast_called(store: Store, counter: int, officer: int) -> TicketView:
    """The ticket the one statement called: the test fails here if it decided otherwise."""
    view = fast(store, counter, officer)
    assert isinstance(view, TicketView), f"the statement gave {view!r}"
    return view


def test_one_statement_calls_audits_points_and_notifies(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT", priority=True)
    watcher = watch_changes(store, "TST")
    try:
        called = fast(store, 1, staff.ani, "press-1")
        notices = watcher.wait(5)
    finally:
        watcher.close()
    assert called is not FALL_BACK and called is not None
    assert (called.label, called.state, called.counter_number, called.call_count) == (
        "A002",
        "called",
        1,
        1,
    )  # the priority visitor first
    assert [c.kind for c in notices] == ["ticket.call"]
    with store.sessions() as session:
        event = session.scalars(select(Event).where(Event.kind == "ticket.call")).one()
        assert (event.from_state, event.to_state, event.ticket_id) == (
            "waiting",
            "called",
            called.id,
        )
        # Kept under the key the ordinary path looks up: the officer's, for call next.
        key = request_key(event.branch_id, "press-1", "call_next", f"officer {staff.ani}")
        request = session.get(ProcessedRequest, key)
        assert request is not None and request.ticket_id == called.id
    assert run(store, live_snapshot).counter(1).current_label == "A002"
    # The same press again is answered by the ordinary path, from the request record.
    assert fast(store, 1, staff.ani, "press-1") is FALL_BACK
    assert called_next(store, 1, staff.ani, request_id="press-1").label == "A002"


def test_anything_unusual_falls_back(store: Store, staff: Staff) -> None:
    run(store, issue_ticket, "JHT")
    assert fast(store, 1, staff.ani) is FALL_BACK  # counter closed
    run(store, counters.open_counter, 1, staff.ani)
    assert fast(store, 1, staff.budi) is FALL_BACK  # not this officer's counter
    assert fast_called(store, 1, staff.ani).label == "A001"
    assert fast(store, 1, staff.ani) is FALL_BACK  # a visitor is still called here
    run(store, serving.no_show, 1, staff.ani)
    assert fast(store, 1, staff.ani) is None  # nobody waiting
    assert fast(store, 1, staff.sri) is None  # a supervisor may call for the counter


def test_a_no_show_at_the_limit_is_marked_in_the_same_statement(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    assert fast_called(store, 1, staff.ani).label == "A001"
    run(store, calling.recall, 1, staff.ani)
    assert fast(store, 1, staff.ani) is FALL_BACK  # called twice: below the limit of 3
    run(store, calling.recall, 1, staff.ani)
    watcher = watch_changes(store, "TST")
    try:
        assert fast_called(store, 1, staff.ani).label == "A002"
        kinds = [c.kind for c in watcher.wait(5)]
    finally:
        watcher.close()
    assert kinds == ["ticket.no_show", "ticket.call"]
    snapshot = run(store, live_snapshot)
    assert snapshot.counter(1).current_label == "A002"
    # Nobody left: the next press marks A002 no-show too and frees the counter.
    run(store, calling.recall, 1, staff.ani)
    run(store, calling.recall, 1, staff.ani)
    assert fast(store, 1, staff.ani) is None
    assert run(store, live_snapshot).counter(1).current_label is None


def lock_heads(store: Store, labels: list[str]) -> Session:
    """Another counter's transaction holding these tickets (as SKIP LOCKED sees them)."""
    session = store.sessions()
    session.begin()
    session.execute(select(Ticket.id).where(Ticket.label.in_(labels)).with_for_update())
    return session


def test_the_order_is_read_off_each_services_head(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 2, staff.budi)  # serves JHT, then JKM
    for _ in range(300):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    run(store, issue_ticket, "JKM", priority=True, admission=Admission.ANY_HOUR)
    # A booking due now, 301st in line.
    run(store, issue_ticket, "JHT", due_at=clock.now(), admission=Admission.ANY_HOUR)
    views = [fast_called(store, 2, staff.budi)]
    run(store, serving.no_show, 2, staff.budi)
    views.append(fast_called(store, 2, staff.budi))
    run(store, serving.no_show, 2, staff.budi)
    views.append(fast_called(store, 2, staff.budi))
    assert [(v.label, v.booked) for v in views] == [
        ("B001", False), ("A301", True), ("A001", False)
    ]
    # The view the statement returns is the one the ordinary path would give.
    with UnitOfWork(store, "TST") as uow:
        assert views[2] == ticket_view(uow, find_ticket(uow, "A001"))


def test_tickets_held_by_other_counters_are_skipped_or_the_ordinary_path_decides(
    store: Store, staff: Staff
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(80):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    other = lock_heads(store, [f"A{n:03d}" for n in range(1, 11)])
    try:
        assert fast_called(store, 1, staff.ani).label == "A011"
    finally:
        other.rollback()
        other.close()
    run(store, serving.no_show, 1, staff.ani)
    # Every candidate the statement reads is held: it changes nothing and leaves it to the
    # ordinary path, which finds the first free ticket further back.
    other = lock_heads(store, [f"A{n:03d}" for n in range(1, 70)])
    try:
        assert fast(store, 1, staff.ani) is FALL_BACK
        with store.sessions() as session:
            assert session.scalar(select(func.count()).where(Event.kind == "ticket.call")) == 1
    finally:
        other.rollback()
        other.close()
    assert called_next(store, 1, staff.ani).label == "A001"


def test_a_claim_from_another_service_waits_for_a_full_list_held_by_other_counters(
    store: Store, staff: Staff
) -> None:
    run(store, counters.open_counter, 3, staff.citra)  # serves JKM and JHT, first come first
    for _ in range(70):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    run(store, issue_ticket, "JKM", admission=Admission.ANY_HOUR)  # B001, after every A
    # All 64 JHT candidates are held; B001 is free, but A065, behind the list, came first.
    other = lock_heads(store, [f"A{n:03d}" for n in range(1, 65)])
    try:
        assert fast(store, 3, staff.citra) is FALL_BACK
        assert called_next(store, 3, staff.citra).label == "A065"
    finally:
        other.rollback()
        other.close()
