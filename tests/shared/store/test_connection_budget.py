"""A branch of 50 counters, 4 kiosks, the lobby display and the web service fits PostgreSQL's
default connection limit (docs/connections.md).

Before the budget each counter or kiosk process held two pooled connections (the ORM's and an
autocommit pool for call next) plus its change watcher's: 50 counters and 4 kiosks alone needed
more than the server's 100.
"""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Iterator
from functools import partial

import psycopg
import pytest
from sqlalchemy.engine import make_url

from shared.changes import ChangeWatcher, watch_changes
from shared.changes.watcher import PolledPostgresWatcher, PostgresWatcher
from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.officers import add_officer
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.services.snapshot import live_snapshot
from shared.store.database import BUDGETS, Store, open_store
from tests.support.branches import MONDAY_0800

pytestmark = pytest.mark.postgres
BRANCH = "BDGT"
COUNTERS = 50
KIOSKS = 4
# PostgreSQL's default max_connections less its default superuser_reserved_connections.
DEFAULT_LIMIT = 100 - 3
# One timeline for every store here (the apps' stores would read the server's clock).
CLOCK = ManualClock(MONDAY_0800)
# Processes of each kind in the branch the issue measured.
BRANCH_PROCESSES = {"counter": COUNTERS, "kiosk": KIOSKS, "display": 1, "web": 1}


def branch_text(counters: int) -> str:
    days = "\n".join(f'{day} = ["00:00", "23:59"]'
                     for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    desks = "\n".join(f'[[counters]]\nnumber = {n}\nservices = ["JHT"]\n'
                      for n in range(1, counters + 1))
    return f"""
[branch]
code = "{BRANCH}"
name = "Kantor Cabang Besar"
timezone = "Asia/Jakarta"
[branch.opening_hours]
{days}

[[services]]
code = "JHT"
prefix = "A"
name_id = "Klaim JHT"
name_en = "JHT claim"

{desks}
"""


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def server_limit(url: str) -> int:
    """Connections the server lets ordinary roles open: max_connections less the superusers'."""
    with psycopg.connect(plain(url), autocommit=True) as connection:
        most = int(connection.execute("SHOW max_connections").fetchone()[0])  # type: ignore[index]
        kept = int(connection.execute(  # type: ignore[index]
            "SHOW superuser_reserved_connections").fetchone()[0])
    return most - kept


def connections_to(url: str) -> int:
    """Connections open to the test database now, but the one asking."""
    database = make_url(url).database
    with psycopg.connect(plain(url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_the_declared_budget_of_a_large_branch_fits_the_default_limit() -> None:
    total = sum(BUDGETS[kind].most * count for kind, count in BRANCH_PROCESSES.items())
    assert total <= DEFAULT_LIMIT
    # The counters and kiosks, the many, hold one connection each and listen on none.
    assert BUDGETS["counter"].most == BUDGETS["kiosk"].most == 1


@pytest.fixture
def branch(postgres_url: str) -> Iterator[tuple[Store, dict[int, int]]]:
    """The branch, set up by a tool's store: counter number -> its officer."""
    store = open_store(postgres_url, clock=CLOCK)
    apply_branch_config(store, parse_branch_config(branch_text(COUNTERS), "big.toml"))
    officer_at = {}
    for number in range(1, COUNTERS + 1):
        add = partial(
            add_officer, login=f"petugas{number}", name=f"Petugas {number}", role="officer",
            secret="1234",
        )
        officer = attempt(store, BRANCH, add)
        opening = partial(open_counter, counter_number=number, officer_id=officer.id)
        attempt(store, BRANCH, opening)
        officer_at[number] = officer.id
    for _ in range(COUNTERS):
        attempt(store, BRANCH, lambda uow: issue_ticket(uow, "JHT", admission=Admission.ANY_HOUR))
    store.dispose()
    yield store, officer_at


def exercise(kind: str, store: Store, officer: int | None, number: int) -> None:
    """What a process of this kind does most: one of its busiest moments."""
    if kind == "counter":
        assert officer is not None
        assert attempt(store, BRANCH, lambda uow: call_next(uow, number, officer)) is not None
    elif kind == "kiosk":
        attempt(store, BRANCH, lambda uow: issue_ticket(uow, "JHT", kiosk=f"kiosk-{number}",
                                                        admission=Admission.ANY_HOUR))
    else:  # the display reads once; the web service answers many visitors at once
        readers = 1 if kind == "display" else 12
        threads = [threading.Thread(target=attempt, args=(store, BRANCH, live_snapshot),
                                    kwargs={"read_only": True}) for _ in range(readers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)


def test_counters_kiosks_display_and_web_service_fit_the_default_limit_as_measured(
    postgres_url: str, branch: tuple[Store, dict[int, int]]
) -> None:
    """Every process's store opened as its app opens it, with its change watcher, each one
    exercised: the connections each kind holds are counted on the server, and none exceeds its
    budget, nor all of them the server's limit."""
    _, officer_at = branch
    stores: list[Store] = []
    watchers: list[ChangeWatcher] = []
    per_kind: Tally[str] = Tally()
    try:
        for kind, count in BRANCH_PROCESSES.items():
            before = connections_to(postgres_url)
            for number in range(1, count + 1):
                options = {"pool_pre_ping": False} if kind == "display" else {}
                store = open_store(postgres_url, clock=CLOCK, role=kind, **options)
                stores.append(store)
                watcher = watch_changes(store, BRANCH)
                watchers.append(watcher)
                expected = PostgresWatcher if BUDGETS[kind].listens else PolledPostgresWatcher
                assert isinstance(watcher, expected)
                exercise(kind, store, officer_at.get(number), number)
                watcher.wait(0.55)  # a polling watcher polls once at least
            per_kind[kind] = connections_to(postgres_url) - before
        total = connections_to(postgres_url)
    finally:
        for watcher in watchers:
            watcher.close()
        for store in stores:
            store.dispose()
    for kind, count in BRANCH_PROCESSES.items():
        assert per_kind[kind] <= BUDGETS[kind].most * count, per_kind
    assert per_kind["counter"] == COUNTERS  # one each, call next and watching included
    assert total <= min(server_limit(postgres_url), DEFAULT_LIMIT), per_kind


def test_a_counter_without_a_listening_connection_still_hears_of_changes(
    postgres_url: str, branch: tuple[Store, dict[int, int]]
) -> None:
    counter = open_store(postgres_url, clock=CLOCK, role="counter")
    kiosk = open_store(postgres_url, clock=CLOCK, role="kiosk")
    watcher = watch_changes(counter, BRANCH)
    try:
        assert watcher.wait(0.6) == []
        attempt(kiosk, BRANCH, lambda uow: issue_ticket(uow, "JHT", admission=Admission.ANY_HOUR))
        assert [c.kind for c in watcher.wait(5.0)] == ["many"]
        assert watcher.wait(0.6) == []  # told once
    finally:
        watcher.close()
        counter.dispose()
        kiosk.dispose()
