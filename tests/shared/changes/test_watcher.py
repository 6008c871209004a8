"""Change events reach other connections and processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from shared.changes import ChangeFeed, watch_changes
from shared.changes.watcher import ChangeWatcher
from shared.services import calling, counters
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.unit_of_work import Change
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.clocks import environment_at


def collect(watcher: ChangeWatcher, wanted: int, seconds: float = 10) -> list[Change]:
    got: list[Change] = []
    deadline = time.monotonic() + seconds
    while len(got) < wanted and time.monotonic() < deadline:
        got += watcher.wait(0.5)
    return got


def test_each_committed_event_arrives_once_in_order(store: Store, staff: Staff) -> None:
    watcher = watch_changes(store, "TST")
    try:
        run(store, counters.open_counter, 1, staff.ani)
        run(store, issue_ticket, "JHT")
        run(store, calling.call_next, 1, staff.ani)
        changes = collect(watcher, 3)
    finally:
        watcher.close()
    assert [c.kind for c in changes] == ["counter.opened", "ticket.issued", "ticket.call"]
    assert changes[1].ticket_id == changes[2].ticket_id is not None
    assert changes[2].counter_id is not None
    assert [c.event_id for c in changes] == sorted(c.event_id for c in changes)


def test_a_burst_of_commits_loses_nothing(store: Store) -> None:
    watcher = watch_changes(store, "TST")
    writer = threading.Thread(target=lambda: [run(store, issue_ticket, "JHT") for _ in range(60)])
    try:
        writer.start()
        changes = collect(watcher, 60)
        writer.join()
        changes += watcher.wait(0.2)
    finally:
        watcher.close()
    issued = [c.ticket_id for c in changes if c.kind == "ticket.issued"]
    assert len(issued) == 60 == len(set(issued))


def test_nothing_is_reported_when_nothing_changed(store: Store) -> None:
    watcher = watch_changes(store, "TST")
    try:
        assert watcher.wait(0.1) == []
    finally:
        watcher.close()


def test_another_process_commit_is_seen(store: Store, database_url: str) -> None:
    watcher = watch_changes(store, "TST")
    script = (
        "from shared.store.database import open_store;"
        "from shared.services.runner import attempt;"
        "from shared.services.issuing import issue_ticket;"
        f"s = open_store({database_url!r});"
        "attempt(s, 'TST', lambda u: issue_ticket(u, 'JKM'))"
    )
    try:
        subprocess.run(
            [sys.executable, "-c", script], check=True, timeout=60, env=environment_at()
        )
        changes = collect(watcher, 1)
    finally:
        watcher.close()
    assert [c.kind for c in changes] == ["ticket.issued"]


def test_feed_calls_back_on_its_own_thread(store: Store) -> None:
    received: list[Change] = []
    arrived = threading.Event()

    def on_changes(batch: list[Change]) -> None:
        received.extend(batch)
        arrived.set()

    feed = ChangeFeed(watch_changes(store, "TST"), on_changes).start()
    try:
        run(store, issue_ticket, "JHT")
        assert arrived.wait(10)
    finally:
        feed.stop()
    assert received[0].kind == "ticket.issued"
