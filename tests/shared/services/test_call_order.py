"""Call order equals number order within a service, however concurrent kiosks interleave.

A kiosk's transaction reads its instant when it begins but takes its number later, under the
sequence row's lock, so a kiosk that began first can take the later number. These tests make
that happen on purpose on PostgreSQL (kiosks in threads, each with its own connection, paused
between their transaction's start and their number) and then let counters call: both the
stored procedure (call next's fast path) and the ordinary path must follow the numbers.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.clock import ManualClock
from shared.domain.labels import parse_label
from shared.services import calling, issuing, serving
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.fast_calling import FALL_BACK
from shared.services.issuing import Admission, issue_ticket
from shared.services.officers import add_officer
from shared.services.setup import apply_branch_config
from shared.services.views import TicketView
from shared.store.database import Store, open_store
from shared.store.models import Service, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.support import databases
from tests.support.actions import run
from tests.support.branches import MONDAY_0800, small_branch

pytestmark = pytest.mark.postgres
JOIN_SECONDS = 30.0
# On PostgreSQL the number is taken inside `antrean_issue_ticket` (migration 0007): the kiosks
# pause just before it, where the ordinary path would call `next_number`.
original_issue = issuing.issue_on_postgresql


def branch_store(url: str, clock: ManualClock) -> Store:
    databases.empty_postgres(url)
    store = open_store(url, clock=clock)
    apply_branch_config(store, small_branch())
    return store


def staffed(store: Store, counters: list[int]) -> dict[int, int]:
    """Each counter open under an officer of its own: counter number -> officer id."""
    officer_at = {}
    for number in counters:
        officer = run(store, add_officer, f"petugas{number}", f"Petugas {number}", "officer",
                      "1234")
        run(store, open_counter, number, officer.id)
        officer_at[number] = officer.id
    return officer_at


def drain(store: Store, counter: int, officer: int) -> list[TicketView]:
    """Call next at this counter until nobody waits, serving each visitor in turn."""
    called = []
    while (ticket := run(store, call_next, counter, officer)) is not None:
        called.append(ticket)
        run(store, serving.start, counter, officer)
        run(store, serving.finish, counter, officer)
    return called


def issue(store: Store, service: str, kiosk: str, priority: bool = False) -> None:
    with UnitOfWork(store, "TST") as uow:
        issue_ticket(uow, service, priority=priority, kiosk=kiosk, admission=Admission.ANY_HOUR)


def numbers_by_queue(called: list[TicketView]) -> dict[tuple[str, bool], list[int]]:
    """Each service's numbers in the order they were called, priority and regular apart (a
    priority visitor goes first by the documented call order)."""
    queues: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for ticket in called:
        queues[(ticket.service_code, ticket.priority)].append(parse_label(ticket.label)[1])
    return queues


def start_all(threads: list[threading.Thread]) -> Callable[[], None]:
    for thread in threads:
        thread.start()

    def join() -> None:
        for thread in threads:
            thread.join(JOIN_SECONDS)
            assert not thread.is_alive(), f"{thread.name} did not finish"

    return join


def test_kiosks_that_take_their_numbers_in_reverse_are_called_by_number(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four kiosks begin one after another (the clock moves between them), then take their
    numbers in the reverse order: the last to begin gets A001. Before the fix the first to
    begin, holding A004, was called first."""
    kiosks = 4
    clock = ManualClock(MONDAY_0800)
    store = branch_store(postgres_database, clock)
    try:
        officer_at = staffed(store, [1])
        reached = [threading.Event() for _ in range(kiosks)]
        go = [threading.Event() for _ in range(kiosks)]
        failures: list[BaseException] = []
        which = threading.local()

        def paused_issue(uow: UnitOfWork, service: Service, *rest: Any) -> Ticket:
            reached[which.kiosk].set()  # the transaction has begun and read its instant
            assert go[which.kiosk].wait(JOIN_SECONDS)
            return original_issue(uow, service, *rest)

        monkeypatch.setattr(issuing, "issue_on_postgresql", paused_issue)

        def kiosk(index: int) -> None:
            which.kiosk = index
            try:
                issue(store, "JHT", f"kiosk-{index}")
            except BaseException as error:  # handed to the test's thread, which fails on it
                failures.append(error)
                reached[index].set()

        threads = [threading.Thread(target=kiosk, args=(i,), name=f"kiosk-{i}")
                   for i in range(kiosks)]
        for index, thread in enumerate(threads):
            thread.start()
            assert reached[index].wait(JOIN_SECONDS)
            clock.advance(1)
        for index in reversed(range(kiosks)):
            go[index].set()
            threads[index].join(JOIN_SECONDS)
        assert not failures, failures
        monkeypatch.setattr(issuing, "issue_on_postgresql", original_issue)

        called = drain(store, 1, officer_at[1])
    finally:
        store.dispose()
    assert [t.label for t in called] == ["A001", "A002", "A003", "A004"]


# One kiosk's run: per ticket the service, whether it is a priority one, and how long the kiosk
# pauses (ms) between its transaction's start and its number.
ISSUES = st.lists(
    st.tuples(st.sampled_from(["JHT", "JKM"]), st.booleans(), st.integers(0, 12)),
    min_size=1, max_size=4,
)


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plans=st.lists(ISSUES, min_size=2, max_size=6), fast_path=st.booleans())
def test_every_service_is_called_in_number_order_whatever_the_kiosks_interleaving(
    postgres_database: str, monkeypatch: pytest.MonkeyPatch,
    plans: list[list[tuple[str, bool, int]]],
    fast_path: bool,
) -> None:
    """Many kiosks issue at once into two services (regular and priority), each pausing a
    chosen time between its transaction's start and its number while the clock moves on; then
    one counter serving both services calls everyone, by the stored procedure or by the
    ordinary path. Within each service (and priority class) the calls follow the numbers."""
    clock = ManualClock(MONDAY_0800)
    store = branch_store(postgres_database, clock)
    try:
        officer_at = staffed(store, [3])  # counter 3 serves JKM and JHT, longest-waiting first
        pauses = threading.local()
        failures: list[BaseException] = []

        def paused_issue(uow: UnitOfWork, service: Service, *rest: Any) -> Ticket:
            time.sleep(pauses.ms / 1000)
            return original_issue(uow, service, *rest)

        monkeypatch.setattr(issuing, "issue_on_postgresql", paused_issue)
        start = threading.Barrier(len(plans))

        def kiosk(index: int, plan: list[tuple[str, bool, int]]) -> None:
            try:
                start.wait(JOIN_SECONDS)
                for service, priority, ms in plan:
                    pauses.ms = ms
                    clock.advance(0.001)
                    issue(store, service, f"kiosk-{index}", priority)
            except BaseException as error:  # handed to the test's thread, which fails on it
                failures.append(error)

        start_all([threading.Thread(target=kiosk, args=(i, plan), name=f"kiosk-{i}")
                   for i, plan in enumerate(plans)])()
        assert not failures, failures
        monkeypatch.setattr(issuing, "issue_on_postgresql", original_issue)
        if not fast_path:
            monkeypatch.setattr(calling, "call_next_in_one_statement", lambda *_: FALL_BACK)
        called = drain(store, 3, officer_at[3])
    finally:
        store.dispose()
    assert len(called) == sum(len(plan) for plan in plans)
    for queue, numbers in numbers_by_queue(called).items():
        assert numbers == sorted(numbers), f"{queue}: called in the order {numbers}"
