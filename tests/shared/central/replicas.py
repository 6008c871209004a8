"""A replicated test branch, and the comparison of its published rows with its copy's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import psycopg
from psycopg import sql

from shared.central.layout import copy_url, subscription_name
from shared.central.publication import PUBLISHED
from shared.central.status import wait_until_caught_up
from shared.clock import ManualClock
from shared.store.database import Store
from tests.support.clusters import Cluster

CATCH_UP_SECONDS = 60.0


@dataclass
class Replicated:
    branch: Cluster
    central: Cluster
    code: str
    store: Store  # the branch's, as its apps use it
    clock: ManualClock

    @property
    def branch_url(self) -> str:
        return self.branch.url("antrean")

    @property
    def central_url(self) -> str:
        return self.central.url()

    @property
    def copy_url(self) -> str:
        return copy_url(self.central_url, self.code)

    @property
    def slot(self) -> str:
        return subscription_name(self.code)

    def caught_up(self) -> float:
        return wait_until_caught_up(self.central_url, self.code, self.branch_url,
                                    CATCH_UP_SECONDS)


def rows(url: str, table: str, columns: tuple[str, ...]) -> Counter[str]:
    """The table's rows (those columns), each as text, counted: a row lost or doubled shows."""
    query = sql.SQL("SELECT ROW({})::text FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table))
    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        return Counter(str(row[0]) for row in connection.execute(query))


def differences(
    region: Replicated, published: dict[str, tuple[str, ...]] = PUBLISHED
) -> dict[str, tuple[Counter[str], Counter[str]]]:
    """Per published table, the rows only the branch has and those only the copy has."""
    found = {}
    for table, columns in published.items():
        at_branch = rows(region.branch_url, table, columns)
        at_copy = rows(region.copy_url, table, columns)
        if at_branch != at_copy:
            found[table] = (at_branch - at_copy, at_copy - at_branch)
    return found

