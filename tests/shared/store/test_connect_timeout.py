"""A PostgreSQL server that does not answer fails a connection within the connect timeout."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

from shared.store import database
from shared.store.database import connect_timeout_args, create_store_engine, open_store
from tests.support.silent_server import silent_server

# Far beyond the timeout under test, far below psycopg's own default (130 s).
HANG_BOUND_SECONDS = 40.0


def _connect_in_background(engine: Engine) -> tuple[threading.Thread, list[BaseException]]:
    """Connect on a daemon thread, so a connection that hangs cannot hold pytest at exit."""
    errors: list[BaseException] = []

    def connect() -> None:
        try:
            engine.connect().close()
        except BaseException as error:  # handed to the test, which checks what it was
            errors.append(error)

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    return thread, errors


def test_the_store_gives_up_on_a_server_that_never_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store's one pool serves call next's fast path too (docs/connections.md), so this
    covers every connection a process opens but its change watcher's."""
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_SECONDS", 2)  # psycopg's least
    with silent_server() as server:
        store = open_store(f"postgresql://postgres@127.0.0.1:{server.port}/antrean")
        try:
            tries = [_connect_in_background(store.engine)]
            for thread, _ in tries:
                thread.join(HANG_BOUND_SECONDS)
            assert [thread.is_alive() for thread, _ in tries] == [False]
            assert server.accepted == 1  # it reached the server: it was its silence
        finally:
            store.dispose()
    for _, errors in tries:
        assert len(errors) == 1
        assert isinstance(errors[0], OperationalError)
        assert "timeout expired" in str(errors[0])


class _Stop(Exception):
    """Raised once the connection's parameters are seen: nothing needs to be reached."""


def _connect_params(engine: Engine) -> dict[str, Any]:
    """The keyword arguments the engine hands psycopg.connect."""
    seen: dict[str, Any] = {}

    def record(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        seen.update(params)
        raise _Stop

    event.listen(engine, "do_connect", record)
    with pytest.raises(_Stop):
        engine.connect()
    engine.dispose()
    return seen


def test_every_engine_is_given_the_timeout_unless_the_url_or_caller_names_one() -> None:
    default = database.CONNECT_TIMEOUT_SECONDS
    store = open_store("postgresql://postgres@127.0.0.1:9/antrean")
    assert _connect_params(store.engine)["connect_timeout"] == default
    store.dispose()
    named = create_store_engine("postgresql://h/db", connect_args={"connect_timeout": 9})
    assert _connect_params(named)["connect_timeout"] == 9
    in_url = open_store("postgresql://postgres@h/db?connect_timeout=20")
    assert _connect_params(in_url.engine)["connect_timeout"] == "20"
    in_url.dispose()
    assert connect_timeout_args("sqlite:///antrean.db") == {}


def test_a_broken_link_fails_within_seconds_unless_the_url_says_otherwise() -> None:
    store = open_store("postgresql://postgres@127.0.0.1:9/antrean")
    params = _connect_params(store.engine)
    store.dispose()
    for key, value in database.LINK_DEFAULTS.items():
        assert params[key] == value
    in_url = open_store("postgresql://postgres@h/db?tcp_user_timeout=60000")
    params = _connect_params(in_url.engine)
    in_url.dispose()
    assert params["tcp_user_timeout"] == "60000" and params["keepalives_idle"] == 5


def test_the_link_settings_are_ones_the_server_accepts(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        with store.engine.connect() as connection:
            info = connection.connection.dbapi_connection.info  # type: ignore[union-attr]
            assert info.get_parameters()["tcp_user_timeout"] == "5000"
    finally:
        store.dispose()
