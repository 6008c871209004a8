"""The counter screen's reads: desk view, the officer's day, the supervisor's board."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import ManualClock
from shared.services import calling, counters, desk, kiosks, serving
from shared.services.desk import desk_view
from shared.services.issuing import issue_ticket
from shared.services.officer_day import officer_day
from shared.services.supervision import board_view
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run


@pytest.fixture
def open_desks(store: Store, staff: Staff) -> Staff:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    return staff


def serve(store: Store, counter: int, officer: int, clock: ManualClock, minutes: float) -> str:
    ticket = run(store, calling.call_next, counter, officer)
    assert ticket is not None
    run(store, serving.start, counter, officer)
    clock.advance(timedelta(minutes=minutes))
    run(store, serving.finish, counter, officer)
    return ticket.label


def test_the_queue_is_shown_in_the_order_call_next_takes_it(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, issue_ticket, "JKM")
    clock.advance(60)
    run(store, issue_ticket, "JHT")
    clock.advance(60)
    run(store, issue_ticket, "JHT", due_at=clock.now() - timedelta(minutes=1))
    run(store, issue_ticket, "JHT", priority=True)
    run(store, issue_ticket, "RESET")  # not served at counter 2
    for number in (1, 2):
        shown = [t.label for t in run(store, desk_view, number).queue]
        called = []
        while (
            ticket := run(
                store, calling.call_next, number, open_desks.ani if number == 1 else open_desks.budi
            )
        ) is not None:
            called.append(ticket.label)
            run(store, serving.no_show, number, open_desks.ani if number == 1 else open_desks.budi)
        if number == 1:
            assert shown == called == ["A003", "A002", "A001"]
        else:  # counter 2 prefers JHT (service order), then JKM
            assert shown == called == ["B001"]


def test_current_ticket_held_tickets_and_transfer_note(
    store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    clock.advance(timedelta(minutes=25))
    run(store, calling.call_next, 1, open_desks.ani)
    clock.advance(60)
    run(store, calling.recall, 1, open_desks.ani)
    view = run(store, desk_view, 1, open_desks.ani)
    assert view.current is not None
    assert (view.current.label, view.current.state, view.current.call_count) == (
        "A001",
        "called",
        2,
    )
    assert view.current.waited_seconds == 25 * 60  # from taking the ticket to the first call
    run(store, serving.start, 1, open_desks.ani)
    run(store, serving.hold, 1, open_desks.ani)
    clock.advance(120)
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.start, 1, open_desks.ani)
    run(store, serving.transfer, 1, open_desks.ani, "JKM", "bawa KK asli")
    view = run(store, desk_view, 1, open_desks.ani)
    assert view.current is None
    assert [(h.label, h.held_since) for h in view.held] == [
        ("A001", clock.now() - timedelta(minutes=2))
    ]
    assert [s.code for s in view.services] == ["JHT"]
    assert [s.code for s in view.all_services] == ["JHT", "JKM", "RESET"]
    run(store, calling.call_next, 2, open_desks.budi)
    other = run(store, desk_view, 2, open_desks.budi)
    assert other.current is not None and other.current.label == "A002"
    assert other.current.transfer_note == "to JKM: bawa KK asli"


def test_a_long_queue_shows_its_head_and_counts_the_rest(
    store: Store, open_desks: Staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "QUEUE_ROWS", 2)
    for _ in range(5):
        run(store, issue_ticket, "JHT")
    view = run(store, desk_view, 1)
    assert [t.label for t in view.queue] == ["A001", "A002"]
    assert view.waiting_total == 5


def test_the_officers_own_day(store: Store, open_desks: Staff, clock: ManualClock) -> None:
    for _ in range(5):
        run(store, issue_ticket, "JHT")
    serve(store, 1, open_desks.ani, clock, 4)
    serve(store, 1, open_desks.ani, clock, 10)
    serve(store, 1, open_desks.ani, clock, 6)
    serve(store, 2, open_desks.budi, clock, 30)  # someone else's visit
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, serving.no_show, 1, open_desks.ani)
    day = run(store, officer_day, open_desks.ani)
    assert (day.served, day.median_service_seconds, day.no_shows, day.transferred) == (
        3,
        360.0,
        1,
        0,
    )
    clock.advance(timedelta(days=1))  # tomorrow starts from nothing
    assert run(store, officer_day, open_desks.ani).served == 0


def test_the_board(store: Store, open_desks: Staff, clock: ManualClock) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JKM")
    serve(store, 1, open_desks.ani, clock, 5)
    clock.advance(120)
    run(store, calling.call_next, 2, open_desks.budi)
    run(store, serving.no_show, 2, open_desks.budi)
    run(store, kiosks.report_printer, "K1", "ready")
    run(store, kiosks.report_printer, "K2", "paper_low", "roll low")
    # A USB or file printer that was reached but cannot report is fine, not an alert...
    run(store, kiosks.report_printer, "K3", "unchecked")
    # ...unless its kiosk stopped taking visitors.
    run(store, kiosks.report_printer, "K4", "unchecked", "", False)
    clock.advance(60)
    board = run(store, board_view)
    idle = {c.line.number: c.idle_seconds for c in board.counters}
    assert idle == {1: 180.0, 2: 60.0, 3: None, 4: None}
    assert [(m.label, m.reinstate_until - m.no_show_at) for m in board.missed] == [
        ("A002", timedelta(minutes=30))
    ]
    assert [k.name for k in board.alerts] == ["K2", "K4"]
    assert board.waiting == ("B001",)
    assert board.timezone == "Asia/Jakarta"
