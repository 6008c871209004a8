"""Two PostgreSQL clusters of the tests' own, a branch's and the central one, and a branch
replicated from the first into the second (a fresh branch database and copy per test)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from shared.central.subscription import add_branch, remove_branch
from shared.clock import ManualClock
from shared.services.setup import apply_branch_config
from shared.store.database import open_store
from shared.store.schema import upgrade_database
from tests.shared.central.replicas import Replicated
from tests.support.branches import MONDAY_0800, small_branch
from tests.support.clusters import Cluster, running_clusters

BRANCH_DATABASE = "antrean"


@pytest.fixture(scope="session")
def clusters() -> Iterator[dict[str, Cluster]]:
    with running_clusters("branch", "central") as found:
        yield found


@pytest.fixture
def replicated(clusters: dict[str, Cluster]) -> Iterator[Replicated]:
    branch, central = clusters["branch"], clusters["central"]
    for cluster in (branch, central):  # an earlier test may have failed during its outage
        if not cluster.running:
            cluster.start()
    with psycopg.connect(branch.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BRANCH_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BRANCH_DATABASE}")
    clock = ManualClock(MONDAY_0800)
    store = open_store(branch.url(BRANCH_DATABASE), clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, small_branch())
    add_branch(central.url(), "TST", branch.url(BRANCH_DATABASE))
    region = Replicated(branch, central, "TST", store, clock)
    region.caught_up()
    yield region
    store.dispose()
    for cluster in (branch, central):
        if not cluster.running:
            cluster.start()
    remove_branch(central.url(), "TST", branch_url=region.branch_url, drop_data=True)
