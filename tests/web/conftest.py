"""The web service over conftest's `store` (SQLite file, and PostgreSQL when required)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shared.store.database import Store
from tests.support.branches import small_branch
from web.app import create_app
from web.guard import Guard


@pytest.fixture
def web_app(store: Store) -> Guard:
    return create_app(store, small_branch())


@pytest.fixture
def client(web_app: Guard) -> Iterator[TestClient]:
    # `with`: runs the app's start-up (the change watcher) and shut-down.
    with TestClient(web_app, follow_redirects=False) as test_client:
        yield test_client
