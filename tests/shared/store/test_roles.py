"""Least privilege on the real PostgreSQL: each app's role can do its job and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from shared.clock import ManualClock
from shared.domain.errors import AuthenticationFailed
from shared.domain.survey import QUESTION_KEYS
from shared.estimation.estimator import estimate_queue
from shared.services import calling, counters, roster, serving
from shared.services.bookings import book, cancel_booking, check_in_booking
from shared.services.fast_calling import call_next_in_one_statement
from shared.services.issuing import issue_ticket
from shared.services.kiosks import report_printer
from shared.services.officers import authenticate
from shared.services.runner import attempt
from shared.services.snapshot import live_snapshot
from shared.services.survey import answer_survey
from shared.services.survey_followups import mark_handled, open_followups
from shared.services.ticket_status import ticket_status
from shared.services.turn_aways import note_turned_away
from shared.services.views import TicketView
from shared.store.database import Store, create_store_engine
from shared.store.models import Event, Ticket
from shared.store.roles import role_name
from shared.store.schema import alembic_config, upgrade_database
from tests.conftest import PASSWORD, Staff
from tests.support.actions import run
from tests.support.app_roles import ROLE_PREFIX, AppStore
from tests.support.branches import JAKARTA

pytestmark = pytest.mark.postgres
PREFIX = ROLE_PREFIX
T = TypeVar("T")


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """Pins conftest's `store` (set up by the owner role) to PostgreSQL."""
    return postgres_url



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
    for app in (display, counter):  # nor read a booking's phone, code or NIK digits
        _refused(app, "SELECT phone FROM bookings")
        _refused(app, "SELECT code, nik_last4, nik_digest FROM bookings")
        with app.engine.connect() as connection:  # the queue's columns they do read
            connection.execute(text("SELECT id, service_id, slot_start, state FROM bookings"))


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


def _refused(store: Store, statement: str) -> None:
    """The statement, run as the store's role, is refused by PostgreSQL's privileges."""
    with store.engine.connect() as connection, pytest.raises(ProgrammingError) as refused:
        connection.execute(text(statement))
    assert "permission denied" in str(refused.value) or "row-level security" in str(
        refused.value
    ) or "only antrean_issue_ticket" in str(refused.value), refused.value


def test_the_kiosk_role_can_neither_move_numbers_nor_forge_tickets_or_events(
    store: Store, staff: Staff, app_store: AppStore
) -> None:
    """The attack run: as the kiosk's (and web service's) role, one UPDATE of daily_sequences
    stopped all issuing with UniqueViolation; a ticket could be inserted as `done`, and audit
    events of any kind."""
    kiosk = app_store("kiosk")
    issued = _do(kiosk, issue_ticket, "JHT")
    _refused(kiosk, "UPDATE daily_sequences SET last_number = 0")
    _refused(kiosk, "INSERT INTO daily_sequences (service_id, business_date, branch_id, "
                    "last_number) SELECT id, DATE '2026-11-24', branch_id, 9999 FROM services")
    _refused(kiosk, "INSERT INTO tickets (branch_id, business_date, issued_service_id, "
                    "service_id, number, label, state, priority, token, issued_at, queued_at, "
                    "kiosk, ahead_at_issue, call_count) SELECT branch_id, DATE '2026-11-23', id,"
                    " id, 500, 'A500', 'done', false, 'forged', now(), now(), '', 0, 0 "
                    "FROM services WHERE code = 'JHT'")
    _refused(kiosk, f"UPDATE tickets SET state = 'done' WHERE id = {issued.id}")
    _refused(kiosk, "UPDATE bookings SET slot_start = now(), nik_digest = 'someone else'")
    _refused(kiosk, "UPDATE kiosks SET name = 'kiosk-9', branch_id = 2")
    for kind in ("ticket.finish", "ticket.issued", "officer.added"):
        _refused(kiosk, "INSERT INTO events (branch_id, at, kind, detail) "
                        f"SELECT id, now(), '{kind}', 'forged' FROM branches")
    assert _do(kiosk, issue_ticket, "JHT").label == "A002"  # issuing goes on
    with store.sessions() as session:  # the function wrote the issue's event, nobody else
        issued_events = session.scalars(
            select(Event.ticket_id).where(Event.kind == "ticket.issued").order_by(Event.id)
        ).all()
        forged = session.scalars(select(Event).where(Event.detail == "forged")).all()
    assert len(issued_events) == 2 and issued_events[0] == issued.id and forged == []


def test_only_the_login_path_reads_a_hash_one_login_at_a_time(
    store: Store, staff: Staff, clock: ManualClock, app_store: AppStore
) -> None:
    """The attack run: the counter's role read every officer's argon2 hash and could update any
    ticket's number or token and any counter's name."""
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    for app in (kiosk, counter, display):
        _refused(app, "SELECT secret_hash FROM officers")
    for app in (kiosk, display):
        _refused(app, "SELECT antrean_officer_secret(id, 'sri') FROM branches")
    _do(kiosk, issue_ticket, "JHT")
    _refused(counter, "UPDATE tickets SET number = 7, label = 'A007', token = 'mine'")
    _refused(counter, "UPDATE counters SET number = number + 100, name = 'x'")
    _refused(counter, "INSERT INTO events (branch_id, at, kind, detail) "
                      "SELECT id, now(), 'ticket.issued', 'forged' FROM branches")
    # Logging in still works, and a wrong PIN is counted and audited through the role's grants.
    with pytest.raises(AuthenticationFailed):
        _do(counter, authenticate, "ani", "0000")
    clock.advance(60)
    assert _do(counter, authenticate, "ani", "1234").id == staff.ani
    with store.sessions() as session:
        assert session.scalars(select(Event.kind).where(Event.officer_id == staff.ani)).all()[
            -1] == "officer.login_failed"


OLD_GRANTS = {
    # What `antrean init --roles` granted before migration 0007.
    "display": ("SELECT ON ALL TABLES IN SCHEMA public",),
    "kiosk": (
        "SELECT ON ALL TABLES IN SCHEMA public",
        "INSERT ON tickets, events, processed_requests, kiosks, daily_sequences, bookings, "
        "survey_responses",
        "UPDATE ON daily_sequences, kiosks, bookings",
        "USAGE ON SEQUENCE tickets_id_seq, events_id_seq, kiosks_id_seq, bookings_id_seq, "
        "survey_responses_id_seq",
    ),
    "counter": (
        "SELECT ON ALL TABLES IN SCHEMA public",
        "UPDATE ON tickets, counters",
        "INSERT, DELETE ON counter_services",
        "INSERT ON events, processed_requests",
        "USAGE ON SEQUENCE events_id_seq",
        "EXECUTE ON PROCEDURE antrean_call_next",
    ),
}


def test_an_upgrade_narrows_roles_made_before_it_and_keeps_them_working(
    store: Store, staff: Staff, postgres_url: str, app_store: AppStore
) -> None:
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    owner = create_store_engine(postgres_url)
    config = alembic_config(owner)
    with owner.begin() as connection:  # back to before this revision, with the old grants
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        for app, grants in OLD_GRANTS.items():
            name = role_name(PREFIX, app)
            connection.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{name}"'))
            for grant in grants:
                connection.execute(text(f'GRANT {grant} TO "{name}"'))
    _refused(display, "INSERT INTO events (branch_id, at, kind) SELECT id, now(), 'x' "
                      "FROM branches")
    with kiosk.engine.begin() as connection:  # the old reach, before the upgrade
        connection.execute(text("UPDATE daily_sequences SET last_number = last_number"))
    upgrade_database(owner)
    owner.dispose()
    assert _do(kiosk, issue_ticket, "JHT").label == "A001"
    _refused(kiosk, "UPDATE daily_sequences SET last_number = 0")
    _refused(counter, "SELECT secret_hash FROM officers")
    officer = _do(counter, authenticate, "ani", "1234")
    _do(counter, counters.open_counter, 1, officer.id)
    called = _do(counter, calling.call_next, 1, officer.id)
    assert called is not None and called.label == "A001"
    assert _do(display, live_snapshot).service("JHT").waiting == 0
    # 0013: a visitor's phone and booking code are out of the display's and counters' reach.
    for reader in (display, counter):
        _refused(reader, "SELECT phone FROM bookings")
        _refused(reader, "SELECT code, nik_last4 FROM bookings")
    # 0012 let roles made before it count the visitors they turn away; counters may not.
    _do(kiosk, note_turned_away, "JHT", "capacity", "lobi-1")
    _refused(counter, "INSERT INTO events (branch_id, at, kind) SELECT id, now(), "
                      "'service.turned_away' FROM branches")


def test_the_kiosk_role_checks_a_booking_in(
    store: Store, staff: Staff, clock: ManualClock, app_store: AppStore
) -> None:
    """Check-in issues through the function too, then projects the ticket's own wait."""
    kiosk = app_store("kiosk")
    monday = clock.now().astimezone(JAKARTA).date()
    booking = _do(kiosk, book, "JHT", monday, datetime.combine(monday, time(10), JAKARTA),
                  "3604011203850001", "081234567890")
    clock.set(datetime.combine(monday, time(9, 30), JAKARTA))
    ticket = _do(kiosk, lambda uow: check_in_booking(uow, booking.code, kiosk="K1",
                                                     request_id="scan-1"))
    assert (ticket.label, ticket.state) == ("A001", "waiting")


def test_the_counter_role_re_plans_windows_when_a_counter_closes(
    store: Store, staff: Staff, app_store: AppStore
) -> None:
    kiosk, counter = app_store("kiosk"), app_store("counter")
    for code in ["JHT"] * 6:
        _do(kiosk, issue_ticket, code)
    _do(counter, counters.open_counter, 2, staff.budi)
    _do(counter, counters.open_counter, 1, staff.ani)
    _do(counter, counters.close_counter, 1, staff.ani)  # the waiting visitors' windows move
    with store.sessions() as session:
        moved = session.scalars(select(Ticket.window_moved_at)).all()
    assert any(at is not None for at in moved)


def test_the_counter_role_lets_a_supervisor_follow_up_a_low_survey_rating(
    store: Store, staff: Staff, app_store: AppStore
) -> None:
    kiosk, counter = app_store("kiosk"), app_store("counter")
    ticket = _do(kiosk, issue_ticket, "JHT")
    for step in (counters.open_counter, calling.call_next, serving.start, serving.finish):
        _do(counter, step, 1, staff.ani)
    _do(kiosk, answer_survey, ticket.token, dict.fromkeys(QUESTION_KEYS, 4) | {"cost": 1}, "")
    [item] = _do(counter, open_followups, staff.sri)  # reads officers' names only
    assert item.officer == "Ani"
    _do(counter, mark_handled, staff.sri, item.ticket_id)  # its audit event passes the policy
    assert _do(counter, open_followups, staff.sri) == ()


# On PostgreSQL a supervisor at the counter app plans the roster; the kiosk and display read it.
ROSTER_DAY = date(2026, 11, 23)


def test_the_counter_role_writes_the_roster_and_the_others_only_read_it(
    store: Store, staff: Staff, app_store: AppStore
) -> None:
    counter, kiosk, display = app_store("counter"), app_store("kiosk"), app_store("display")
    sri = attempt(counter, "TST", lambda uow: authenticate(uow, "sri", PASSWORD))
    line = attempt(counter, "TST", lambda uow: roster.add_absence(
        uow, 2, ROSTER_DAY, time(9), time(12), "leave", by=sri.id))
    for app in (kiosk, display):
        assert attempt(app, "TST", lambda uow: roster.roster(uow, ROSTER_DAY)) == (line,)
        attempt(app, "TST", estimate_queue, read_only=True)  # reads the roster
        with pytest.raises(ProgrammingError, match=r"permission denied|row-level security"):
            attempt(app, "TST", lambda uow: roster.remove_absence(uow, line.id))
    attempt(counter, "TST", lambda uow: roster.remove_absence(uow, line.id, by=sri.id))
    assert attempt(display, "TST", lambda uow: roster.roster(uow, ROSTER_DAY)) == ()
