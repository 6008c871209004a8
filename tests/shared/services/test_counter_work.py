"""Calling and serving: the lifecycle of docs/design.md, call order, roles, limits and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.errors import InvalidTransition, NotAllowed, NotFound
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.snapshot import live_snapshot
from shared.store.database import Store
from shared.store.models import Event
from tests.conftest import Staff
from tests.support.actions import called_next, run


@pytest.fixture
def open_desks(store: Store, staff: Staff) -> Staff:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    run(store, counters.open_counter, 3, staff.citra)
    return staff


def events(store: Store) -> list[tuple[str, str | None, str | None]]:
    with store.sessions() as session:
        rows = session.scalars(select(Event).where(Event.ticket_id.is_not(None)).order_by(Event.id))
        return [(e.kind, e.from_state, e.to_state) for e in rows]


def test_full_visit_leaves_one_event_per_transition(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    called = called_next(store, 1, open_desks.ani)
    assert (called.label, called.state, called.counter_number) == ("A001", "called", 1)
    run(store, calling.recall, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    finished = run(store, serving.finish, 1, open_desks.ani, "documents_incomplete")
    assert (finished.state, finished.outcome) == ("done", "documents_incomplete")
    assert events(store) == [
        ("ticket.issued", None, "waiting"),
        ("ticket.call", "waiting", "called"),
        ("ticket.recall", "called", "called"),
        ("ticket.start", "called", "serving"),
        ("ticket.finish", "serving", "done"),
    ]


def test_fifo_within_a_service_and_priority_first(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    for _ in range(3):
        run(store, issue_ticket, "JHT")
        clock.advance(60)
    run(store, issue_ticket, "JHT", priority=True)
    order = []
    for _ in range(4):
        ticket = run(store, calling.call_next, 1, open_desks.ani)
        assert ticket is not None
        order.append(ticket.label)
        run(store, serving.start, 1, open_desks.ani)
        run(store, serving.finish, 1, open_desks.ani)
    assert order == ["A004", "A001", "A002", "A003"]
    assert run(store, calling.call_next, 1, open_desks.ani) is None


def test_due_booking_before_walk_ins(store: Store, open_desks: Staff, clock: ManualClock) -> None:
    run(store, issue_ticket, "JHT")
    clock.advance(60)
    run(store, issue_ticket, "JHT", due_at=clock.now() + timedelta(minutes=30))
    run(store, issue_ticket, "JHT", due_at=clock.now() - timedelta(minutes=1))
    assert called_next(store, 1, open_desks.ani).label == "A003"


def test_longest_waiting_across_services_or_service_order(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, issue_ticket, "JKM")
    clock.advance(60)
    run(store, issue_ticket, "JHT")
    # Counter 3 serves JKM, JHT by longest wait; counter 2 prefers JHT (service order).
    assert called_next(store, 2, open_desks.budi).label == "A001"
    assert called_next(store, 3, open_desks.citra).label == "B001"


def test_counter_only_calls_its_services(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JKM")
    assert run(store, calling.call_next, 1, open_desks.ani) is None
    with pytest.raises(NotAllowed, match="does not serve"):
        run(store, calling.call_ticket, 1, open_desks.ani, "B001", "visitor in wheelchair")


def test_call_specific_number_needs_a_reason(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    with pytest.raises(NotAllowed, match="reason"):
        run(store, calling.call_ticket, 1, open_desks.ani, "A002", "  ")
    called = run(store, calling.call_ticket, 1, open_desks.ani, "a002", "came back from ATM")
    assert called.label == "A002"
    with pytest.raises(NotFound):
        run(store, calling.call_ticket, 2, open_desks.budi, "A999", "x")


def test_recall_limit_then_no_show_and_auto_no_show_on_next(
    store: Store, open_desks: Staff
) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, calling.recall, 1, open_desks.ani)
    third = run(store, calling.recall, 1, open_desks.ani)
    assert third.call_count == 3
    with pytest.raises(InvalidTransition, match="limit"):
        run(store, calling.recall, 1, open_desks.ani)
    # Calling next after the limit marks the absent visitor no-show.
    assert called_next(store, 1, open_desks.ani).label == "A002"
    assert ("ticket.no_show", "called", "no_show") in events(store)


def test_call_next_refused_while_serving(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    with pytest.raises(InvalidTransition, match="still called"):
        run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    with pytest.raises(InvalidTransition, match="still serving"):
        run(store, calling.call_next, 1, open_desks.ani)


def test_no_show_then_reinstate_within_grace_only(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.no_show, 1, open_desks.ani)
    clock.advance(timedelta(minutes=10))
    back = run(store, serving.reinstate, open_desks.ani, "A001")
    assert (back.state, back.call_count) == ("waiting", 0)
    # Its original place: called before A002.
    assert called_next(store, 1, open_desks.ani).label == "A001"
    run(store, serving.no_show, 1, open_desks.ani)
    clock.advance(timedelta(minutes=31))
    with pytest.raises(InvalidTransition, match="more than 30 minutes"):
        run(store, serving.reinstate, open_desks.ani, "A001")


def test_transfer_keeps_number_and_place_unless_the_service_says_otherwise(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, issue_ticket, "JHT")  # A001
    clock.advance(60)
    run(store, issue_ticket, "JKM")  # B001
    clock.advance(60)
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    # JKM is configured not to keep the place: A001 goes behind B001.
    moved = run(store, serving.transfer, 1, open_desks.ani, "JKM", "needs death certificate check")
    assert (moved.label, moved.service_code, moved.state) == ("A001", "JKM", "waiting")
    assert called_next(store, 3, open_desks.citra).label == "B001"
    run(store, serving.start, 3, open_desks.citra)
    run(store, serving.finish, 3, open_desks.citra)
    assert called_next(store, 3, open_desks.citra).label == "A001"
    run(store, serving.start, 3, open_desks.citra)
    # Back to JHT, which keeps the place: ahead of a later JHT ticket.
    clock.advance(60)
    run(store, issue_ticket, "JHT")  # A002
    run(store, serving.transfer, 3, open_desks.citra, "JHT")
    assert called_next(store, 1, open_desks.ani).label == "A001"


def test_hold_frees_the_counter_and_resume_brings_it_back(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    assert run(store, serving.hold, 1, open_desks.ani).state == "held"
    run(store, calling.call_next, 1, open_desks.ani)
    with pytest.raises(InvalidTransition, match="busy with A002"):
        run(store, serving.resume, 1, open_desks.ani, "A001")
    run(store, serving.start, 1, open_desks.ani)
    run(store, serving.finish, 1, open_desks.ani)
    with pytest.raises(NotAllowed, match="another counter"):
        run(store, serving.resume, 2, open_desks.budi, "A001")
    assert run(store, serving.resume, 1, open_desks.ani, "A001").state == "serving"
    with pytest.raises(InvalidTransition, match=r"on hold|busy"):
        run(store, counters.close_counter, 1, open_desks.ani)


def test_cancel_is_for_supervisors_with_a_reason(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    with pytest.raises(NotAllowed, match="supervisor"):
        run(store, serving.cancel, open_desks.ani, "A001", "duplicate")
    with pytest.raises(NotAllowed, match="reason"):
        run(store, serving.cancel, open_desks.sri, "A001", "")
    assert run(store, serving.cancel, open_desks.sri, "A001", "duplicate").state == "cancelled"
    with pytest.raises(InvalidTransition, match="is cancelled"):
        run(store, serving.cancel, open_desks.sri, "A001", "again")


def test_invalid_transitions_are_refused_plainly(store: Store, open_desks: Staff) -> None:
    with pytest.raises(InvalidTransition, match="no ticket now"):
        run(store, serving.start, 1, open_desks.ani)
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    with pytest.raises(InvalidTransition, match="finish needs it to be serving"):
        run(store, serving.finish, 1, open_desks.ani)
    with pytest.raises(InvalidTransition, match="hold needs it to be serving"):
        run(store, serving.hold, 1, open_desks.ani)
    with pytest.raises(NotAllowed, match="unknown outcome"):
        run(store, serving.finish, 1, open_desks.ani, "great")


def test_repeated_counter_requests_have_one_effect(store: Store, open_desks: Staff) -> None:
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    first = called_next(store, 1, open_desks.ani, request_id="r1")
    again = called_next(store, 1, open_desks.ani, request_id="r1")
    assert first.label == again.label == "A001"
    run(store, serving.start, 1, open_desks.ani, request_id="r2")
    done = run(store, serving.finish, 1, open_desks.ani, request_id="r3")
    assert run(store, serving.finish, 1, open_desks.ani, request_id="r3") == done
    assert [k for k, _, _ in events(store)].count("ticket.call") == 1


def test_counter_states_and_roles(store: Store, staff: Staff) -> None:
    run(store, issue_ticket, "JHT")
    with pytest.raises(NotAllowed, match="not open under your name"):
        run(store, calling.call_next, 1, staff.ani)
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 1, staff.ani)  # repeated: no effect
    with pytest.raises(InvalidTransition, match="another officer"):
        run(store, counters.open_counter, 1, staff.budi)
    with pytest.raises(NotAllowed, match="still at counter 1"):
        run(store, counters.open_counter, 2, staff.ani)
    with pytest.raises(NotAllowed, match="reason"):
        run(store, counters.pause_counter, 1, staff.ani, "")
    run(store, counters.pause_counter, 1, staff.ani, "istirahat")
    with pytest.raises(NotAllowed, match="paused"):
        run(store, calling.call_next, 1, staff.ani)
    with pytest.raises(NotAllowed, match="supervisor"):
        run(store, counters.resume_counter, 1, staff.budi)
    run(store, counters.resume_counter, 1, staff.sri)  # a supervisor may act for anyone
    assert called_next(store, 1, staff.ani).label == "A001"
    with pytest.raises(InvalidTransition, match="busy with A001"):
        run(store, counters.close_counter, 1, staff.ani)
    run(store, serving.no_show, 1, staff.ani)
    run(store, counters.close_counter, 1, staff.ani)
    line = run(store, live_snapshot).counter(1)
    assert (line.state, line.officer_name) == ("closed", None)


def test_reassigning_services_is_for_supervisors(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, issue_ticket, "JKM")
    with pytest.raises(NotAllowed, match="supervisor"):
        run(store, counters.assign_services, 1, staff.ani, ["JKM"])
    with pytest.raises(NotFound):
        run(store, counters.assign_services, 1, staff.sri, ["NOPE"])
    run(store, counters.assign_services, 1, staff.sri, ["JKM", "JHT"])
    assert called_next(store, 1, staff.ani).label == "B001"
    assert run(store, live_snapshot).counter(1).service_codes == ("JKM", "JHT")


def test_snapshot_counts(store: Store, open_desks: Staff, clock: ManualClock) -> None:
    for code in ["JHT", "JHT", "JHT", "JKM"]:
        run(store, issue_ticket, code)
    clock.advance(300)
    run(store, calling.call_next, 1, open_desks.ani)
    snap = run(store, live_snapshot)
    jht = snap.service("JHT")
    assert (jht.waiting, jht.called, jht.issued_today) == (2, 1, 3)
    assert jht.oldest_wait_seconds == pytest.approx(300)
    assert snap.counter(1).current_label == "A001"
    assert snap.counter(4).state == "closed"


def test_a_request_id_reused_for_another_action_is_another_request(
    store: Store, open_desks: Staff
) -> None:
    """A request is its action and caller with its id: the same id for another action (or
    from another officer) never gets the first one's answer."""
    issued = run(store, issue_ticket, "JHT", request_id="x")
    called = run(store, calling.call_next, 1, open_desks.ani, request_id="x")
    assert called is not None and called.label == issued.label
    assert run(store, live_snapshot).counter(1).current_label == issued.label
    again = run(store, issue_ticket, "JHT", request_id="x")
    assert again.id == issued.id  # the kiosk's own replay
    # Budi's "call next" with Ani's request id is Budi's own: a call at his counter.
    budi = run(store, calling.call_next, 2, open_desks.budi, request_id="x")
    assert budi is None or budi.id != called.id


def test_a_held_ticket_is_not_resumed_at_a_paused_counter(store: Store, open_desks: Staff) -> None:
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    run(store, serving.hold, 1, open_desks.ani)
    run(store, counters.pause_counter, 1, open_desks.ani, "istirahat")
    with pytest.raises(NotAllowed, match="paused"):
        run(store, serving.resume, 1, open_desks.ani, "A001")
    run(store, counters.resume_counter, 1, open_desks.ani)
    assert run(store, serving.resume, 1, open_desks.ani, "A001").state == "serving"
