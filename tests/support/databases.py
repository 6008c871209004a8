"""Test databases: a migrated SQLite file per test, and the real PostgreSQL server.

PostgreSQL tests skip with a reason when no server answers, unless ANTREAN_REQUIRE_POSTGRES=1
(CI), where a missing server is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from shared.store.database import create_store_engine
from shared.store.models import Base
from shared.store.schema import upgrade_database

ADMIN_URL = os.environ.get(
    "ANTREAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_DATABASE = os.environ.get("ANTREAN_TEST_POSTGRES_DB", f"antrean_test_{os.getpid()}")


def postgres_required() -> bool:
    return os.environ.get("ANTREAN_REQUIRE_POSTGRES") == "1"


def postgres_or_skip() -> None:
    try:
        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {ADMIN_URL} does not answer: {error}".strip()
        if postgres_required():
            pytest.fail(message + " (ANTREAN_REQUIRE_POSTGRES=1)", pytrace=False)
        pytest.skip(message)


def postgres_url(database: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def create_postgres_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url(name)
    engine = create_store_engine(url)
    upgrade_database(engine)
    engine.dispose()
    return url


def drop_postgres_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_postgres(url: str) -> None:
    engine = create_store_engine(url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def migrated_sqlite_template(folder: Path) -> Path:
    path = folder / "template.db"
    engine = create_store_engine(f"sqlite:///{path}")
    upgrade_database(engine)
    engine.dispose()
    return path


def fresh_sqlite(template: Path, folder: Path) -> str:
    path = folder / "antrean.db"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}"
