"""Serial ports for counter devices, and what is wrong when one cannot be used."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal, Protocol

import serial

ProblemKind = Literal["missing", "io_error", "no_answer", "bad_answer"]


class DeviceProblem(Exception):
    """A device cannot be used now; `kind` says why, the message says where."""

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class DeviceStatus:
    """The last known state of one device, for the counter screen's banner."""

    device: str  # "display" or "keypad"
    port: str
    problem: ProblemKind | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


class Port(Protocol):
    """The part of `serial.Serial` the devices use (a test double can stand in)."""

    def write(self, data: bytes) -> int | None: ...

    def read(self, size: int = 1) -> bytes: ...

    @property
    def in_waiting(self) -> int: ...

    def reset_input_buffer(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SerialLine:
    """Where and how to open a port. Reads return after `timeout` seconds at the latest."""

    port: str
    baudrate: int = 9600
    timeout: float = 0.5

    def open(self) -> serial.Serial:
        try:
            return serial.Serial(self.port, self.baudrate, timeout=self.timeout)
        except (serial.SerialException, OSError, ValueError) as error:
            raise DeviceProblem("missing", f"{self.port}: {error}") from None


def read_exactly(port: Port, count: int, timeout: float) -> bytes:
    """Up to `count` bytes arriving within `timeout` seconds (fewer on timeout)."""
    deadline = time.monotonic() + timeout
    received = b""
    while len(received) < count and time.monotonic() < deadline:
        received += port.read(count - len(received))
    return received
