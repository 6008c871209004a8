"""WhatsApp through a local Cloud API double that checks the path, the token and the JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.config.notifying import WhatsAppSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.channels.whatsapp import WhatsAppChannel
from tests.support.whatsapp_cloud import (
    PHONE_NUMBER_ID,
    TOKEN,
    WhatsAppCloud,
    graph_error,
    whatsapp_cloud,
)


@pytest.fixture
def cloud() -> Iterator[WhatsAppCloud]:
    with whatsapp_cloud() as cloud:
        yield cloud


def channel_for(cloud: WhatsAppCloud, token: str = TOKEN, **settings: str) -> WhatsAppChannel:
    return WhatsAppChannel(
        WhatsAppSettings(enabled=True, base_url=cloud.base, phone_number_id=PHONE_NUMBER_ID,
                         token_env="WA_TOKEN", **settings),
        environ={"WA_TOKEN": token})


MESSAGE = Message(key="7", address="+6281234567890", title="Antrean A012",
                  text="Nomor A012 dipanggil: silakan ke loket 3.",
                  url="http://localhost:8080/t/abc")


def test_a_text_message_reaches_the_cloud_api_and_its_wamid_comes_back(
        cloud: WhatsAppCloud) -> None:
    assert channel_for(cloud).send(MESSAGE) == "wamid.TEST0001"
    assert cloud.sent == [{
        "messaging_product": "whatsapp", "recipient_type": "individual",
        "to": "6281234567890", "type": "text",
        "text": {"body": "Nomor A012 dipanggil: silakan ke loket 3.\nhttp://localhost:8080/t/abc",
                 "preview_url": True},
    }]


def test_a_template_carries_the_text_as_its_body_parameter(cloud: WhatsAppCloud) -> None:
    channel_for(cloud, template_name="antrean_info", template_language="id").send(MESSAGE)
    [sent] = cloud.sent
    assert sent["type"] == "template"
    assert sent["template"]["name"] == "antrean_info"
    assert sent["template"]["language"] == {"code": "id"}
    assert sent["template"]["components"][0]["parameters"][0]["text"].startswith("Nomor A012")


@pytest.mark.parametrize(("code", "retry"), [
    (131047, False),  # outside the 24-hour window
    (131026, False),  # undeliverable
    (130429, True),   # throughput limit
    (131056, True),   # too many to this visitor
    (131000, True),   # something went wrong at Meta
])
def test_graph_errors_say_whether_to_retry(cloud: WhatsAppCloud, code: int, retry: bool) -> None:
    cloud.scripted = [graph_error(code, f"(#{code}) refused", details="scripted")]
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(cloud).send(MESSAGE)
    assert failed.value.retry is retry
    assert str(code) in failed.value.reason


def test_a_server_error_is_retried_after_its_retry_after(cloud: WhatsAppCloud) -> None:
    cloud.scripted = [graph_error(1, "Service temporarily unavailable", status=503,
                                  headers={"Retry-After": "30"})]
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(cloud).send(MESSAGE)
    assert failed.value.retry and failed.value.after_seconds == 30


def test_a_wrong_token_waits_for_the_branch_to_fix_it(cloud: WhatsAppCloud) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(cloud, token="expired").send(MESSAGE)
    assert failed.value.retry and "190" in failed.value.reason
    assert cloud.sent == []


def test_a_missing_token_stops_the_channel_from_being_built(cloud: WhatsAppCloud) -> None:
    with pytest.raises(ChannelUnavailable, match="WA_TOKEN"):
        channel_for(cloud, token="")


def test_a_number_not_in_e164_is_refused_without_a_request(cloud: WhatsAppCloud) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        channel_for(cloud).send(Message(key="8", address="0812-345", title="", text="x"))
    assert not failed.value.retry
    assert cloud.sent == []


def test_the_cloud_api_being_down_is_retried() -> None:
    with whatsapp_cloud() as gone:
        channel = channel_for(gone)
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(MESSAGE)
    assert failed.value.retry
