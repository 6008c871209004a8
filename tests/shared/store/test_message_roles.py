"""Visitors' addresses on the real PostgreSQL: the kiosk and web role writes them and never
reads them back, the display cannot reach them, the counter's call (its stored procedure)
queues the message through the owner's trigger, and roles made before migration 0010 get
these grants by upgrading."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any, TypeVar

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import ProgrammingError

from shared.clock import ManualClock
from shared.services import calling, counters, notifications
from shared.services.alerts import branch_alerts
from shared.services.bookings import book
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.store.database import Store, create_store_engine
from shared.store.models import NotificationSubscription, OutboxMessage
from shared.store.schema import alembic_config, upgrade_database
from tests.conftest import Staff
from tests.shared.services.test_notifications import E164, PHONE, with_channels
from tests.support.app_roles import ROLE_PREFIX, AppStore
from tests.support.branches import JAKARTA

pytestmark = pytest.mark.postgres
PREFIX = ROLE_PREFIX
T = TypeVar("T")


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url



def _do(store: Store, action: Callable[..., T], *args: Any) -> T:
    return attempt(store, "TST", lambda uow: action(uow, *args))


def _refused(store: Store, statement: str) -> None:
    with store.engine.connect() as connection, pytest.raises(ProgrammingError) as refused:
        connection.execute(text(statement))
    assert "permission denied" in str(refused.value), refused.value


def test_the_kiosk_role_opts_visitors_in_but_never_reads_an_address(
    store: Store, clock: ManualClock, app_store: AppStore
) -> None:
    with_channels(store)
    kiosk = app_store("kiosk")
    ticket = _do(kiosk, issue_ticket, "JHT")
    subscription = _do(kiosk, notifications.subscribe, ticket.token, "sms", PHONE)
    assert [s.id for s in _do(kiosk, notifications.subscriptions_for, ticket.token)] == [
        subscription.id]
    monday = clock.now().astimezone(JAKARTA).date()
    booking = _do(kiosk, book, "JHT", monday, datetime.combine(monday, time(11), JAKARTA),
                  "3604011203850001", "081234567890")
    _do(kiosk, notifications.subscribe_booking, booking.code, "sms", PHONE)  # + reminders
    _do(kiosk, notifications.unsubscribe, ticket.token, subscription.id)
    _refused(kiosk, "SELECT address FROM notification_subscriptions")
    with store.sessions() as session:  # the owner (the notify worker) reads them
        addresses = session.scalars(
            select(NotificationSubscription.address).order_by(NotificationSubscription.id)
        ).all()
        assert addresses == ["", E164]
        assert session.scalars(select(OutboxMessage.kind)).all() == ["reminder_hour"]


def test_the_display_cannot_reach_addresses_and_the_counters_call_queues_the_message(
    store: Store, staff: Staff, app_store: AppStore
) -> None:
    with_channels(store)
    kiosk, counter, display = app_store("kiosk"), app_store("counter"), app_store("display")
    ticket = _do(kiosk, issue_ticket, "JHT")
    _do(kiosk, notifications.subscribe, ticket.token, "sms", PHONE)
    _refused(display, "SELECT id FROM notification_subscriptions")
    _refused(counter, "SELECT address FROM notification_subscriptions")
    _refused(counter, "INSERT INTO outbox_messages (id) VALUES (1)")
    _do(counter, counters.open_counter, 1, staff.ani)
    assert _do(counter, calling.call_next, 1, staff.ani) is not None  # the stored procedure
    with store.sessions() as session:
        assert session.scalars(select(OutboxMessage.kind)).all() == ["called"]
    assert _do(counter, branch_alerts) == ()  # the board reads the outbox


def test_an_upgrade_gives_roles_made_before_0010_their_grants(
    store: Store, postgres_url: str, app_store: AppStore
) -> None:
    kiosk = app_store("kiosk")  # roles as `antrean init --roles` made them
    owner = create_store_engine(postgres_url)
    config = alembic_config(owner)
    with owner.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    upgrade_database(owner)
    owner.dispose()
    with_channels(store)
    ticket = _do(kiosk, issue_ticket, "JHT")
    assert _do(kiosk, notifications.subscribe, ticket.token, "sms", PHONE).channel == "sms"
    _refused(kiosk, "SELECT address FROM notification_subscriptions")
