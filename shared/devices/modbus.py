"""Modbus RTU frames that write holding registers, as numeric LED displays expect them.

Many counter number displays (and the LED driver boards inside them) are Modbus RTU slaves on
an RS-485 line: the number shown is the value of a holding register. We write it with one of
the two standard functions and check the slave's answer.

Frame layout (every field big-endian except the CRC; one frame = one silent-gap-delimited
burst of bytes on the line):

Write Single Register, function 0x06::

    +------+------+----------+----------+----------+----------+--------+--------+
    | unit | 0x06 | reg. hi  | reg. lo  | value hi | value lo | CRC lo | CRC hi |
    +------+------+----------+----------+----------+----------+--------+--------+
    the slave answers with the same eight bytes.

Write Multiple Registers, function 0x10::

    +------+------+--------+--------+--------+--------+-------+------------------+-----+-----+
    | unit | 0x10 | reg hi | reg lo | qty hi | qty lo | bytes | values (2 each)  | CRC lo/hi |
    +------+------+--------+--------+--------+--------+-------+------------------+-----+-----+
    bytes = 2 × qty (qty 1..123); the slave answers unit, 0x10, reg, qty and a CRC (8 bytes).

An exception answer is unit, function | 0x80, an exception code and a CRC (5 bytes).
Unit 0 is a broadcast: every slave obeys and none answers. Units 1..247 address one slave.

CRC-16/MODBUS: polynomial 0x8005 reflected (0xA001), initial value 0xFFFF, no final XOR,
sent low byte first. Its check value over the ASCII bytes "123456789" is 0x4B37.
"""

from __future__ import annotations

import struct

from shared.devices.port import DeviceProblem

WRITE_SINGLE = 0x06
WRITE_MULTIPLE = 0x10
BROADCAST = 0
MAX_REGISTERS = 123
ANSWER_LENGTH = 8  # both write functions answer with eight bytes
EXCEPTION_LENGTH = 5

_EXCEPTIONS = {
    1: "illegal function",
    2: "illegal data address",
    3: "illegal data value",
    4: "slave device failure",
}


def crc16_modbus(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def with_crc(body: bytes) -> bytes:
    return body + struct.pack("<H", crc16_modbus(body))


def _check_unit(unit: int) -> None:
    if not 0 <= unit <= 247:
        raise ValueError(f"Modbus unit must be 0 (broadcast) to 247, not {unit}")


def _check_word(value: int, what: str) -> None:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"{what} must fit in 16 bits (0..65535), not {value}")


def write_single_register(unit: int, register: int, value: int) -> bytes:
    _check_unit(unit)
    _check_word(register, "register address")
    _check_word(value, "register value")
    return with_crc(struct.pack(">BBHH", unit, WRITE_SINGLE, register, value))


def write_multiple_registers(unit: int, register: int, values: list[int]) -> bytes:
    _check_unit(unit)
    _check_word(register, "register address")
    if not 1 <= len(values) <= MAX_REGISTERS:
        raise ValueError(f"write 1 to {MAX_REGISTERS} registers at once, not {len(values)}")
    for value in values:
        _check_word(value, "register value")
    head = struct.pack(">BBHHB", unit, WRITE_MULTIPLE, register, len(values), 2 * len(values))
    return with_crc(head + struct.pack(f">{len(values)}H", *values))


def expected_answer(request: bytes) -> bytes:
    """What a slave that obeyed `request` sends back; b"" for a broadcast."""
    if request[0] == BROADCAST:
        return b""
    if request[1] == WRITE_SINGLE:
        return request
    return with_crc(request[:6])


def check_answer(request: bytes, answer: bytes, where: str) -> None:
    """Raise `DeviceProblem` unless `answer` confirms `request` was carried out."""
    expected = expected_answer(request)
    if answer == expected:
        return
    if not answer:
        raise DeviceProblem("no_answer", f"{where}: no answer from Modbus unit {request[0]}")
    if (
        len(answer) >= EXCEPTION_LENGTH
        and answer[1] == request[1] | 0x80
        and with_crc(answer[:3]) == answer[:EXCEPTION_LENGTH]
    ):
        reason = _EXCEPTIONS.get(answer[2], f"exception code {answer[2]}")
        raise DeviceProblem("bad_answer", f"{where}: Modbus unit {request[0]} refused: {reason}")
    raise DeviceProblem("bad_answer", f"{where}: unexpected Modbus answer {answer.hex(' ')}")


def answer_length(request: bytes) -> int:
    return len(expected_answer(request))
