"""remove-branch leaves the branch keeping no WAL for the region, also when the branch was
down at the removal; the copy's data stays unless asked."""

from __future__ import annotations

import time

import psycopg
import pytest

from shared.central.layout import region_branches
from shared.central.status import BranchReplication, replication_status, slot_state
from shared.central.subscription import add_branch, remove_branch
from shared.services import issuing
from tests.shared.central.replicas import Replicated, rows
from tests.support.actions import run

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
LINK_LOST_SECONDS = 30.0


def slots(url: str) -> list[tuple[str, int]]:
    """Every slot on the branch's server and the WAL it keeps."""
    with psycopg.connect(url) as connection:
        return [
            (str(name), int(kept))
            for name, kept in connection.execute(
                "SELECT slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint "
                "FROM pg_replication_slots"
            )
        ]


def test_removal_drops_the_slot_and_keeps_the_copy_unless_asked(replicated: Replicated) -> None:
    region = replicated
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    assert [name for name, _ in slots(region.branch_url)] == [region.slot]

    removed = remove_branch(region.central_url, region.code)
    assert removed.subscription_dropped and removed.slot_dropped and not removed.data_dropped
    assert slots(region.branch_url) == []
    assert region_branches(region.central_url) == []
    [kept] = region_branches(region.central_url, include_detached=True)
    assert (kept.code, kept.subscribed) == ("TST", False)
    # The copy still holds what had arrived, and no longer follows the branch.
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    assert sum(rows(kept.url, "tickets", ("id",)).values()) == 1

    dropped = remove_branch(region.central_url, region.code, drop_data=True)
    assert dropped.data_dropped
    assert region_branches(region.central_url, include_detached=True) == []


def test_a_removal_while_the_branch_is_down_leaves_its_slot_until_told_where_it_is(
    replicated: Replicated,
) -> None:
    region = replicated
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    region.store.dispose()
    region.branch.stop()
    try:
        # The region sees the link down, and still knows up to when it heard from the branch.
        lost = _link_lost(region)
        assert lost.subscription.last_contact == lost.subscription.last_change_at
        assert lost.subscription.last_change_at == region.clock.now()
        assert lost.slot is None and lost.slot_problem is not None
        assert "does not answer" in lost.slot_problem
        removed = remove_branch(region.central_url, region.code)
    finally:
        region.branch.start()
    assert removed.subscription_dropped and not removed.slot_dropped
    assert removed.problem is not None and region.slot in removed.problem
    # Left alone, that slot would keep the branch's WAL for ever.
    assert [name for name, _ in slots(region.branch_url)] == [region.slot]

    cleaned = remove_branch(region.central_url, region.code, branch_url=region.branch_url)
    assert cleaned.slot_dropped and cleaned.problem is None
    assert slots(region.branch_url) == []
    assert slot_state(region.branch_url, region.slot) is None
    # And it can be added again from scratch.
    add_branch(region.central_url, region.code, region.branch_url)
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    assert sum(rows(region.copy_url, "tickets", ("id",)).values()) == 2


def _link_lost(region: Replicated) -> BranchReplication:
    deadline = time.monotonic() + LINK_LOST_SECONDS
    while time.monotonic() < deadline:
        [branch] = replication_status(region.central_url)
        if not branch.subscription.connected:
            return branch
        time.sleep(0.2)
    raise AssertionError("the central server still thinks the branch is linked")
