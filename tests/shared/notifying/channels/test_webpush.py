"""Web Push through a local push service that verifies the VAPID signature and decrypts the
payload with the subscriber's key, as the browser would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.config.notifying import WebPushSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels.vapid_keys import (
    VapidKeyProblem,
    generate_vapid_key_pair,
    vapid_public_key,
)
from shared.notifying.channels.webpush import WebPushChannel
from tests.support.http_double import Reply
from tests.support.push_service import PushService, b64url_decode, push_service


@pytest.fixture
def service() -> Iterator[PushService]:
    with push_service() as service:
        yield service


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "vapid.pem"
    generate_vapid_key_pair(path)
    return path


def channel_for(key_file: Path) -> WebPushChannel:
    settings = WebPushSettings(enabled=True, private_key_file=str(key_file),
                               subject="mailto:kantor@serang.example", ttl_seconds=600)
    return WebPushChannel(settings, endpoint_schemes=("http",))


def message(address: str, key: str = "17") -> Message:
    return Message(key=key, address=address, title="Antrean A012",
                   text="Giliran Anda hampir tiba: 3 orang lagi di depan Anda.",
                   url="http://localhost:8080/t/abc_DEF-123")


def test_the_subscriber_decrypts_the_title_text_and_url(service: PushService,
                                                         key_file: Path) -> None:
    address = service.subscribe("phone", vapid_public_key(key_file))
    provider_id = channel_for(key_file).send(message(address))

    [delivery] = service.delivered
    assert json.loads(delivery.plaintext) == {
        "title": "Antrean A012", "text": "Giliran Anda hampir tiba: 3 orang lagi di depan Anda.",
        "url": "http://localhost:8080/t/abc_DEF-123"}
    assert delivery.claims["sub"] == "mailto:kantor@serang.example"
    assert delivery.headers["ttl"] == "600"
    assert delivery.headers["urgency"] == "high"
    assert delivery.headers["topic"] == "m17"
    assert provider_id == f"{service.base}/message/1"


def test_a_subscription_made_with_another_key_is_refused_by_the_service(
        service: PushService, key_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    address = service.subscribe("phone", generate_vapid_key_pair(other))

    with pytest.raises(DeliveryFailed) as failed:
        channel_for(key_file).send(message(address))

    assert not failed.value.retry
    assert service.delivered == []
    assert service.refused == ["not the key this subscription was made with"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_forgot_is_not_retried(
        service: PushService, key_file: Path, status: int) -> None:
    address = service.subscribe("phone", vapid_public_key(key_file))
    service.scripted["phone"] = [Reply(status, b"gone")]

    with pytest.raises(DeliveryFailed) as failed:
        channel_for(key_file).send(message(address))

    assert not failed.value.retry
    assert "subscription gone" in failed.value.reason


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_push_service_is_retried_after_its_retry_after(
        service: PushService, key_file: Path, status: int) -> None:
    address = service.subscribe("phone", vapid_public_key(key_file))
    service.scripted["phone"] = [Reply(status, b"slow down", {"Retry-After": "120"})]
    channel = channel_for(key_file)

    with pytest.raises(DeliveryFailed) as failed:
        channel.send(message(address))
    assert failed.value.retry
    assert failed.value.after_seconds == 120

    channel.send(message(address))  # the next attempt gets through
    assert len(service.delivered) == 1


def test_a_push_service_that_is_down_is_retried(key_file: Path) -> None:
    with push_service() as service:
        address = service.subscribe("phone", vapid_public_key(key_file))
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(key_file).send(message(address))
    assert failed.value.retry
    assert "unreachable" in failed.value.reason


@pytest.mark.parametrize("address", [
    "+6281234567890",
    '{"endpoint": "https://push.example/x"}',
    '{"endpoint": "ftp://push.example/x", "keys": {"p256dh": "a", "auth": "b"}}',
    '{"endpoint": "http://127.0.0.1:9/x", "keys": {"p256dh": "!!!", "auth": "???"}}',
    '{"endpoint": "http://127.0.0.1:9/x", "keys": {"p256dh": "BAAA", "auth": "AAAA"}}',
])
def test_an_address_that_is_no_subscription_is_refused_without_sending(
        key_file: Path, address: str) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(key_file).send(message(address))
    assert not failed.value.retry


def test_a_key_pair_is_made_once_and_its_public_half_is_the_application_server_key(
        tmp_path: Path) -> None:
    path = tmp_path / "keys" / "vapid.pem"
    public = generate_vapid_key_pair(path)

    assert vapid_public_key(path) == public
    raw = b64url_decode(public)
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point, as browsers want
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(VapidKeyProblem, match="exists"):
        generate_vapid_key_pair(path)
    assert generate_vapid_key_pair(path, replace=True) != public


def test_a_missing_or_broken_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(VapidKeyProblem, match="no such key file"):
        vapid_public_key(tmp_path / "none.pem")
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(VapidKeyProblem, match="not a VAPID private key"):
        vapid_public_key(broken)
