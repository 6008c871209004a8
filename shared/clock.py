"""One source of time for the services, injectable so tests and simulations run a day in ms."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Protocol

# An ISO 8601 instant with its UTC offset; when set, stores opened without a clock read it at
# start (or at ANTREAN_CLOCK_SET_AT, a wall-clock instant) and run on from there.
CLOCK_ENV = "ANTREAN_CLOCK"
CLOCK_SET_AT_ENV = "ANTREAN_CLOCK_SET_AT"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        ...


class SystemClock:
    """This machine's clock. Production on PostgreSQL uses the server's clock instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told: for tests and the day simulator."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta | float) -> datetime:
        step = delta if isinstance(delta, timedelta) else timedelta(seconds=delta)
        if step < timedelta(0):
            raise ValueError("time does not run backwards")
        self._now += step
        return self._now

    def set(self, instant: datetime) -> None:
        instant = instant.astimezone(UTC)
        if instant < self._now:
            raise ValueError("time does not run backwards")
        self._now = instant


class ShiftedClock:
    """This machine's clock moved to read `start` at the wall instant `set_at` (default: now),
    then running at real speed: a demo or training day ("Monday 08:00"), and the chosen time of
    a test's child processes. Processes given the same pair share one timeline."""

    def __init__(self, start: datetime, set_at: datetime | None = None) -> None:
        if start.tzinfo is None or (set_at is not None and set_at.tzinfo is None):
            raise ValueError("ShiftedClock needs timezone-aware instants")
        self._shift = start - (set_at or datetime.now(UTC))

    def now(self) -> datetime:
        return datetime.now(UTC) + self._shift


def _instant(name: str, raw: str) -> datetime:
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        instant = None
    if instant is None or instant.tzinfo is None:
        raise ValueError(
            f"{name}={raw!r} is not an instant with its UTC offset, "
            "such as 2026-11-23T08:00:00+07:00"
        )
    return instant


def clock_from_environment() -> ShiftedClock | None:
    """The clock ANTREAN_CLOCK (and ANTREAN_CLOCK_SET_AT) ask for, or None: the database's."""
    raw = os.environ.get(CLOCK_ENV, "").strip()
    if not raw:
        return None
    set_at = os.environ.get(CLOCK_SET_AT_ENV, "").strip()
    return ShiftedClock(
        _instant(CLOCK_ENV, raw), _instant(CLOCK_SET_AT_ENV, set_at) if set_at else None
    )
