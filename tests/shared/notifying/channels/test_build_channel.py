"""build_channel: the branch's [channels] settings make the channel a subscription names."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from shared.config.notifying import ChannelSettings
from shared.notifying.channels import ChannelUnavailable, build_channel
from shared.notifying.channels.answers import retry_after_seconds
from shared.notifying.channels.vapid_keys import generate_vapid_key_pair


def settings(**sections: dict[str, object]) -> ChannelSettings:
    return ChannelSettings.model_validate(sections)


def test_each_name_gets_the_provider_its_enabled_section_describes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_vapid_key_pair(tmp_path / "vapid.pem")
    monkeypatch.setenv("ANTREAN_WHATSAPP_TOKEN", "token")
    configured = settings(
        web_push={"enabled": True, "private_key_file": str(tmp_path / "vapid.pem"),
                  "subject": "mailto:kantor@serang.example"},
        sms_gateway={"enabled": True, "url": "https://sms.example/send"},
        whatsapp={"enabled": True, "phone_number_id": "106540352242922"})

    built = {name: type(build_channel(name, configured)).__name__
             for name in ("webpush", "sms", "whatsapp")}

    assert built == {"webpush": "WebPushChannel", "sms": "SmsGatewayChannel",
                     "whatsapp": "WhatsAppChannel"}
    assert configured.enabled() == ["webpush", "sms", "whatsapp"]
    assert build_channel("sms", settings(sms_modem={"enabled": True, "port": "/dev/ttyUSB2"}))\
        .name == "sms"


def test_a_channel_switched_off_or_unknown_is_not_built() -> None:
    with pytest.raises(ChannelUnavailable, match=r"\[channels.sms_modem\] or "
                                                  r"\[channels.sms_gateway\]"):
        build_channel("sms", ChannelSettings())
    with pytest.raises(ChannelUnavailable, match="unknown channel 'email'"):
        build_channel("email", ChannelSettings())
    assert ChannelSettings().enabled() == []


def test_a_missing_key_file_or_token_stops_the_build(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTREAN_WHATSAPP_TOKEN", raising=False)
    with pytest.raises(ChannelUnavailable, match="no such key file"):
        build_channel("webpush", settings(web_push={
            "enabled": True, "private_key_file": str(tmp_path / "none.pem"),
            "subject": "https://serang.example"}))
    with pytest.raises(ChannelUnavailable, match="ANTREAN_WHATSAPP_TOKEN"):
        build_channel("whatsapp", settings(whatsapp={"enabled": True,
                                                     "phone_number_id": "1065"}))


@pytest.mark.parametrize(("sections", "problem"), [
    ({"sms_modem": {"enabled": True, "port": "/dev/ttyUSB2"},
      "sms_gateway": {"enabled": True, "url": "https://sms.example"}}, "not both"),
    ({"web_push": {"enabled": True, "private_key_file": "k.pem"}}, "subject"),
    ({"web_push": {"enabled": True, "subject": "mailto:a@b.example"}}, "private_key_file"),
    ({"sms_modem": {"enabled": True}}, "needs port"),
    ({"whatsapp": {"enabled": True}}, "phone_number_id"),
    ({"whatsapp": {"token_env": "my token"}}, "environment variable"),
    ({"whatsapp": {"base_url": "graph.facebook.com"}}, "https://"),
])
def test_settings_that_cannot_work_are_refused(sections: dict[str, dict[str, object]],
                                               problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ChannelSettings.model_validate(sections)


def test_retry_after_is_read_as_seconds_or_as_a_date() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Mon, 07 Dec 2026 09:02:00 GMT", now_epoch=1796634000.0) == 120
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
