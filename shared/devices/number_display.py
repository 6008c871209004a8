"""The bytes that make a counter's LED display show a ticket number (or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.devices import modbus
from shared.devices.settings import LedDisplaySettings
from shared.domain.labels import parse_label


@dataclass(frozen=True)
class Shown:
    """What the display should show: a called ticket at this counter, or nobody (label None).
    `calls` tells a recall from the first call, so a recall is sent (and flashes) again."""

    counter: int
    label: str | None = None
    service: str = ""
    calls: int = 0


class DisplayProtocol(Protocol):
    def frames(self, shown: Shown) -> list[bytes]:
        """Bytes to send, one frame per element; [] sends nothing."""
        ...

    def answer_length(self, frame: bytes) -> int:
        """How many bytes the display answers each frame with (0: it does not answer)."""
        ...

    def check_answer(self, frame: bytes, answer: bytes, where: str) -> None: ...


@dataclass(frozen=True)
class TextTemplate:
    """Displays that show the text they are sent, e.g. "A012 -> 3\\r\\n"."""

    template: str
    idle_template: str = ""
    encoding: str = "ascii"

    def frames(self, shown: Shown) -> list[bytes]:
        if shown.label is None:
            text = self.idle_template.format(
                label="", prefix="", number="", counter=shown.counter, service=""
            )
        else:
            prefix, number = parse_label(shown.label)
            text = self.template.format(
                label=shown.label,
                prefix=prefix,
                number=number,
                counter=shown.counter,
                service=shown.service,
            )
        return [text.encode(self.encoding, "replace")] if text else []

    def answer_length(self, frame: bytes) -> int:
        return 0

    def check_answer(self, frame: bytes, answer: bytes, where: str) -> None:
        """Text displays do not answer."""


@dataclass(frozen=True)
class ModbusNumeric:
    """Numeric displays driven over Modbus RTU (see `shared.devices.modbus` for the frames)."""

    unit: int = 1
    number_register: int = 0
    prefix_register: int | None = None
    blank_value: int | None = None

    def frames(self, shown: Shown) -> list[bytes]:
        if shown.label is None:
            if self.blank_value is None:
                return []
            prefix, number = "", self.blank_value
        else:
            prefix, number = parse_label(shown.label)
        if self.prefix_register is None:
            return [modbus.write_single_register(self.unit, self.number_register, number)]
        # The letter's character code (0 for none) and the number, in one frame.
        letter = ord(prefix[0]) if prefix else 0
        return [modbus.write_multiple_registers(self.unit, self.prefix_register, [letter, number])]

    def answer_length(self, frame: bytes) -> int:
        return modbus.answer_length(frame)

    def check_answer(self, frame: bytes, answer: bytes, where: str) -> None:
        modbus.check_answer(frame, answer, where)


def display_protocol(settings: LedDisplaySettings) -> DisplayProtocol:
    if settings.protocol == "modbus":
        return ModbusNumeric(
            settings.unit, settings.number_register, settings.prefix_register, settings.blank_value
        )
    return TextTemplate(settings.template, settings.idle_template, settings.encoding)
