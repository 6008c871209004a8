"""SMS through an HTTP gateway whose request the settings describe, against a local gateway."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError

from shared.config.notifying import SmsGatewaySettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.channels.sms_gateway import SmsGatewayChannel
from tests.support.http_double import Reply
from tests.support.sms_gateway import API_KEY, SmsGateway, sms_gateway


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    with sms_gateway() as gateway:
        yield gateway


def channel_for(gateway: SmsGateway, **settings: Any) -> SmsGatewayChannel:
    fields: dict[str, Any] = {
        "enabled": True, "url": f"{gateway.base}/api/send", "secret_env": "GW_KEY",
        "headers": {"X-Api-Key": "{secret}"}, "body": "form",
        "body_template": "to={number}&text={text}&ref={key}",
        "success_field": "status", "success_value": "ok", "message_id_field": "data.id",
        **settings}
    return SmsGatewayChannel(SmsGatewaySettings(**fields), environ={"GW_KEY": API_KEY})


TEXT = "Nomor A012: 3 orang lagi & giliran Anda ±15 menit lagi."
MESSAGE = Message(key="31", address="+6281234567890", title="Antrean", text=TEXT)


def test_a_form_request_carries_number_text_and_key(gateway: SmsGateway) -> None:
    assert channel_for(gateway).send(MESSAGE) == "gw-1"
    [sms] = gateway.sent
    assert (sms.number, sms.text) == ("+6281234567890", TEXT)
    assert sms.request.method == "POST" and sms.request.path == "/api/send"
    assert b"ref=31" in sms.request.body


def test_a_json_body_escapes_the_text_inside_its_strings(gateway: SmsGateway) -> None:
    text = 'Kata "tunggu"\nbaris dua \\ {secret}'
    channel_for(gateway, body="json",
                body_template='{"message": {"to": "{number}", "text": "{text}"}}').send(
        Message(key="32", address="+6281234567890", title="", text=text))
    [sms] = gateway.sent
    assert sms.text == text  # the secret placeholder inside the text is not filled in
    assert json.loads(sms.request.body) == {"message": {"to": "+6281234567890", "text": text}}


def test_a_get_request_has_its_placeholders_url_encoded(gateway: SmsGateway) -> None:
    channel_for(gateway, method="GET", body="none",
                url=gateway.base + "/api/send?to={number}&text={text}").send(MESSAGE)
    [sms] = gateway.sent
    assert (sms.number, sms.text) == ("+6281234567890", TEXT)


def test_the_message_key_as_idempotency_key_makes_a_retry_deliver_once(
        gateway: SmsGateway) -> None:
    channel = channel_for(gateway, idempotency_header="Idempotency-Key")
    first = channel.send(MESSAGE)
    again = channel.send(MESSAGE)  # the worker retries after a lost answer

    assert first == again == "gw-1"
    assert len(gateway.sent) == 1
    assert [r.headers["idempotency-key"] for r in gateway.requests] == ["31", "31"]


def test_the_gateway_saying_no_in_its_json_is_a_failure_with_its_words(
        gateway: SmsGateway) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(gateway).send(Message(key="1", address="+15551234567", title="", text="x"))
    assert "invalid number" in failed.value.reason
    assert gateway.sent == []


@pytest.mark.parametrize(("status", "retry"), [(429, True), (500, True), (502, True),
                                               (400, False), (401, True)])
def test_http_statuses_say_whether_to_retry(gateway: SmsGateway, status: int,
                                            retry: bool) -> None:
    gateway.scripted = [Reply(status, b"{}", {"Retry-After": "45"})]
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(gateway).send(MESSAGE)
    assert failed.value.retry is retry
    assert failed.value.after_seconds == 45


def test_a_wrong_api_key_is_refused_by_the_gateway(gateway: SmsGateway) -> None:
    channel = SmsGatewayChannel(SmsGatewaySettings(
        enabled=True, url=f"{gateway.base}/api/send", secret_env="GW_KEY",
        headers={"X-Api-Key": "{secret}"}, body_template="to={number}&text={text}"),
        environ={"GW_KEY": "wrong"})
    with pytest.raises(DeliveryFailed, match="401") as failed:
        channel.send(MESSAGE)
    assert failed.value.retry and failed.value.after_seconds == 600  # the branch fixes its key
    assert gateway.sent == []


def test_a_gateway_that_is_down_is_retried() -> None:
    with sms_gateway() as gone:
        channel = channel_for(gone)
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(MESSAGE)
    assert failed.value.retry


def test_a_missing_api_key_stops_the_channel_from_being_built(gateway: SmsGateway) -> None:
    with pytest.raises(ChannelUnavailable, match="GW_KEY"):
        SmsGatewayChannel(SmsGatewaySettings(enabled=True, url=gateway.base,
                                             secret_env="GW_KEY"), environ={})


@pytest.mark.parametrize(("fields", "problem"), [
    ({"url": "https://gw.example/send?to={nomor}"}, "unknown placeholder {nomor}"),
    ({"body": "json", "body_template": '{"to": {number}}'}, "is not JSON"),
    ({"success_field": "status"}, "together"),
    ({"headers": {"Bad Header": "x"}}, "letters, digits"),
    ({"enabled": True}, "needs url"),
])
def test_settings_that_cannot_make_a_request_are_refused(fields: dict[str, Any],
                                                         problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        SmsGatewaySettings(**fields)
