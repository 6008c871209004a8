"""The safety valve: with max_slot_wal_keep_size set, a copy gone too long costs the branch no
more WAL than that. The branch drops the WAL and marks the slot lost, goes on working, and the
copy is made again whole (docs/central.md, "Outages")."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from shared.central.status import slot_state
from shared.central.subscription import add_branch, remove_branch
from shared.services import issuing
from tests.shared.central.replicas import Replicated, differences
from tests.support.actions import run

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
SEGMENTS = 4  # WAL files written while the copy is away, each past the 1 MB the slot may keep


@pytest.fixture
def small_valve(replicated: Replicated) -> Iterator[Replicated]:
    with psycopg.connect(replicated.branch.url(), autocommit=True) as admin:
        admin.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'")
        admin.execute("SELECT pg_reload_conf()")
    try:
        yield replicated
    finally:
        with psycopg.connect(replicated.branch.url(), autocommit=True) as admin:
            admin.execute("ALTER SYSTEM RESET max_slot_wal_keep_size")
            admin.execute("SELECT pg_reload_conf()")


def test_a_copy_away_too_long_is_lost_not_the_branch_disk(small_valve: Replicated) -> None:
    region = small_valve
    region.central.stop()
    with psycopg.connect(region.branch.url("antrean"), autocommit=True) as admin:
        for _ in range(SEGMENTS):
            run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
            admin.execute("SELECT pg_switch_wal()")
        admin.execute("CHECKPOINT")
    lost = slot_state(region.branch_url, region.slot)
    assert lost is not None and lost.wal_status == "lost"
    # The branch goes on regardless.
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")

    region.central.start()
    remove_branch(region.central_url, region.code)
    add_branch(region.central_url, region.code, region.branch_url)
    region.caught_up()
    assert differences(region) == {}
