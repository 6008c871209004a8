"""The web service over conftest's `store` (SQLite file, and PostgreSQL when required), and
for the browser tests a real HTTP server and a headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, sync_playwright

from shared.config import BranchConfig
from shared.config.notifying import (
    ChannelSettings,
    SmsGatewaySettings,
    WebPushSettings,
    WhatsAppSettings,
)
from shared.notifying.channels.vapid_keys import generate_vapid_key_pair
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from tests.support.branches import small_branch
from tests.support.browser import chromium_or_skip, launch_chromium
from tests.support.web_server import serve
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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture
def web_address(web_app: Guard) -> Iterator[str]:
    with serve(web_app) as address:
        yield address


def messaging_branch(key_file: Path, *, whatsapp: bool = False) -> BranchConfig:
    """The small branch with Web Push (a real key pair) and SMS through a gateway."""
    config = small_branch()
    channels = ChannelSettings(
        web_push=WebPushSettings(enabled=True, private_key_file=str(key_file),
                                 subject="mailto:antrean@example.go.id"),
        sms_gateway=SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/messages"),
        whatsapp=WhatsAppSettings(enabled=whatsapp, phone_number_id="106540352242922"),
    )
    return config.model_copy(update={"channels": channels})


@pytest.fixture
def public_key(store: Store, tmp_path: Path) -> str:
    """Messages switched on for the test branch; the VAPID public key its pages hand out."""
    key = generate_vapid_key_pair(tmp_path / "vapid.pem")
    apply_branch_config(store, messaging_branch(tmp_path / "vapid.pem"))
    return key
