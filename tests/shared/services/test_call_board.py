"""The call board: today's calls from the audit trail, new calls after a cursor, counters now."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import ManualClock
from shared.services import calling, counters, serving
from shared.services.call_board import CallBoard, call_board, calls_after, recent_calls
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run


def board(store: Store, after: int | None) -> CallBoard:
    return attempt(store, "TST", lambda uow: call_board(uow, after, recent=3), read_only=True)


@pytest.fixture
def desks(store: Store, staff: Staff) -> Staff:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    for _ in range(6):
        run(store, issue_ticket, "JHT")
    return staff


def test_a_display_starting_up_shows_the_last_call_but_has_no_news(
    store: Store, desks: Staff
) -> None:
    run(store, calling.call_next, 1, desks.ani)
    first = board(store, None)
    assert [c.label for c in first.recent] == ["A001"]
    assert first.new_calls == ()
    assert first.last_call_id == first.recent[0].event_id
    assert (first.branch_name, first.timezone) == ("Kantor Cabang Uji", "Asia/Jakarta")
    assert first.settings.display.flash_seconds == 5


def test_new_calls_and_recalls_come_oldest_first_after_the_cursor(
    store: Store, desks: Staff
) -> None:
    cursor = board(store, None).last_call_id
    run(store, calling.call_next, 1, desks.ani)
    run(store, calling.call_next, 2, desks.budi)
    run(store, calling.recall, 1, desks.ani)
    seen = board(store, cursor)
    assert [(c.label, c.counter_number, c.recall) for c in seen.new_calls] == [
        ("A001", 1, False),
        ("A002", 2, False),
        ("A001", 1, True),
    ]
    assert [c.label for c in seen.recent] == ["A001", "A002", "A001"]
    assert board(store, seen.last_call_id).new_calls == ()


def test_more_new_calls_than_recent_ones_are_all_found(store: Store, desks: Staff) -> None:
    cursor = board(store, None).last_call_id
    for _ in range(3):
        run(store, calling.call_next, 1, desks.ani)
        run(store, calling.recall, 1, desks.ani)
        run(store, calling.call_next, 2, desks.budi)
        run(store, serving.start, 1, desks.ani)
        run(store, serving.finish, 1, desks.ani)
        run(store, serving.start, 2, desks.budi)
        run(store, serving.finish, 2, desks.budi)
    seen = board(store, cursor)
    assert len(seen.recent) == 3
    assert [c.label for c in seen.new_calls] == [
        "A001", "A001", "A002", "A003", "A003", "A004", "A005", "A005", "A006",
    ]  # fmt: skip
    limited = attempt(store, "TST", lambda uow: calls_after(uow, cursor, limit=2))
    assert [c.label for c in limited] == ["A005", "A006"]


def test_yesterdays_calls_are_not_on_the_board(
    store: Store, desks: Staff, clock: ManualClock
) -> None:
    run(store, calling.call_next, 1, desks.ani)
    clock.advance(timedelta(days=1))
    assert attempt(store, "TST", recent_calls) == ()


def test_counters_show_only_the_ticket_at_the_desk(store: Store, desks: Staff) -> None:
    run(store, calling.call_next, 1, desks.ani)
    run(store, calling.call_next, 2, desks.budi)
    run(store, serving.start, 2, desks.budi)
    run(store, serving.finish, 2, desks.budi)
    run(store, counters.pause_counter, 2, desks.budi, "makan siang")
    now = {c.number: c for c in board(store, None).counters}
    assert (now[1].state, now[1].label, now[1].ticket_state) == ("open", "A001", "called")
    # A finished visit stays linked to the counter until its next call; it is not shown.
    assert (now[2].state, now[2].label, now[2].pause_reason) == ("paused", None, "makan siang")
    assert (now[3].state, now[3].label) == ("closed", None)
