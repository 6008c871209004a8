"""Modbus RTU frames, byte for byte, against frames computed by hand and the spec's examples."""

from __future__ import annotations

import pytest

from shared.devices import modbus
from shared.devices.port import DeviceProblem


def test_crc_check_value_of_the_catalogue() -> None:
    # CRC-16/MODBUS over "123456789" is 0x4B37 (the standard check value).
    assert modbus.crc16_modbus(b"123456789") == 0x4B37


def test_write_single_register_frame() -> None:
    # Unit 1, register 1, value 3: the classic example, CRC 0x0B98 sent low byte first.
    assert modbus.write_single_register(1, 1, 3) == bytes.fromhex("01 06 00 01 00 03 98 0B")
    # What a counter display gets for A012 at register 0: the number 12.
    assert modbus.write_single_register(1, 0, 12) == bytes.fromhex("01 06 00 00 00 0C 89 CF")


def test_write_multiple_registers_frame() -> None:
    # The Modbus spec's example: unit 0x11, registers 1-2 set to 0x000A and 0x0102.
    frame = modbus.write_multiple_registers(0x11, 1, [0x000A, 0x0102])
    assert frame == bytes.fromhex("11 10 00 01 00 02 04 00 0A 01 02 C6 F0")
    # Prefix letter "A" (0x41) and number 12 from register 0.
    assert modbus.write_multiple_registers(1, 0, [0x41, 12]) == bytes.fromhex(
        "01 10 00 00 00 02 04 00 41 00 0C A3 BE"
    )


def test_answers_a_slave_gives() -> None:
    single = modbus.write_single_register(1, 0, 12)
    assert modbus.expected_answer(single) == single  # echoed
    multiple = modbus.write_multiple_registers(1, 0, [0x41, 12])
    assert modbus.expected_answer(multiple) == bytes.fromhex("01 10 00 00 00 02 41 C8")
    assert modbus.answer_length(multiple) == 8
    assert modbus.expected_answer(modbus.write_single_register(0, 0, 12)) == b""  # broadcast


def test_checking_answers() -> None:
    request = modbus.write_single_register(5, 2, 7)
    modbus.check_answer(request, request, "LED")
    with pytest.raises(DeviceProblem) as silent:
        modbus.check_answer(request, b"", "LED")
    assert silent.value.kind == "no_answer"
    refusal = modbus.with_crc(bytes([5, 0x86, 2]))
    with pytest.raises(DeviceProblem, match="illegal data address") as refused:
        modbus.check_answer(request, refusal, "LED")
    assert refused.value.kind == "bad_answer"
    with pytest.raises(DeviceProblem, match="unexpected Modbus answer"):
        modbus.check_answer(request, request[:-1] + b"\x00", "LED")


@pytest.mark.parametrize(
    ("unit", "register", "value"), [(248, 0, 1), (1, -1, 1), (1, 0, 65536), (1, 70000, 1)]
)
def test_values_out_of_range_are_refused(unit: int, register: int, value: int) -> None:
    with pytest.raises(ValueError):
        modbus.write_single_register(unit, register, value)


def test_too_many_registers_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 123"):
        modbus.write_multiple_registers(1, 0, [0] * 124)
    with pytest.raises(ValueError, match="1 to 123"):
        modbus.write_multiple_registers(1, 0, [])
