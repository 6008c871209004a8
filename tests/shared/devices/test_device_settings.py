"""Device settings: checked at start-up, with the bytes each protocol then produces."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.devices.keypad import KeyDecoder
from shared.devices.number_display import ModbusNumeric, Shown, TextTemplate, display_protocol
from shared.devices.settings import KeypadSettings, LedDisplaySettings


def test_text_display_fills_the_template() -> None:
    settings = LedDisplaySettings(port="/dev/ttyUSB0", template=r"{label} -> {counter}\r\n")
    protocol = display_protocol(settings)
    assert isinstance(protocol, TextTemplate)
    assert protocol.frames(Shown(3, "A012", "JHT")) == [b"A012 -> 3\r\n"]
    assert protocol.frames(Shown(3)) == []  # no idle text configured: nothing is sent


def test_text_display_with_fields_and_an_idle_text() -> None:
    protocol = TextTemplate(
        "\x02{counter:02d}{prefix}{number:04d}\x03", "\x02{counter:02d}----\x03"
    )
    assert protocol.frames(Shown(7, "B009")) == [b"\x0207B0009\x03"]
    assert protocol.frames(Shown(7)) == [b"\x0207----\x03"]


def test_modbus_display_frames() -> None:
    plain = display_protocol(LedDisplaySettings(port="COM3", protocol="modbus", unit=1))
    assert plain.frames(Shown(1, "A012")) == [bytes.fromhex("01 06 00 00 00 0C 89 CF")]
    assert plain.answer_length(plain.frames(Shown(1, "A012"))[0]) == 8
    with_letter = ModbusNumeric(unit=1, number_register=1, prefix_register=0)
    assert with_letter.frames(Shown(1, "A012")) == [
        bytes.fromhex("01 10 00 00 00 02 04 00 41 00 0C A3 BE")
    ]
    assert ModbusNumeric(unit=1).frames(Shown(1)) == []  # the last number stays up
    assert ModbusNumeric(unit=1).frames(Shown(1)) == []  # the last number stays up
    blank = ModbusNumeric(unit=1, blank_value=0xFFFF).frames(Shown(1))[0]
    assert blank[4:6] == b"\xff\xff"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"template": "{ticket}"}, "unknown placeholder {ticket}"),
        ({"template": "{number:d"}, "template"),
        ({"protocol": "morse"}, "protocol"),
        ({"unit": 300}, "unit"),
        ({"prefix_register": 5, "number_register": 9}, "just before number_register"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_display_settings_say_what_is_wrong(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        LedDisplaySettings.model_validate({"port": "/dev/ttyUSB0", **fields})


def test_keypad_keys_map_to_known_actions_only() -> None:
    settings = KeypadSettings(port="/dev/ttyUSB1", keys={"A": "call_next", r"\x1b": "no_show"})
    assert settings.key_bytes() == {b"A": "call_next", b"\x1b": "no_show"}
    assert KeypadSettings(port="x").key_bytes()[b"1"] == "call_next"
    with pytest.raises(ValidationError, match="unknown action 'transfer'"):
        KeypadSettings(port="x", keys={"6": "transfer"})


def test_key_decoder_single_bytes_and_terminated_codes() -> None:
    single = KeyDecoder({b"1": "call_next", b"2": "recall"})
    assert single.feed(b"12x1") == ["call_next", "recall", "call_next"]
    coded = KeyDecoder({b"K1": "call_next", b"K4": "finish"}, b"\r")
    assert coded.feed(b"K1\rK") == ["call_next"]
    assert coded.feed(b"4\r K9\r") == ["finish"]  # split across reads; unknown K9 ignored
