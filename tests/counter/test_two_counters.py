"""Two counter apps on one store, each with its own worker thread, calling at the same time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter.actions import Action
from shared.qt.operations import OperationRunner
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.models import Event
from tests.conftest import Staff
from tests.counter.conftest import Terminal
from tests.support.actions import run


@pytest.fixture
def runners() -> Iterator[list[OperationRunner]]:
    made = [OperationRunner(name=f"counter-{n}") for n in (1, 2)]
    yield made
    for runner in made:
        runner.shutdown()


def counters_listed(terminal: Terminal) -> bool:
    """The login page has read the branch's counters (it always lists 'board only')."""
    return terminal.window.login_page.counter.count() > 1


def test_calling_next_at_the_same_time_gives_different_tickets(
    qtbot: QtBot,
    store: Store,
    staff: Staff,
    make_terminal: Callable[..., Terminal],
    runners: list[OperationRunner],
) -> None:
    first, second = (make_terminal(store, runner=runner) for runner in runners)
    for terminal, login, number in ((first, "ani", 1), (second, "budi", 2)):
        qtbot.waitUntil(partial(counters_listed, terminal))
        terminal.sign_in(login, number)
    qtbot.waitUntil(lambda: first.window.desk is not None and second.window.desk is not None)
    for _ in range(4):
        run(store, issue_ticket, "JHT")
    both = (first, second)
    for terminal in both:
        terminal.desk.refresh()
    qtbot.waitUntil(lambda: all(Action.CALL_NEXT in t.desk.enabled() for t in both))

    called: list[str] = []
    for _round in range(2):
        # Both requests are on their way before either answer comes back.
        assert first.desk.call_next() and second.desk.call_next()
        qtbot.waitUntil(lambda: all(t.current() and not t.link.busy for t in both), timeout=10_000)
        # Both show a ticket now (waited for above); the count below catches any that did not.
        called += [label for label in (first.current(), second.current()) if label]
        for terminal in both:
            assert terminal.desk.no_show()
        qtbot.waitUntil(lambda: all(t.current() is None and not t.link.busy for t in both))
    assert sorted(called) == ["A001", "A002", "A003", "A004"]  # none twice, none skipped
    with store.sessions() as session:
        calls = session.scalar(select(func.count()).where(Event.kind == "ticket.call"))
    assert calls == 4
