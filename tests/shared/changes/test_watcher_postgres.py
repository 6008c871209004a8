"""PostgreSQL's LISTEN connection is dropped (a server restart, a network blip) and recovers."""

from __future__ import annotations

import psycopg
import pytest

from shared.changes import watch_changes
from shared.changes.watcher import LOST, RESYNC
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from tests.shared.changes.test_watcher import collect
from tests.support.actions import run


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


@pytest.mark.postgres
def test_postgres_watcher_survives_a_dropped_connection(postgres_url: str, store: Store) -> None:
    watcher = watch_changes(store, "TST")
    try:
        admin = postgres_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            )
        kinds = [c.kind for c in collect(watcher, 1)]
        assert kinds == [LOST]
        kinds = [c.kind for c in collect(watcher, 1)]
        assert kinds == [RESYNC]
        run(store, issue_ticket, "JHT")
        assert [c.kind for c in collect(watcher, 1)] == ["ticket.issued"]
    finally:
        watcher.close()
