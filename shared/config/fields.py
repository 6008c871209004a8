"""Value types shared by the branch settings, each carrying the words that say what is allowed.

A rejected value raises `rejected(hint)`: the loader turns it into
"<file>: <key>: <value> is not allowed; <hint>", so the hint is written once, next to the rule.
Checks that compare several keys collect `Conflict`s and raise them together with `conflicts()`.
"""

from __future__ import annotations

import re
from typing import Annotated, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

# Every settings model: no coercion ("3" is not 3), unknown keys are typos, values never change.
SETTINGS = ConfigDict(strict=True, extra="forbid", frozen=True)

REJECTED = "rejected"
CONFLICTS = "conflicts"

Loc = tuple[str | int, ...]


def rejected(hint: str) -> PydanticCustomError:
    """The error for a value that breaks a rule; `hint` says what is allowed instead."""
    return PydanticCustomError(REJECTED, "not allowed; {hint}", {"hint": hint})


class Conflict(NamedTuple):
    """A problem found by comparing keys; `loc` is relative to the model that found it."""

    loc: Loc
    problem: str


def conflicts(found: list[Conflict]) -> PydanticCustomError:
    """All conflicts of one model as one error, so the loader can report each on its own line."""
    summary = "; ".join(f"{'.'.join(map(str, c.loc))}: {c.problem}" for c in found)
    return PydanticCustomError(CONFLICTS, "{summary}", {"summary": summary, "found": tuple(found)})


def _matching(pattern: str, hint: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise rejected(hint)
        return value

    return AfterValidator(check)


BranchCode = Annotated[
    str,
    _matching(r"[A-Z0-9_-]{1,16}", "use 1 to 16 capital letters, digits, '_' or '-' (e.g. 'SRG')"),
]
ServiceCode = Annotated[
    str,
    _matching(r"[A-Z0-9_]{1,16}", "use 1 to 16 capital letters, digits or '_' (e.g. 'JHT')"),
]
TicketPrefix = Annotated[
    str, _matching(r"[A-Z]{1,2}", "use one or two capital letters (A-Z)")
]
MaintenancePin = Annotated[
    str, _matching(r"(\d{4,12})?", "use 4 to 12 digits, or \"\" to require a supervisor login")
]
WebAddress = Annotated[
    str,
    Field(max_length=200),
    _matching(r"https?://\S+", "use a web address starting with http:// or https://"),
]


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise rejected(
            "use an IANA time zone name: 'Asia/Jakarta' (WIB), 'Asia/Makassar' (WITA) "
            "or 'Asia/Jayapura' (WIT)"
        ) from None
    return name


TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_time_zone)]


def _usb_id(value: object) -> object:
    """USB ids are usually written in hex, as lsusb prints them; accept "0x04b8" besides 1208."""
    if isinstance(value, str):
        if not re.fullmatch(r"0x[0-9a-fA-F]{1,4}", value.strip()):
            raise rejected("use a number such as 0x04b8 (without quotes) or \"0x04b8\"")
        return int(value, 16)
    return value


UsbId = Annotated[int, BeforeValidator(_usb_id), Field(ge=0, le=0xFFFF)]
