"""Losing the store: a banner, every key off, reconnection, and each action applied once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from counter.actions import Action
from shared.changes import watch_changes
from shared.clock import ManualClock
from shared.qt.changes import ChangeSignals
from shared.qt.operations import ImmediateRunner
from shared.services import officers
from shared.services.issuing import issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.models import Event, Ticket
from tests.counter.conftest import Terminal
from tests.support import databases
from tests.support.actions import run
from tests.support.branches import small_branch


class AnswerLostRunner(ImmediateRunner):
    """Runs the work, then (once, when armed) reports the connection broken, as when the
    server committed but its answer never came back."""

    armed = False

    def run(self, work: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        if not self.armed:
            super().run(work, on_done, on_error)
            return
        self.armed = False
        work()
        on_error(OperationalError("COMMIT", {}, Exception("server closed the connection")))


def calls(store: Store) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).where(Event.kind == "ticket.call")) or 0)


def state_of(store: Store, label: str) -> str | None:
    with store.sessions() as session:
        return session.scalar(select(Ticket.state).where(Ticket.label == label))


def test_an_action_whose_answer_was_lost_is_applied_once(
    qtbot: QtBot, store: Store, staff: object, make_terminal: Callable[..., Terminal]
) -> None:
    runner = AnswerLostRunner()
    t = make_terminal(store, runner=runner)
    t.sign_in("ani", 1)
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    t.desk.refresh()

    runner.armed = True
    t.press(Action.CALL_NEXT)
    # The call reached the store, but the counter cannot know: it says so and waits.
    assert state_of(store, "A001") == "called"
    banner = t.window.banners.connection
    assert banner.isVisible()
    assert "Panggil berikutnya" in banner.text() and "dikirim sekali lagi" in banner.text()
    assert t.enabled() == set()

    # The probe finds the store again; the same request goes again and is recognised.
    qtbot.waitUntil(lambda: t.link.online and t.current() is not None, timeout=5000)
    assert not banner.isVisible()
    assert t.current() == "A001"
    assert state_of(store, "A002") == "waiting"
    assert calls(store) == 1
    assert t.link.pending_action is None


# -- the real PostgreSQL server going away and coming back ----------------------------------------


@pytest.fixture
def pg_store(postgres_url: str, clock: ManualClock) -> Iterator[Store]:
    store = open_store(postgres_url, clock=clock)
    apply_branch_config(store, small_branch())
    run(store, lambda uow: officers.add_officer(uow, "ani", "Ani", "officer", "1234"))
    yield store
    store.dispose()


def _admin(sql: str) -> None:
    with psycopg.connect(databases.ADMIN_URL, autocommit=True) as connection:
        connection.execute(sql)


def database_down(name: str) -> None:
    """What a restart looks like from the app: every connection dropped, new ones refused.
    Only this test's own database is touched, so tests running alongside are not."""
    _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    _admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )


def database_up(name: str) -> None:
    _admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


@pytest.mark.postgres
def test_postgres_restart_during_use(
    qtbot: QtBot, pg_store: Store, make_terminal: Callable[..., Terminal]
) -> None:
    name = pg_store.engine.url.database
    assert name is not None
    signals = ChangeSignals(watch_changes(pg_store, "TST")).start()
    lost: list[bool] = []
    signals.connection_lost.connect(lambda: lost.append(True))
    try:
        t = make_terminal(pg_store, changes=signals, probe_milliseconds=100)
        t.sign_in("ani", 1)
        run(pg_store, issue_ticket, "JHT")
        qtbot.waitUntil(lambda: Action.CALL_NEXT in t.enabled(), timeout=10_000)
        banner = t.window.banners.connection
        try:
            database_down(name)
            # Pressed before the watcher's news arrives: the action itself finds the store
            # gone, keeps its request id and turns the banner on.
            t.press(Action.CALL_NEXT)
            assert banner.isVisible() and not t.link.online
            assert "Panggil berikutnya" in banner.text()
            assert t.enabled() == set()
            qtbot.waitUntil(lambda: bool(lost), timeout=10_000)  # the watcher noticed too
            assert banner.isVisible() and t.enabled() == set()
        finally:
            database_up(name)
        qtbot.waitUntil(lambda: t.link.online and t.current() == "A001", timeout=15_000)
        assert not banner.isVisible()
        assert calls(pg_store) == 1
        # Live updates flow again after the reconnection.
        run(pg_store, issue_ticket, "JHT")
        qtbot.waitUntil(lambda: t.page.queue.rowCount() == 1, timeout=10_000)
        assert t.enabled() == {Action.RECALL, Action.START, Action.NO_SHOW}
    finally:
        signals.stop()
