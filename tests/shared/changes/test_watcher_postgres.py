"""PostgreSQL's watcher: a dropped LISTEN connection recovers, and a change whose notice never
came (its sender died between commit and notice) is still handed over, once."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from shared.changes import watch_changes
from shared.changes.watcher import LOST, RESYNC, WATCHER_NAME, PostgresWatcher
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.unit_of_work import Change, encode_changes
from tests.shared.changes.test_watcher import collect
from tests.support.actions import run
from tests.support.clocks import environment_at

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


def plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def watcher_for(postgres_url: str, sweep_seconds: float) -> PostgresWatcher:
    with psycopg.connect(plain(postgres_url)) as connection:
        row = connection.execute("SELECT id FROM branches WHERE code = 'TST'").fetchone()
    assert row is not None
    return PostgresWatcher(plain(postgres_url), int(row[0]), sweep_seconds=sweep_seconds)


def issue_and_die_before_the_notice(database_url: str) -> None:
    """Another process issues a ticket and is killed right after its commit."""
    script = (
        "import os;"
        "import shared.store.unit_of_work as unit;"
        "unit.announce_committed = lambda store, payload: os._exit(9);"
        "from shared.store.database import open_store;"
        "from shared.services.runner import attempt;"
        "from shared.services.issuing import issue_ticket;"
        f"s = open_store({database_url!r});"
        "attempt(s, 'TST', lambda u: issue_ticket(u, 'JKM'))"
    )
    done = subprocess.run([sys.executable, "-c", script], timeout=60, env=environment_at())
    assert done.returncode == 9


def test_postgres_watcher_survives_a_dropped_connection(postgres_url: str, store: Store) -> None:
    watcher = watch_changes(store, "TST")
    try:
        with psycopg.connect(plain(postgres_url), autocommit=True) as connection:
            killed = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = %s AND datname = current_database()",
                (WATCHER_NAME,),
            ).fetchone()
        assert killed == (1,)
        kinds = [c.kind for c in collect(watcher, 1)]
        assert kinds == [LOST]
        kinds = [c.kind for c in collect(watcher, 1)]
        assert kinds == [RESYNC]
        run(store, issue_ticket, "JHT")
        assert [c.kind for c in collect(watcher, 1)] == ["ticket.issued"]
    finally:
        watcher.close()


def test_a_change_whose_sender_died_before_its_notice_is_swept_up(
    postgres_url: str, store: Store
) -> None:
    watcher = watcher_for(postgres_url, sweep_seconds=0.3)
    try:
        issue_and_die_before_the_notice(postgres_url)
        started = time.monotonic()
        changes = collect(watcher, 1, seconds=5)
        took = time.monotonic() - started
        run(store, issue_ticket, "JHT")  # an announced change afterwards comes as usual
        changes += collect(watcher, 1, seconds=5)
        changes += watcher.wait(0.8)  # two more sweeps: nothing is handed over twice
    finally:
        watcher.close()
    assert [c.kind for c in changes] == ["ticket.issued", "ticket.issued"]
    assert changes[0].service_id != changes[1].service_id  # JKM (swept), then JHT (announced)
    assert took < 2.0  # within two sweeps, not at some later change


def test_a_belated_notice_is_not_handed_over_twice(postgres_url: str, store: Store) -> None:
    watcher = watcher_for(postgres_url, sweep_seconds=3600)  # swept by hand below
    try:
        issue_and_die_before_the_notice(postgres_url)
        assert watcher._sweep() == []  # found unannounced: its notice may still be coming
        swept = watcher._sweep()  # a sweep later, still without notice: handed over
        assert [c.kind for c in swept] == ["ticket.issued"]
        with psycopg.connect(plain(postgres_url), autocommit=True) as connection:
            connection.execute("SELECT pg_notify('antrean', %s)", (encode_changes(swept),))
        assert watcher.wait(0.5) == []  # the notice finally came: already handed over
    finally:
        watcher.close()


def test_a_slow_notice_between_sweeps_is_not_handed_over_again(
    postgres_url: str, store: Store
) -> None:
    watcher = watcher_for(postgres_url, sweep_seconds=3600)
    try:
        issue_and_die_before_the_notice(postgres_url)
        assert watcher._sweep() == []
        with psycopg.connect(plain(postgres_url), autocommit=True) as connection:
            event = connection.execute(
                "SELECT id, kind, ticket_id, counter_id, service_id, branch_id FROM events "
                "ORDER BY id DESC LIMIT 1"
            ).fetchone()
            assert event is not None
            change = Change(event[5], event[0], event[1], event[2], event[3], event[4])
            connection.execute("SELECT pg_notify('antrean', %s)", (encode_changes([change]),))
        heard = collect(watcher, 1, seconds=5)
        assert [c.event_id for c in heard] == [change.event_id]
        assert watcher._sweep() == []  # its notice came after all
    finally:
        watcher.close()


def test_a_notice_that_cannot_be_sent_fails_nothing_and_is_swept_up(
    postgres_url: str, store: Store, caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watcher = watcher_for(postgres_url, sweep_seconds=0.3)
    lend = store.autocommit_connection  # the connection notices go out on

    @contextmanager
    def dying() -> Iterator[Any]:
        """The pool's connection, its server process ended just after the commit."""
        with lend() as pooled:
            driver = pooled.driver_connection
            assert isinstance(driver, psycopg.Connection)
            with psycopg.connect(plain(postgres_url), autocommit=True) as connection:
                connection.execute("SELECT pg_terminate_backend(%s)", (driver.info.backend_pid,))
            yield pooled

    monkeypatch.setattr(store, "autocommit_connection", dying)
    try:
        ticket = run(store, issue_ticket, "JHT")  # committed; its notice fails; no error
        monkeypatch.setattr(store, "autocommit_connection", lend)
        changes = collect(watcher, 1, seconds=5)
    finally:
        watcher.close()
    assert caplog.text.count("not announced") == 1
    assert [(c.kind, c.ticket_id) for c in changes] == [("ticket.issued", ticket.id)]
    run(store, issue_ticket, "JHT")  # the dead connection was dropped from the pool
    assert caplog.text.count("not announced") == 1
