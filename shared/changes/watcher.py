"""Wait for committed changes made by any process, as plain Python (the Qt adapter wraps this).

Both watchers hand back `Change` rows; two special kinds tell a screen about the link itself:
`connection.lost` (the store cannot be reached; keep retrying) and `resync` (reconnected:
something may have been missed, so read everything again).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Protocol

import psycopg
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from shared.store.database import Store
from shared.store.models import Branch
from shared.store.unit_of_work import NOTIFY_CHANNEL, Change, decode_changes

log = logging.getLogger(__name__)

LOST = "connection.lost"
RESYNC = "resync"
WATCHER_NAME = "antrean-watcher"  # PostgreSQL's application_name of a watcher's connection


class ChangeWatcher(Protocol):
    def wait(self, timeout: float) -> list[Change]:
        """Block up to `timeout` seconds; the changes committed since the last call, or []."""
        ...

    def close(self) -> None: ...


def _branch_id(store: Store, branch_code: str) -> int:
    with store.read_sessions() as session:
        branch_id = session.scalar(select(Branch.id).where(Branch.code == branch_code))
    if branch_id is None:
        raise LookupError(f"branch {branch_code!r} is not in this database; run `antrean init`")
    return int(branch_id)


class SQLiteWatcher:
    """Polls `PRAGMA data_version` (a counter in shared memory: microseconds per poll) and, when
    another connection has committed, reads the new audit events. SQLite writers are serialised,
    so event ids commit in order and `id > last` never skips one."""

    def __init__(self, path: str, branch_id: int, poll_seconds: float = 0.005) -> None:
        self._path = path
        self._branch_id = branch_id
        self._poll = poll_seconds
        self._connection = self._connect()
        self._version = self._data_version()
        self._last_id = self._max_event_id()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, timeout=5, check_same_thread=False)
        connection.isolation_level = None
        return connection

    def _data_version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def _max_event_id(self) -> int:
        row = self._connection.execute(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE branch_id = ?", (self._branch_id,)
        ).fetchone()
        return int(row[0])

    def wait(self, timeout: float) -> list[Change]:
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                changes = self._read_new()
                if changes:
                    return changes
            if time.monotonic() >= deadline:
                return []
            time.sleep(self._poll)

    def _read_new(self) -> list[Change]:
        rows = self._connection.execute(
            "SELECT id, kind, ticket_id, counter_id, service_id FROM events "
            "WHERE branch_id = ? AND id > ? ORDER BY id",
            (self._branch_id, self._last_id),
        ).fetchall()
        if rows:
            self._last_id = int(rows[-1][0])
        return [Change(self._branch_id, int(r[0]), str(r[1]), r[2], r[3], r[4]) for r in rows]

    def close(self) -> None:
        self._connection.close()


class PostgresWatcher:
    """LISTENs on one connection; NOTIFY payloads carry the committed events themselves.

    A change is announced just after it commits (`unit_of_work.announce_committed`, or the
    call-next procedure of migration 0004), so a sender that dies in between leaves it
    unannounced. Every `sweep_seconds` the watcher reads the audit
    events added since its last sweep; one still unannounced a whole sweep later is handed
    over then. Ids are not committed in order, so an event committed out of order behind an
    earlier sweep relies on its own notice alone.
    """

    def __init__(self, conninfo: str, branch_id: int, retry_seconds: float = 0.5,
                 sweep_seconds: float = 2.0) -> None:
        self._conninfo = conninfo
        self._branch_id = branch_id
        self._retry = retry_seconds
        self._sweep_every = sweep_seconds
        self._connection: psycopg.Connection | None = self._connect()
        self._lost_reported = False
        self._start_sweeping()

    def _connect(self) -> psycopg.Connection:
        connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=3,
                                     application_name=WATCHER_NAME)
        connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        return connection

    def _start_sweeping(self) -> None:
        """Everything committed so far counts as seen (a screen reads the state afresh)."""
        self._swept_to = self._last_event_id()
        self._announced: set[int] = set()  # ids above the last sweep whose notice came
        self._unannounced: dict[int, Change] = {}  # found by the last sweep without a notice
        self._late: set[int] = set()  # handed over by a sweep: a belated notice is dropped
        self._next_sweep = time.monotonic() + self._sweep_every

    def _last_event_id(self) -> int:
        assert self._connection is not None
        row = self._connection.execute(
            "SELECT COALESCE(MAX(id), 0) FROM events WHERE branch_id = %s", (self._branch_id,)
        ).fetchone()
        return int(row[0]) if row else 0

    def wait(self, timeout: float) -> list[Change]:
        if self._connection is None:
            return self._reconnect(timeout)
        try:
            changes: list[Change] = []
            wait = max(0.0, min(timeout, self._next_sweep - time.monotonic()))
            for notice in self._connection.notifies(timeout=wait, stop_after=1):
                changes.extend(self._mine(notice.payload))
            # Drain whatever else already arrived, without waiting again.
            for notice in self._connection.notifies(timeout=0):
                changes.extend(self._mine(notice.payload))
            changes = self._heard(changes)
            if time.monotonic() >= self._next_sweep:
                changes.extend(self._sweep())
            return changes
        except psycopg.OperationalError as error:
            log.warning("change watcher lost the database: %s", error)
            self._drop()
            self._lost_reported = True
            return [Change(self._branch_id, 0, LOST)]

    def _mine(self, payload: str) -> list[Change]:
        return [c for c in decode_changes(payload) if c.branch_id == self._branch_id]

    def _heard(self, changes: list[Change]) -> list[Change]:
        """Note which events were announced; drop a notice the sweep has already answered."""
        kept = []
        for change in changes:
            event_id = change.event_id
            if event_id == 0:  # "many": the screen reads everything again
                self._start_sweeping()
            elif event_id in self._late:
                self._late.discard(event_id)
                continue
            elif self._unannounced.pop(event_id, None) is None and event_id > self._swept_to:
                self._announced.add(event_id)
            kept.append(change)
        return kept

    def _sweep(self) -> list[Change]:
        """Hand over what the last sweep found unannounced and still is (its sender is gone);
        note what has been committed since."""
        assert self._connection is not None
        self._next_sweep = time.monotonic() + self._sweep_every
        late = [self._unannounced[i] for i in sorted(self._unannounced)]
        if late:
            log.warning("%d committed change(s) came without a notice", len(late))
            if len(self._late) > 10_000:  # notices that never come: forget the oldest
                self._late.clear()
            self._late.update(c.event_id for c in late)
        rows = self._connection.execute(
            "SELECT id, kind, ticket_id, counter_id, service_id FROM events "
            "WHERE branch_id = %s AND id > %s ORDER BY id",
            (self._branch_id, self._swept_to),
        ).fetchall()
        self._unannounced = {
            int(r[0]): Change(self._branch_id, int(r[0]), str(r[1]), r[2], r[3], r[4])
            for r in rows
            if int(r[0]) not in self._announced
        }
        if rows:
            self._swept_to = int(rows[-1][0])
        self._announced = {i for i in self._announced if i > self._swept_to}
        return late

    def _reconnect(self, timeout: float) -> list[Change]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._connection = self._connect()
            except psycopg.OperationalError:
                if time.monotonic() + self._retry > deadline:
                    time.sleep(max(0.0, deadline - time.monotonic()))
                    return []
                time.sleep(self._retry)
                continue
            self._lost_reported = False
            self._start_sweeping()
            return [Change(self._branch_id, 0, RESYNC)]

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def close(self) -> None:
        self._drop()


class PolledPostgresWatcher:
    """For a process whose connection budget has no LISTEN connection (counters and kiosks,
    docs/connections.md): every `poll_seconds` it asks, on a connection of the store's own
    pool, whether the branch's audit trail has grown, and says "many" (read everything again,
    which is what those screens do on any change) when it has.

    PostgreSQL commits event ids out of order, so the question is the newest id and how many
    events lie above a floor: the newest id of `window` polls ago. An event that commits late,
    below the newest id, still changes that count while it is that recent."""

    def __init__(self, store: Store, branch_id: int, poll_seconds: float = 0.5,
                 window: int = 20) -> None:
        self._store = store
        self._branch_id = branch_id
        self._poll = poll_seconds
        self._lost = False
        with store.engine.connect() as connection:  # everything so far counts as seen
            self._floor = int(connection.execute(
                text("SELECT COALESCE(MAX(id), 0) FROM events WHERE branch_id = :branch"),
                {"branch": branch_id},
            ).scalar_one())
        self._newest: deque[int] = deque([self._floor], maxlen=window)
        self._mark = self._seen = (self._floor, 0)

    def _read(self) -> tuple[int, tuple[int, int]]:
        """The next floor, and the mark against it; the mark against the current floor
        becomes `self._seen`."""
        floor, next_floor = self._floor, self._newest[0]
        with self._store.engine.connect() as connection:
            newest, above, above_next = connection.execute(
                text("SELECT COALESCE(MAX(id), :floor), COUNT(*), "
                     "COUNT(*) FILTER (WHERE id > :next_floor) FROM events "
                     "WHERE branch_id = :branch AND id > :floor"),
                {"branch": self._branch_id, "floor": floor, "next_floor": next_floor},
            ).one()
        self._newest.append(int(newest))
        self._seen = (int(newest), int(above))
        return next_floor, (int(newest), int(above_next))

    def wait(self, timeout: float) -> list[Change]:
        deadline = time.monotonic() + timeout
        while True:
            time.sleep(max(0.0, min(self._poll, deadline - time.monotonic())))
            try:
                next_floor, next_mark = self._read()
            except DBAPIError as error:
                if self._lost:
                    return []
                log.warning("change watcher lost the database: %s", error)
                self._lost = True
                return [Change(self._branch_id, 0, LOST)]
            changed = self._seen != self._mark
            self._floor, self._mark = next_floor, next_mark
            if self._lost:
                self._lost = False
                return [Change(self._branch_id, 0, RESYNC)]
            if changed:
                return [Change(self._branch_id, 0, "many")]
            if time.monotonic() >= deadline:
                return []

    def close(self) -> None:
        """Nothing to close: the store's pool holds the connection."""


def watch_changes(store: Store, branch_code: str) -> ChangeWatcher:
    branch_id = _branch_id(store, branch_code)
    url = store.engine.url
    if store.dialect == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("an in-memory SQLite database cannot be watched from elsewhere")
        return SQLiteWatcher(url.database, branch_id)
    if not store.listens:
        return PolledPostgresWatcher(store, branch_id)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresWatcher(conninfo, branch_id)


def iter_changes(watcher: ChangeWatcher, stop: threading.Event) -> Iterator[list[Change]]:
    """Yield each batch of changes until `stop` is set (checked at least every 0.2 s)."""
    while not stop.is_set():
        batch = watcher.wait(0.2)
        if batch:
            yield batch


class ChangeFeed:
    """One watcher on its own thread, calling `callback` with each batch (from that thread)."""

    def __init__(self, watcher: ChangeWatcher, callback: Callable[[list[Change]], None]) -> None:
        self._watcher = watcher
        self._callback = callback
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="antrean-changes", daemon=True)

    def start(self) -> ChangeFeed:
        self._thread.start()
        return self

    def _run(self) -> None:
        for batch in iter_changes(self._watcher, self._stop):
            self._callback(batch)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._watcher.close()
