"""The migrations build exactly the schema the models describe, and re-running them is harmless."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from shared.store.database import create_store_engine
from shared.store.models import Base
from shared.store.schema import current_revision, head_revision, upgrade_database

CALL_ORDER_INDEXES = ("ix_tickets_waiting", "ix_tickets_waiting_bookings")


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_store_engine(database_url)
    upgrade_database(engine)  # already at head: must be a no-op
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite cannot compare the call-order indexes (priority DESC): PostgreSQL checks them.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    if engine.dialect.name == "sqlite":
        # SQLite cannot add the counters -> tickets key after both tables exist (see 0001).
        differences = [
            d for d in differences
            if not (d[0] == "add_fk" and d[1].parent.name == "counters")
            and not (d[0] in ("add_index", "remove_index") and d[1].name in CALL_ORDER_INDEXES)
        ]
    assert differences == []


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    engine = create_store_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
