"""Engines for the two stores: SQLite on one PC (WAL, immediate writes) or PostgreSQL on a LAN.

No engine is built at import time; `open_store` builds one from a URL.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from shared.clock import Clock, clock_from_environment
from shared.store import writer_queue
from shared.store.writer_queue import WriterQueue

DATABASE_URL_ENV = "ANTREAN_DATABASE_URL"
# How long a SQLite writer waits for the lock before giving up: longer than any transaction.
SQLITE_BUSY_SECONDS = 30.0
# A pooled PostgreSQL connection idle this long is pinged before it is lent again.
PING_AFTER_IDLE_SECONDS = 2.0
# How long opening a PostgreSQL connection may take: a server that is down or unreachable
# fails within this instead of psycopg's two minutes, so a worker (and its queue) never waits
# long for a database that is not there.
CONNECT_TIMEOUT_SECONDS = 5
# Once connected: a pulled cable or a server gone away fails a waiting request within seconds
# (unacknowledged data for 5 s; a silent idle link probed after 5 s, every 2 s, 3 times)
# instead of the kernel retrying it for about 15 minutes, so every app notices and reconnects.
LINK_DEFAULTS: dict[str, int] = {
    "tcp_user_timeout": 5000,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
}


def default_database_url() -> str:
    """ANTREAN_DATABASE_URL, else a SQLite file in the user's data directory."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    folder = Path(user_data_dir("antrean", appauthor=False))
    return f"sqlite:///{folder / 'antrean.db'}"


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class QueuedSQLiteConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions wait their turn in the database's writer
    queue (shared/store/writer_queue.py) and give it back as soon as they end."""

    writers: WriterQueue | None = None

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.writers is not None:
                self.writers.close()
                self.writers = None

    def end_turn(self) -> None:
        if self.writers is not None:
            self.writers.end_turn()


def _configure_sqlite(engine: Engine, database: str) -> None:
    queued = writer_queue.SUPPORTED and bool(database) and database != ":memory:" and (
        not database.startswith("file:")
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if queued and isinstance(dbapi_connection, QueuedSQLiteConnection):
            dbapi_connection.writers = WriterQueue(database)
        # Let SQLAlchemy's begin event decide how transactions start (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the lock up front, so two counters never both read the same next
        # ticket and then fail on upgrade; read-only work starts a plain deferred transaction.
        # Writers queue first (first come, first served) rather than race for the lock.
        if connection.get_execution_options().get("antrean_read_only"):
            connection.exec_driver_sql("BEGIN")
            return
        dbapi_connection = connection.connection.dbapi_connection
        writers = getattr(dbapi_connection, "writers", None)
        if writers is not None:
            writers.take_turn(SQLITE_BUSY_SECONDS)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if writers is not None:
                writers.end_turn()
            raise


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection that has been idle a while before lending it (the server may
    have restarted meanwhile), but not one just returned: a counter calling in quick succession
    pays no extra round trip, and a connection that still fails is retried by `attempt`."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        # On libpq directly: no transaction is begun, so the connection stays idle.
        try:
            answered = dbapi_connection.pgconn.exec_(b"SELECT 1").status
        except psycopg.Error as error:
            raise DisconnectionError(f"the server did not answer a ping: {error}") from error
        if answered != psycopg.pq.ExecStatus.TUPLES_OK:
            raise DisconnectionError("the server did not answer a ping")


def connect_timeout_args(url: str | URL) -> dict[str, Any]:
    """`connect_args` for a PostgreSQL engine: a connect timeout and the link settings above,
    each unless the URL names it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return {}
    wanted = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **LINK_DEFAULTS}
    return {key: value for key, value in wanted.items() if key not in parsed.query}


def create_store_engine(url: str, **options: Any) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    # A failed statement's error names its statement, never its values: those may be a
    # visitor's phone number or a PIN, and errors are logged.
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False,
                          "factory": QueuedSQLiteConnection},
            **options,
        )
        _configure_sqlite(engine, database)
        return engine
    if parsed.get_backend_name() == "postgresql":
        ping = options.pop("pool_pre_ping", True)
        connect_args = {**connect_timeout_args(parsed), **options.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=False, **options)
        if ping:
            _ping_after_idle(engine)
        return engine
    raise ValueError(
        f"unsupported database URL {parsed.render_as_string()!r}: "
        "use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


@dataclass(frozen=True)
class ConnectionBudget:
    """The PostgreSQL connections one process of a kind may hold (docs/connections.md)."""

    pool_size: int  # kept open in the store's one pool
    max_overflow: int  # opened beyond those under load, closed again when handed back
    listens: bool  # a LISTEN connection of its own for changes; otherwise it polls the pool

    @property
    def most(self) -> int:
        return self.pool_size + self.max_overflow + int(self.listens)


# PostgreSQL's default max_connections is 100, 3 of them kept for superusers: 50 counters,
# 4 kiosks, the display and the web service must fit in 97, with room for tools and admins.
BUDGETS: dict[str, ConnectionBudget] = {
    # One operation at a time (the app's operation runner): one connection serves its calls,
    # call next's stored procedure in autocommit mode included, and its change polling.
    "counter": ConnectionBudget(pool_size=1, max_overflow=0, listens=False),
    "kiosk": ConnectionBudget(pool_size=1, max_overflow=0, listens=False),
    # The lobby screen shows a call the moment it is made, so it listens.
    "display": ConnectionBudget(pool_size=1, max_overflow=0, listens=True),
    # Visitors' requests run on a thread pool; more wait for a connection than hold one.
    "web": ConnectionBudget(pool_size=4, max_overflow=0, listens=True),
}


@dataclass
class Store:
    """One database: its engine, sessions, and the clock the services use.

    `clock=None` means the database's own clock (PostgreSQL's now(); SQLite's CURRENT_TIMESTAMP).
    `budget` is the process kind's connection budget (None: a tool's or a test's, unbounded).
    """

    engine: Engine
    clock: Clock | None = None
    budget: ConnectionBudget | None = None
    sessions: sessionmaker[Session] = field(init=False)
    read_sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        reader = self.engine.execution_options(antrean_read_only=True)
        self.read_sessions = sessionmaker(reader, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def listens(self) -> bool:
        """Whether this process watches changes on a LISTEN connection of its own."""
        return self.budget is None or self.budget.listens

    @contextmanager
    def autocommit_connection(self) -> Iterator[PoolProxiedConnection]:
        """A connection of the store's one pool, in autocommit mode while lent: for the
        single-statement hot paths (call next's stored procedure, change notices), which so
        cost no connection of their own. PostgreSQL only."""
        pooled = self.engine.raw_connection()
        try:
            driver = pooled.driver_connection
            assert isinstance(driver, psycopg.Connection)  # PostgreSQL only: psycopg's
            driver.autocommit = True
            yield pooled
        finally:
            driver = pooled.driver_connection
            if driver is not None and not driver.closed:
                try:
                    driver.autocommit = False
                except psycopg.Error as error:  # left mid-transaction: do not lend it again
                    pooled.invalidate(error)
            pooled.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(
    url: str | None = None, clock: Clock | None = None, role: str | None = None, **options: Any
) -> Store:
    """The store at `url`; without a clock, the one ANTREAN_CLOCK names, else the database's.
    `role` ("counter", "kiosk", "display", "web") sets the process's connection budget."""
    chosen = clock if clock is not None else clock_from_environment()
    url = url or default_database_url()
    budget = BUDGETS[role] if role is not None else None
    if budget is not None and make_url(normalise_url(url)).get_backend_name() == "postgresql":
        options.setdefault("pool_size", budget.pool_size)
        options.setdefault("max_overflow", budget.max_overflow)
    return Store(create_store_engine(url, **options), chosen, budget)
