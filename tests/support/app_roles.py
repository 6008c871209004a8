"""The apps' own PostgreSQL login roles on a test's database, and a store connected as each,
so a test sees exactly what an app's grants let it do."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from shared.clock import Clock
from shared.store.database import Store, create_store_engine, open_store
from shared.store.roles import create_app_roles, drop_app_roles, role_name

# Roles are cluster-wide: one name per test process keeps two runs on one server apart.
ROLE_PREFIX = f"antrean_t{os.getpid()}"
AppStore = Callable[[str], Store]  # a store connected as one app's database role


def role_url(postgres_url: str, app: str) -> str:
    """`postgres_url` with the app's role as its user."""
    base, _, database = postgres_url.rpartition("/")
    scheme, _, host = base.partition("://")
    return f"{scheme}://{role_name(ROLE_PREFIX, app)}@{host.rpartition('@')[2]}/{database}"


@contextmanager
def app_role_stores(postgres_url: str, clock: Clock) -> Iterator[AppStore]:
    """The roles made (by the database's owner) for the block, and dropped after it."""
    owner = create_store_engine(postgres_url)
    create_app_roles(owner, ROLE_PREFIX)
    opened: list[Store] = []

    def connect_as(app: str) -> Store:
        store = open_store(role_url(postgres_url, app), clock=clock)
        opened.append(store)
        return store

    try:
        yield connect_as
    finally:
        for store in opened:
            store.dispose()
        drop_app_roles(owner, ROLE_PREFIX)
        owner.dispose()
