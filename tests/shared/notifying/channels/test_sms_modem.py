"""SMS through a GSM modem: the channel's AT conversation with a fake modem process on the far
end of a socat pty pair, which answers as a modem does and records each SMS."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config.notifying import ModemSmsSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import gsm7
from shared.notifying.channels.sms_modem import ModemSmsChannel
from tests.support.fake_modem import FakeModem

# A test that starts socat and a modem process takes a second or two.
with_modem = pytest.mark.slow


def channel_for(modem: FakeModem, send_timeout: float = 10,
                command_timeout: float = 10) -> ModemSmsChannel:
    # Long enough for a loaded machine; only the tests of silence wait them out.
    return ModemSmsChannel(ModemSmsSettings(enabled=True, port=modem.port,
                                            command_timeout_seconds=command_timeout,
                                            send_timeout_seconds=send_timeout))


def message(text: str, address: str = "+6281234567890", url: str | None = None) -> Message:
    return Message(key="5", address=address, title="Antrean", text=text, url=url)


@with_modem
def test_an_sms_goes_out_in_text_mode_and_the_modem_reference_comes_back(
        tmp_path: Path) -> None:
    with FakeModem(tmp_path) as modem:
        channel = channel_for(modem)
        first = channel.send(message("Nomor A012 dipanggil: silakan ke loket 3.",
                                     url="http://localhost:8080/t/ab_C-d"))
        second = channel.send(message("Terima kasih @ BPJS"))

        sent = modem.sent()
    assert (first, second) == ("1", "2")
    assert [s["number"] for s in sent] == ["+6281234567890", "+6281234567890"]
    assert {s["charset"] for s in sent} == {"GSM"}
    # GSM codes, not ASCII: "_" is 0x11 and "@" is 0x00 in the GSM alphabet.
    assert bytes.fromhex(sent[0]["text"]).endswith(b"/t/ab\x11C-d")
    assert b"\x00" in bytes.fromhex(sent[1]["text"])
    assert gsm7.decode(bytes.fromhex(sent[0]["text"])) == (
        "Nomor A012 dipanggil: silakan ke loket 3. http://localhost:8080/t/ab_C-d")


@with_modem
def test_a_cms_error_500_is_retried_and_the_next_attempt_goes_out(tmp_path: Path) -> None:
    with FakeModem(tmp_path, ["cms:500"]) as modem:
        channel = channel_for(modem)
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(message("Giliran Anda hampir tiba."))
        assert failed.value.retry
        assert "+CMS ERROR: 500" in failed.value.reason
        assert modem.sent() == []

        assert channel.send(message("Giliran Anda hampir tiba.")) == "1"
        assert len(modem.sent()) == 1


@with_modem
def test_an_unassigned_number_is_not_retried(tmp_path: Path) -> None:
    with FakeModem(tmp_path, ["cms:1"]) as modem, pytest.raises(DeliveryFailed) as failed:
        channel_for(modem).send(message("Halo"))
    assert not failed.value.retry


@with_modem
def test_an_error_instead_of_the_prompt_is_reported_and_retried(tmp_path: Path) -> None:
    with FakeModem(tmp_path, ["refuse:330"]) as modem:  # SMSC address unknown
        with pytest.raises(DeliveryFailed) as failed:
            channel_for(modem).send(message("Halo"))
        assert failed.value.retry
        assert failed.value.reason == "modem: +CMS ERROR: 330"
        assert channel_for(modem).send(message("Halo")) == "1"


@with_modem
def test_a_modem_that_stays_silent_after_the_text_times_out_and_is_retried(
        tmp_path: Path) -> None:
    with FakeModem(tmp_path, ["silent"]) as modem, pytest.raises(DeliveryFailed) as failed:
        channel_for(modem, send_timeout=0.5).send(message("Halo"))
    assert failed.value.retry
    assert "did not answer" in failed.value.reason


@with_modem
def test_no_prompt_for_the_text_is_retried_and_the_prompt_left(tmp_path: Path) -> None:
    with FakeModem(tmp_path, ["no-prompt"]) as modem:
        with pytest.raises(DeliveryFailed) as failed:
            channel_for(modem, command_timeout=1).send(message("Halo"))
        assert failed.value.retry and "prompt" in failed.value.reason
        assert channel_for(modem).send(message("Halo")) == "1"


def test_a_missing_modem_is_retried(tmp_path: Path) -> None:
    channel = ModemSmsChannel(ModemSmsSettings(enabled=True, port=str(tmp_path / "ttyUSB9")))
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(message("Halo"))
    assert failed.value.retry
    assert "not reachable" in failed.value.reason


@pytest.mark.parametrize(("text", "reason"), [
    ("x" * 161, "161 GSM characters"),
    ("[" * 81, "162 GSM characters"),  # an extension character takes two
    ("Antrean 🙂", "not in the GSM alphabet"),
])
def test_a_text_one_sms_cannot_carry_is_refused_before_the_modem(
        tmp_path: Path, text: str, reason: str) -> None:
    channel = ModemSmsChannel(ModemSmsSettings(enabled=True, port=str(tmp_path / "none")))
    with pytest.raises(DeliveryFailed, match=reason) as failed:
        channel.send(message(text))
    assert not failed.value.retry


def test_typographic_quotes_become_plain_and_160_characters_fit() -> None:
    assert gsm7.encode("‘Antrean’ – “A012”…") == b"'Antrean' - \"A012\"..."
    assert len(gsm7.encode("x" * 160)) == gsm7.SINGLE_SMS_SEPTETS
