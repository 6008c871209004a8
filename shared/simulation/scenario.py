"""A simulated branch day as declared in a scenario TOML file: who comes, when, for what, and
which officers sit at which counters. Checked like the branch file: strict types, unknown keys
are typos, every problem named by file and key."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Literal, Self

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from shared.config.fields import SETTINGS, Conflict, ServiceCode, conflicts, rejected

_TIME_HINT = 'use a time "HH:MM" in quotes, e.g. "09:30"'
_BREAK_HINT = 'use ["HH:MM", minutes], e.g. ["12:00", 45]'
_ABSENCE_HINT = 'use ["HH:MM", "HH:MM"] with the start before the end, e.g. ["09:00", "12:00"]'


def _clock_time(value: object) -> time:
    if isinstance(value, time) and not (value.second or value.microsecond or value.tzinfo):
        return value
    if isinstance(value, str):
        found = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", value.strip())
        if found:
            return time(int(found[1]), int(found[2]))
    raise rejected(_TIME_HINT)


def _break(value: object) -> tuple[time, int]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise rejected(_BREAK_HINT)
    start, minutes = value
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 240:
        raise rejected(_BREAK_HINT + " with 1 to 240 minutes")
    try:
        return _clock_time(start), minutes
    except ValueError:
        raise rejected(_BREAK_HINT) from None


def _absence(value: object) -> tuple[time, time]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise rejected(_ABSENCE_HINT)
    try:
        start, end = _clock_time(value[0]), _clock_time(value[1])
    except ValueError:
        raise rejected(_ABSENCE_HINT) from None
    if start >= end:
        raise rejected(_ABSENCE_HINT)
    return start, end


ClockTime = Annotated[time, BeforeValidator(_clock_time)]
# A break: the officer pauses the counter at `start` (or when the visitor at the desk is done).
Break = Annotated[tuple[time, int], BeforeValidator(_break)]
# An unannounced absence: the counter is closed from start to end.
Absence = Annotated[tuple[time, time], BeforeValidator(_absence)]
Share = Annotated[float, Field(ge=0, le=1)]


class Transfer(BaseModel):
    """At the end of service, this share of visitors is sent on to another service's queue."""

    model_config = SETTINGS

    to: ServiceCode
    share: Share


class ServiceLoad(BaseModel):
    """Who comes for one service and how long they take."""

    model_config = SETTINGS

    code: ServiceCode
    # Visitors per hour, by hour of day: { 7 = 30, 8 = 120 } means 30 arrive 07:00-08:00.
    # Those who come before the kiosk opens wait at the door and take a ticket at opening.
    arrivals: dict[str, Annotated[float, Field(ge=0, le=10000)]] = Field(default_factory=dict)
    mean_minutes: float | None = Field(None, gt=0, le=480)  # None: the branch's figure
    cv: float = Field(0.6, ge=0, le=3)  # lognormal spread: standard deviation / mean
    no_show_share: Share = 0.0  # take a ticket, then never answer a call
    walk_out_patience_minutes: float | None = Field(None, gt=0, le=1440)  # None: nobody leaves
    priority_share: Share = 0.0
    transfer: Transfer | None = None

    @model_validator(mode="after")
    def _hours_of_day(self) -> Self:
        found = [
            Conflict(
                ("arrivals", key),
                f"'{key}' is not an hour of the day; use whole hours 0 to 23 as keys, "
                "e.g. arrivals = { 8 = 120, 9 = 90 }",
            )
            for key in self.arrivals
            if not re.fullmatch(r"\d{1,2}", key) or int(key) > 23
        ]
        if self.transfer is not None and self.transfer.to == self.code:
            found.append(Conflict(("transfer", "to"), f"'{self.code}' cannot transfer to itself"))
        if found:
            raise conflicts(found)
        return self

    def arrivals_by_hour(self) -> dict[int, float]:
        return {int(key): rate for key, rate in sorted(self.arrivals.items(), key=_hour_key)}


def _hour_key(item: tuple[str, float]) -> int:
    return int(item[0])


class Shift(BaseModel):
    """When officers sit at their counters; left out, the branch's opening hours that day."""

    model_config = SETTINGS

    start: ClockTime | None = None
    end: ClockTime | None = None


class CounterStaffing(BaseModel):
    """One staffed counter (loket). A counter not listed has nobody at it all day."""

    model_config = SETTINGS

    number: int = Field(ge=1, le=99)
    start: ClockTime | None = None  # None: [shift].start
    end: ClockTime | None = None  # None: [shift].end
    breaks: list[Break] = Field(default_factory=list, max_length=10)
    absent: list[Absence] = Field(default_factory=list, max_length=10)
    # How the officer is away: "closed" closes the counter; "silent" leaves it open and
    # calls nobody (nobody is told); "rostered" is entered in the roster before the day
    # starts and the counter is closed.
    absence_kind: Literal["closed", "silent", "rostered"] = "closed"


class VisitorHabits(BaseModel):
    model_config = SETTINGS

    # From the seat to the counter after a call, drawn uniformly between the two.
    walk_seconds: list[Annotated[float, Field(ge=0, le=600)]] = Field(
        default_factory=lambda: [20.0, 40.0], min_length=2, max_length=2
    )
    # How long an early visitor waits at the door for the kiosk to open.
    door_wait_minutes: float = Field(90, ge=0, le=600)


class OfficerHabits(BaseModel):
    model_config = SETTINGS

    recall_interval_seconds: float = Field(60, gt=0, le=900)  # between calls of an absent visitor
    call_gap_seconds: float = Field(10, ge=0, le=900)  # from one visitor to the next call


class ScenarioFile(BaseModel):
    """Everything one scenario file declares."""

    model_config = SETTINGS

    name: str = Field(min_length=1, max_length=80)
    description: str = Field("", max_length=2000)
    # Relative to the scenario file; left out, the shipped demo branch.
    branch_config: str | None = Field(None, min_length=1, max_length=260)
    date: date  # a business day of the branch
    seed: int = Field(1, ge=0)
    visitors: VisitorHabits = Field(default_factory=VisitorHabits)
    officers: OfficerHabits = Field(default_factory=OfficerHabits)
    shift: Shift = Field(default_factory=Shift)
    services: list[ServiceLoad] = Field(min_length=1, max_length=50)
    counters: list[CounterStaffing] = Field(min_length=1, max_length=99)

    @model_validator(mode="after")
    def _entries_once(self) -> Self:
        found = []
        seen_codes: set[str] = set()
        for index, service in enumerate(self.services):
            if service.code in seen_codes:
                found.append(Conflict(("services", index, "code"),
                                      f"'{service.code}' is listed twice"))
            seen_codes.add(service.code)
        seen_numbers: set[int] = set()
        for index, counter in enumerate(self.counters):
            if counter.number in seen_numbers:
                found.append(Conflict(("counters", index, "number"),
                                      f"counter {counter.number} is listed twice"))
            seen_numbers.add(counter.number)
        low, high = self.visitors.walk_seconds
        if low > high:
            found.append(Conflict(("visitors", "walk_seconds"),
                                  "give the shorter walk first, e.g. [20, 40]"))
        if found:
            raise conflicts(found)
        return self
