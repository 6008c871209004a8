"""Opening and issuing hours: one [start, end] pair per weekday, a missing day means closed."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer

from shared.config.fields import SETTINGS, rejected

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_PAIR_HINT = 'use a pair of times ["HH:MM", "HH:MM"] with the start before the end'


def _clock_time(value: object) -> time:
    # TOML has its own time literal (08:00:00); the quoted "08:00" is what people write.
    if isinstance(value, time):
        if value.second or value.microsecond or value.tzinfo:
            raise rejected(_PAIR_HINT)
        return value
    if isinstance(value, str):
        found = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", value.strip())
        if found:
            return time(int(found[1]), int(found[2]))
    raise rejected(_PAIR_HINT)


def _day_hours(value: object) -> tuple[time, time]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise rejected(_PAIR_HINT)
    start, end = _clock_time(value[0]), _clock_time(value[1])
    if start >= end:
        raise rejected(_PAIR_HINT)
    return start, end


# Stored as JSON the way it is written in TOML, so a saved copy validates again.
DayHours = Annotated[
    tuple[time, time],
    BeforeValidator(_day_hours),
    PlainSerializer(lambda pair: [f"{t:%H:%M}" for t in pair], when_used="json"),
]


def format_hours(hours: tuple[time, time]) -> str:
    """'08:00–15:00', the way the kiosk and the error messages show a window."""
    return f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"


def covers(outer: tuple[time, time] | None, inner: tuple[time, time]) -> bool:
    """Whether the window `inner` lies within `outer` (None: a closed day covers nothing)."""
    return outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


class WeeklyHours(BaseModel):
    """Hours per weekday; a day left out is a closed day."""

    model_config = SETTINGS

    mon: DayHours | None = Field(None, description="Monday's [start, end].")
    tue: DayHours | None = Field(None, description="Tuesday's [start, end].")
    wed: DayHours | None = Field(None, description="Wednesday's [start, end].")
    thu: DayHours | None = Field(None, description="Thursday's [start, end].")
    fri: DayHours | None = Field(None, description="Friday's [start, end].")
    sat: DayHours | None = Field(None, description="Saturday's [start, end].")
    sun: DayHours | None = Field(None, description="Sunday's [start, end].")

    def on_weekday(self, weekday: str) -> tuple[time, time] | None:
        """Hours for 'mon'..'sun'."""
        hours: tuple[time, time] | None = getattr(self, weekday)
        return hours

    def for_day(self, d: date) -> tuple[time, time] | None:
        """Hours on that date's weekday, or None when closed (holidays are the branch's concern)."""
        return self.on_weekday(WEEKDAYS[d.weekday()])
