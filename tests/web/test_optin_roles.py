"""The opt-in as deployed on PostgreSQL: the web service runs with the kiosk role, which may
write a visitor's address and erase it but never read it back, and the live pages' batch read
works within the same grants."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.clock import ManualClock
from shared.notifying.channels.vapid_keys import generate_vapid_key_pair
from shared.services.bookings import book
from shared.services.issuing import Admission, issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from shared.store.models import NotificationSubscription
from shared.store.unit_of_work import UnitOfWork
from tests.support.actions import run
from tests.support.app_roles import app_role_stores
from tests.support.branches import MONDAY_0800, small_branch
from tests.web.conftest import messaging_branch
from web.app import create_app

pytestmark = pytest.mark.postgres
PUSH = {"endpoint": "https://fcm.googleapis.com/fcm/send/cm9sZXM",
        "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQs4b2cyTzVqkMtK_5ovvXTw"
                           "9mN0BxfuYEv6wgRDyVWQPM", "auth": "tBHItJI5svbpez7KI4CCXg"}}


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture
def web_as_kiosk_role(store: Store, postgres_url: str, clock: ManualClock,
                      tmp_path: Path) -> Iterator[TestClient]:
    """The web service connected as the kiosk role, at a branch with Web Push and SMS."""
    generate_vapid_key_pair(tmp_path / "vapid.pem")
    apply_branch_config(store, messaging_branch(tmp_path / "vapid.pem"))
    with app_role_stores(postgres_url, clock) as connect_as:
        kiosk = connect_as("kiosk")
        with TestClient(create_app(kiosk, small_branch()), follow_redirects=False) as client:
            yield client


def addresses(store: Store) -> list[str]:
    with UnitOfWork(store, "TST") as uow:  # the owner: the only one who may read them
        return list(uow.session.scalars(select(NotificationSubscription.address)
                                        .order_by(NotificationSubscription.id)))


def test_the_web_role_opts_in_and_out_without_reading_an_address(
    store: Store, web_as_kiosk_role: TestClient
) -> None:
    client = web_as_kiosk_role
    token = run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token
    assert 'id="optin"' in client.get(f"/t/{token}").text
    assert client.post(f"/api/tickets/{token}/push", content=json.dumps(PUSH)).status_code == 201
    number = client.post(f"/t/{token}/messages", data={"number": "0812 3456 7890",
                                                        "channel": "sms"})
    assert number.status_code == 303
    page = client.get(f"/t/{token}").text
    assert "Kabar dikirim lewat notifikasi browser, SMS." in page
    assert addresses(store)[1] == "+6281234567890"
    assert client.post(f"/t/{token}/messages/stop").status_code == 200
    assert addresses(store) == ["", ""]


def test_the_web_role_keeps_a_bookings_reminders_and_stops_them(
    store: Store, web_as_kiosk_role: TestClient
) -> None:
    client = web_as_kiosk_role
    start = MONDAY_0800.replace(hour=9) + timedelta(days=1)
    made = run(store, book, "JHT", start.date(), start, "3604011203850001", "081299998888")
    answer = client.post(f"/b/{made.code}/messages", data={"number": "081234567890",
                                                            "channel": "sms"})
    assert answer.status_code == 303
    assert "Kabar dikirim lewat SMS." in client.get(f"/b/{made.code}").text
    assert client.post(f"/b/{made.code}/messages/stop").status_code == 200
    assert addresses(store) == [""]
