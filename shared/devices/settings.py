"""Settings of a counter's serial devices, each declared once with its default and limits."""

from __future__ import annotations

import string
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Placeholders a display template may use, with an example value each.
TEMPLATE_FIELDS = {"label": "A012", "prefix": "A", "number": 12, "counter": 3, "service": "JHT"}
# What a caller keypad key may do: the actions that need no typing at the desk.
KEYPAD_ACTIONS = ("call_next", "recall", "start", "finish", "no_show")
DEFAULT_KEYS = {"1": "call_next", "2": "recall", "3": "start", "4": "finish", "5": "no_show"}

_STRICT = ConfigDict(extra="forbid", frozen=True)


def _check_template(template: str) -> str:
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None and name not in TEMPLATE_FIELDS:
            allowed = ", ".join("{" + n + "}" for n in TEMPLATE_FIELDS)
            raise ValueError(f"unknown placeholder {{{name}}}; use {allowed}")
    template.format(**TEMPLATE_FIELDS)  # a format spec that does not fit fails here
    return template


def unescape(text: str) -> str:
    r"""Settings files and command lines write control bytes as \r, \n, \x02."""
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


class LedDisplaySettings(BaseModel):
    """The number display above a counter.

    protocol "text": `template` filled in and sent as `encoding` text; `idle_template` when
    nobody is called ("" sends nothing). protocol "modbus": the number (12 of A012) is written
    to holding register `number_register` of slave `unit`; with `prefix_register` set, the letter's
    character code goes to that register too, in one write of several registers.
    """

    model_config = _STRICT

    port: str = Field(min_length=1, max_length=260)
    baudrate: int = Field(9600, ge=1200, le=921600)
    protocol: Literal["text", "modbus"] = "text"
    template: str = Field("{label} -> {counter}\r\n", max_length=200)
    idle_template: str = Field("", max_length=200)
    encoding: Literal["ascii", "latin-1", "utf-8"] = "ascii"
    unit: int = Field(1, ge=0, le=247)
    number_register: int = Field(0, ge=0, le=65535)
    prefix_register: int | None = Field(None, ge=0, le=65535)
    # Written when nobody is called; None leaves the last number up, as text displays do.
    blank_value: int | None = Field(None, ge=0, le=65535)
    answer_timeout_seconds: float = Field(0.5, gt=0, le=10)
    retry_seconds: float = Field(5.0, gt=0, le=600)

    @field_validator("template", "idle_template")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        return _check_template(unescape(value))

    @model_validator(mode="after")
    def _registers_fit(self) -> Self:
        if self.prefix_register is not None and self.prefix_register + 1 != self.number_register:
            raise ValueError(
                "prefix_register must be the register just before number_register "
                f"({self.number_register - 1}), so both are written in one frame"
            )
        return self


class KeypadSettings(BaseModel):
    """A caller keypad on a serial line: each key sends a byte (or, with `terminator`, a
    short text ending in it) that `keys` maps to an action."""

    model_config = _STRICT

    port: str = Field(min_length=1, max_length=260)
    baudrate: int = Field(9600, ge=1200, le=921600)
    keys: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_KEYS))
    terminator: str = Field("", max_length=4)
    retry_seconds: float = Field(5.0, gt=0, le=600)

    @field_validator("terminator")
    @classmethod
    def _terminator(cls, value: str) -> str:
        return unescape(value)

    @field_validator("keys")
    @classmethod
    def _known_actions(cls, keys: dict[str, str]) -> dict[str, str]:
        for key, action in keys.items():
            if not key:
                raise ValueError("a key cannot be empty")
            if action not in KEYPAD_ACTIONS:
                raise ValueError(
                    f"key {key!r}: unknown action {action!r}; use one of "
                    + ", ".join(KEYPAD_ACTIONS)
                )
        return {unescape(key): action for key, action in keys.items()}

    def key_bytes(self) -> dict[bytes, str]:
        return {key.encode("latin-1"): action for key, action in self.keys.items()}
