"""Engines for the two stores: SQLite on one PC (WAL, immediate writes) or PostgreSQL on a LAN.

No engine is built at import time; `open_store` builds one from a URL.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from shared.clock import Clock, clock_from_environment
from shared.store import writer_queue
from shared.store.writer_queue import WriterQueue

DATABASE_URL_ENV = "ANTREAN_DATABASE_URL"
# How long a SQLite writer waits for the lock before giving up: longer than any transaction.
SQLITE_BUSY_SECONDS = 30.0
# How long opening a PostgreSQL connection may take: a server that is down or unreachable
# fails within this instead of psycopg's two minutes, so a worker (and its queue) never waits
# long for a database that is not there.
CONNECT_TIMEOUT_SECONDS = 5


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


def connect_timeout_args(url: str | URL) -> dict[str, Any]:
    """`connect_args` for a PostgreSQL engine: a connect timeout, unless the URL names one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or "connect_timeout" in parsed.query:
        return {}
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS}


def create_store_engine(url: str, **options: Any) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
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
        options.setdefault("pool_pre_ping", True)
        connect_args = {**connect_timeout_args(parsed), **options.pop("connect_args", {})}
        return create_engine(url, connect_args=connect_args, **options)
    raise ValueError(
        f"unsupported database URL {parsed.render_as_string()!r}: "
        "use sqlite:///PATH or postgresql://USER@HOST/DB"
    )


@dataclass
class Store:
    """One database: its engine, sessions, and the clock the services use.

    `clock=None` means the database's own clock (PostgreSQL's now(); SQLite's CURRENT_TIMESTAMP).
    """

    engine: Engine
    clock: Clock | None = None
    sessions: sessionmaker[Session] = field(init=False)
    _autocommit: Engine | None = field(init=False, default=None, repr=False)
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
    def autocommit_engine(self) -> Engine:
        """A second small pool whose statements commit themselves, without the pre-ping:
        for single-statement hot paths (see shared/services/fast_calling.py)."""
        if self._autocommit is None:
            # No rollback on check-in either: an autocommit connection holds no transaction.
            self._autocommit = create_engine(
                self.engine.url,
                connect_args=connect_timeout_args(self.engine.url),
                isolation_level="AUTOCOMMIT",
                pool_size=2,
                max_overflow=2,
                pool_reset_on_return=None,
            )
        return self._autocommit

    def dispose(self) -> None:
        self.engine.dispose()
        if self._autocommit is not None:
            self._autocommit.dispose()
            self._autocommit = None


def open_store(url: str | None = None, clock: Clock | None = None, **options: Any) -> Store:
    """The store at `url`; without a clock, the one ANTREAN_CLOCK names, else the database's."""
    chosen = clock if clock is not None else clock_from_environment()
    return Store(create_store_engine(url or default_database_url(), **options), chosen)
