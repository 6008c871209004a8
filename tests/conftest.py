"""Fixtures shared by every test: stores on both databases, a clock, a configured branch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from shared.clock import ManualClock
from shared.services import officers
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.unit_of_work import UnitOfWork
from tests.support import databases
from tests.support.app_roles import AppStore, app_role_stores
from tests.support.branches import MONDAY_0800, small_branch


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


# `make test-fast` leaves out the GUI, browser and PostgreSQL tests by marker; the markers come
# from where a test lives and what it uses, so a new test needs no tag to be sorted right.
GUI_FOLDERS = {"kiosk", "counter", "display"}
GUI_FIXTURES = {"qtbot", "qapp"}
BROWSER_FIXTURES = {"chromium"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        in_gui_folder = (
            item.path.is_relative_to(tests)
            and item.path.relative_to(tests).parts[0] in GUI_FOLDERS
        )
        if in_gui_folder or fixtures & GUI_FIXTURES:
            item.add_marker(pytest.mark.gui)
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if "postgres_database" in fixtures:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> None:
    # Real argon2, cheaper parameters: hashing cost is not what these tests measure.
    officers.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    databases.postgres_or_skip()
    url = databases.create_postgres_database(databases.TEST_DATABASE)
    yield url
    databases.drop_postgres_database(databases.TEST_DATABASE)


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    return databases.fresh_sqlite(sqlite_template, tmp_path)


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    databases.empty_postgres(postgres_database)
    return postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_0800)


@pytest.fixture
def app_store(postgres_url: str, clock: ManualClock) -> Iterator[AppStore]:
    """`app_store("kiosk")`: a store connected as that app's own role (tests/support)."""
    with app_role_stores(postgres_url, clock) as connect_as:
        yield connect_as


# Officers sign in with a PIN; supervisors and admins need a password (shared/services/officers.py).
PIN = "1234"
# Typeable on the kiosk's touch keyboard too (capitals, digits and -).
PASSWORD = "SANDI-1234"


def secret_for(role: str) -> str:
    return PIN if role == "officer" else PASSWORD


@dataclass
class Staff:
    ani: int  # officer
    budi: int  # officer
    citra: int  # officer
    sri: int  # supervisor


@pytest.fixture
def store(database_url: str, clock: ManualClock) -> Iterator[Store]:
    store = open_store(database_url, clock=clock)
    apply_branch_config(store, small_branch())
    yield store
    store.dispose()


@pytest.fixture
def staff(store: Store) -> Staff:
    ids = {}
    for login, role in [("ani", "officer"), ("budi", "officer"), ("citra", "officer"),
                        ("sri", "supervisor")]:
        with UnitOfWork(store, "TST") as uow:
            ids[login] = officers.add_officer(uow, login, login.title(), role, secret_for(role)).id
    return Staff(**ids)


@pytest.fixture
def uow(store: Store) -> UnitOfWork:
    """A fresh unit of work; use it as `with uow:` (once per transaction)."""
    return UnitOfWork(store, "TST")
