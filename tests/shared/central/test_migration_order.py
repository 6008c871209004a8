"""Schema changes in the documented order (docs/central.md) never stop replication: the copies
first, then the branch, then the branch publishes the new column. Out of order, the copy stops
taking the branch's changes until it has the column, and then takes them all.

The migration in order is a real Alembic revision after the project's head, applied by the
same functions `antrean central migrate` and `antrean init` use; the one out of order is the
same column added by hand.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory

from shared.central.copies import migrate_copies
from shared.central.publication import PUBLISHED
from shared.central.subscription import add_branch
from shared.services import issuing
from shared.store import schema
from shared.store.database import create_store_engine
from shared.store.schema import upgrade_database
from tests.shared.central.replicas import Replicated, differences, rows
from tests.support.actions import run

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ADD_COLUMN = "ALTER TABLE tickets ADD COLUMN region_note varchar(40) NOT NULL DEFAULT 'lobi'"
WITH_NOTE = {**PUBLISHED, "tickets": (*PUBLISHED["tickets"], "region_note")}
STALLED_SECONDS = 30.0


def migrate(url: str) -> None:
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        connection.execute(ADD_COLUMN)


def issue(region: Replicated, count: int) -> None:
    for _ in range(count):
        run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")


def test_central_first_then_branch_then_publish_keeps_every_row_flowing(
    replicated: Replicated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    region = replicated
    # A migration can tell a copy, where it must not write rows of replicated tables.
    assert _setting(region.copy_url) == "on" and _setting(region.branch_url) in (None, "")
    monkeypatch.setattr(schema, "MIGRATIONS", migrations_with_region_note(tmp_path))
    issue(region, 2)
    # 1. The copies first (`antrean central migrate`), while the branch works.
    assert migrate_copies(region.central_url) == {"TST": "region_note"}
    issue(region, 2)
    region.caught_up()
    assert differences(region) == {}
    # 2. The branch (`antrean init`), while the copy still takes its changes.
    engine = create_store_engine(region.branch_url)
    upgrade_database(engine)
    engine.dispose()
    assert _revision(region.branch_url) == "region_note"
    issue(region, 2)
    region.caught_up()
    assert differences(region) == {}
    # 3. The branch publishes the column (`antrean central add-branch` again).
    add_branch(region.central_url, region.code, region.branch_url, published=WITH_NOTE)
    with psycopg.connect(region.branch_url) as connection:
        connection.execute("UPDATE tickets SET region_note = 'loket' WHERE id = 1")
    issue(region, 2)
    region.caught_up()
    assert differences(region, WITH_NOTE) == {}
    notes = rows(region.copy_url, "tickets", ("id", "region_note"))
    assert sum(notes.values()) == 8
    assert notes["(1,loket)"] == 1


def migrations_with_region_note(folder: Path) -> Path:
    """The project's migrations and one more after the head: an added column."""
    copied = folder / "migrations"
    shutil.copytree(schema.MIGRATIONS, copied, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory(str(schema.MIGRATIONS)).get_current_head()
    (copied / "versions" / "region_note.py").write_text(
        f'''"""A test migration: tickets get a note."""

import sqlalchemy as sa
from alembic import op

revision = "region_note"
down_revision = "{head}"


def upgrade() -> None:
    op.add_column("tickets", sa.Column("region_note", sa.String(40), nullable=False,
                                       server_default="lobi"))


def downgrade() -> None:
    op.drop_column("tickets", "region_note")
''',
        encoding="utf-8",
    )
    return copied


def test_a_column_published_before_the_copy_has_it_stalls_the_copy_until_it_does(
    replicated: Replicated,
) -> None:
    region = replicated
    issue(region, 1)
    region.caught_up()
    migrate(region.branch_url)
    add_branch(region.central_url, region.code, region.branch_url, published=WITH_NOTE)
    issue(region, 3)
    # The copy refuses the changes it cannot hold (and retries them): they wait on the slot.
    _wait_for_apply_error(region)
    assert sum(rows(region.copy_url, "tickets", ("id",)).values()) == 1
    migrate(region.copy_url)
    region.caught_up()
    assert differences(region, WITH_NOTE) == {}


def _setting(url: str) -> str | None:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT current_setting('antrean.central_copy', true)").fetchone()
    assert row is not None
    return None if row[0] is None else str(row[0])


def _revision(url: str) -> str:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert row is not None
    return str(row[0])


def _wait_for_apply_error(region: Replicated) -> None:
    deadline = time.monotonic() + STALLED_SECONDS
    with psycopg.connect(region.copy_url, autocommit=True) as copy:
        while time.monotonic() < deadline:
            row = copy.execute(
                "SELECT apply_error_count FROM pg_stat_subscription_stats WHERE subname = %s",
                (region.slot,),
            ).fetchone()
            if row is not None and row[0] > 0:
                return
            time.sleep(0.2)
    raise AssertionError("the copy took a column it does not have")
