"""Least privilege on the real PostgreSQL: each app's role can do its job and nothing more."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, time
from typing import Any, TypeVar

import pytest
from alembic import command
from sqlalchemy.exc import ProgrammingError

from shared.clock import ManualClock
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, serving
from shared.services.bookings import book, cancel_booking
from shared.services.fast_calling import call_next_in_one_statement
from shared.services.issuing import issue_ticket
from shared.services.kiosks import report_printer
from shared.services.officers import authenticate
from shared.services.runner import attempt
from shared.services.snapshot import live_snapshot
from shared.services.survey import answer_survey
from shared.services.ticket_status import ticket_status
from shared.services.views import TicketView
from shared.store.database import Store, create_store_engine, open_store
from shared.store.roles import create_app_roles, drop_app_roles, role_name
from shared.store.schema import alembic_config, upgrade_database
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import JAKARTA

pytestmark = pytest.mark.postgres
PREFIX = f"antrean_t{os.getpid()}"
T = TypeVar("T")
AppStore = Callable[[str], Store]  # a store connected as one app's database role


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Pins conftest's `store` (set up by the owner role) to PostgreSQL."""
    return postgres_url


@pytest.fixture
def app_store(postgres_url: str, clock: ManualClock) -> Iterator[AppStore]:
    owner = create_store_engine(postgres_url)
    create_app_roles(owner, PREFIX)
    opened: list[Store] = []

    def connect_as(app: str) -> Store:
        base, _, database = postgres_url.rpartition("/")
        scheme, _, host = base.partition("://")
        url = f"{scheme}://{role_name(PREFIX, app)}@{host.rpartition('@')[2]}/{database}"
        store = open_store(url, clock=clock)
        opened.append(store)
        return store

    yield connect_as
    for store in opened:
        store.dispose()
    drop_app_roles(owner, PREFIX)
    owner.dispose()


def _do(store: Store, action: Callable[..., T], *args: Any) -> T:
    return attempt(store, "TST", lambda uow: action(uow, *args))


def test_each_app_can_do_its_job(store: Store, staff: Staff, app_store: AppStore) -> None:
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    assert _do(kiosk, issue_ticket, "JHT").label == "A001"
    assert _do(kiosk, report_printer, "kiosk-1", "paper_out", "no paper", False)
    officer = _do(counter, authenticate, "ani", "1234")
    _do(counter, counters.open_counter, 1, officer.id)
    called = _do(counter, calling.call_next, 1, officer.id)
    assert called is not None and called.label == "A001"
    _do(counter, serving.start, 1, officer.id)
    _do(counter, serving.transfer, 1, officer.id, "JKM", "interview")
    _do(counter, counters.assign_services, 2, staff.sri, ["JKM"])
    snapshot = _do(display, live_snapshot)
    assert snapshot.service("JKM").waiting == 1
    assert snapshot.kiosks[0].printer_state == "paper_out"


def test_each_app_is_refused_what_it_need_not_do(
    store: Store,
    staff: Staff,
    app_store: AppStore,
) -> None:
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _do(display, issue_ticket, "JHT")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _do(counter, issue_ticket, "JHT")
    _do(kiosk, issue_ticket, "JHT")
    with pytest.raises(ProgrammingError, match="permission denied"):
        _do(kiosk, counters.open_counter, 1, staff.ani)
    with pytest.raises(ProgrammingError, match="permission denied"):
        _do(display, authenticate, "ani", "1234")  # the display cannot read PIN hashes
    with pytest.raises(ProgrammingError, match="permission denied"):
        _do(display, counters.open_counter, 1, staff.ani)
    for app in (kiosk, display):  # nor run call next's procedure
        with pytest.raises(ProgrammingError, match="permission denied for procedure"):
            call_next_in_one_statement(app, "TST", 1, staff.ani, None, None)


def test_the_web_service_books_and_takes_surveys_with_the_kiosk_role(
    store: Store,
    staff: Staff,
    clock: ManualClock,
    app_store: AppStore,
) -> None:
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    monday = clock.now().astimezone(JAKARTA).date()
    slot = datetime.combine(monday, time(10), JAKARTA)
    booking = _do(kiosk, book, "JHT", monday, slot, "3604011203850001", "081234567890")
    ticket = _do(kiosk, issue_ticket, "JHT")
    officer = _do(counter, authenticate, "ani", "1234")
    _do(counter, counters.open_counter, 1, officer.id)
    _do(counter, calling.call_next, 1, officer.id)
    _do(counter, serving.start, 1, officer.id)
    _do(counter, serving.finish, 1, officer.id)
    assert _do(display, ticket_status, ticket.token).survey == "open"
    _do(kiosk, answer_survey, ticket.token, dict.fromkeys(QUESTION_KEYS, 3), "")
    assert _do(kiosk, ticket_status, ticket.token).survey == "answered"
    _do(kiosk, cancel_booking, booking.code)
    with pytest.raises(ProgrammingError, match="permission denied"):
        # The display may not read the key behind NIK digests.
        _do(display, book, "JHT", monday, slot, "3604015507900002", "081234567890")


def test_an_upgrade_lets_a_counter_role_made_before_it_call_next(
    store: Store,
    staff: Staff,
    postgres_url: str,
    app_store: AppStore,
) -> None:
    counter = app_store("counter")  # roles as `antrean init --roles` made them
    owner = create_store_engine(postgres_url)
    config = alembic_config(owner)
    with owner.begin() as connection:  # back to before call next's procedure existed
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    upgrade_database(owner)
    owner.dispose()
    run(store, issue_ticket, "JHT")
    officer = _do(counter, authenticate, "ani", "1234")
    _do(counter, counters.open_counter, 1, officer.id)
    # The ticket's business day is the test clock's: the procedure must read the same clock.
    now = counter.clock.now() if counter.clock else None
    called = call_next_in_one_statement(counter, "TST", 1, officer.id, None, now)
    assert isinstance(called, TicketView) and called.label == "A001"
