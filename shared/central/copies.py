"""A branch's copy on the central cluster: a database with the project's schema, migrated first.

The copy is migrated with the same Alembic migrations as the branches, so its tables have every
column the branch may send (the subscriber must have each column the publisher sends). Columns
the branch keeps private arrive as NULL, so they may not be NOT NULL on the copy.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from shared.central.layout import (
    COPY_SETTING,
    DATABASE_PREFIX,
    READER_ROLE,
    branch_database,
    code_of_token,
    copy_url,
    libpq_url,
)
from shared.central.publication import PUBLISHED
from shared.store.database import create_store_engine
from shared.store.schema import current_revision, upgrade_database


def connect(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection: CREATE DATABASE and the subscription commands refuse to run
    inside a transaction. It fails within seconds when the server does not answer."""
    return psycopg.connect(libpq_url(url), autocommit=True, connect_timeout=5)


def create_copy(central_url: str, code: str) -> bool:
    """The copy's database, made if missing; True when it was made now."""
    database = branch_database(code)
    with connect(central_url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        connection.execute(sql.SQL("ALTER DATABASE {} SET {} = 'on'").format(
            sql.Identifier(database), sql.Identifier(*COPY_SETTING.split("."))))
        reader = connection.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (READER_ROLE,)
        ).fetchone()
        if reader is None:
            connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(
                sql.Identifier(READER_ROLE)))
        connection.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(READER_ROLE)))
    return exists is None


def grant_reading(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    """On a copy: the region's readers may read every table (the secrets are not there) and
    nothing else; tables later migrations add are readable too."""
    reader = sql.Identifier(READER_ROLE)
    connection.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(reader))
    connection.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(reader))
    connection.execute(sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON "
                               "TABLES TO {}").format(reader))


def migrate_copy(
    central_url: str, code: str, published: dict[str, tuple[str, ...]] = PUBLISHED
) -> str | None:
    """Migrate one copy to the newest schema and let its unpublished columns be NULL; returns
    the revision it is at."""
    url = copy_url(central_url, code)
    engine = create_store_engine(url)
    try:
        upgrade_database(engine)
        revision = current_revision(engine)
    finally:
        engine.dispose()
    with connect(url) as connection:
        grant_reading(connection)
        for table, columns in published.items():
            required = connection.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND NOT attisdropped AND attnotnull",
                (table,),
            ).fetchall()
            for (column,) in required:
                if column not in columns:
                    connection.execute(sql.SQL("ALTER TABLE {} ALTER COLUMN {} DROP NOT NULL")
                                       .format(sql.Identifier(table), sql.Identifier(str(column))))
    return revision


def copy_codes(central_url: str) -> list[str]:
    """Every copy on the central cluster, subscribed or kept after removal."""
    with connect(central_url) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY datname",
            (DATABASE_PREFIX,),
        ).fetchall()
    return sorted(code_of_token(str(name).removeprefix(DATABASE_PREFIX)) for (name,) in rows)


def migrate_copies(central_url: str) -> dict[str, str | None]:
    """Step one of a schema change: every copy migrated before any branch is (docs/central.md)."""
    return {code: migrate_copy(central_url, code) for code in copy_codes(central_url)}


def drop_copy(central_url: str, code: str) -> None:
    with connect(central_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(branch_database(code))))
