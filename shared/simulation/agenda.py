"""Simulated time: a day's clock in seconds since local midnight, and a heap of timed actions."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.clock import ManualClock

Action = Callable[[], None]


@dataclass(frozen=True)
class Day:
    """One business day; moments in it are float seconds since local midnight."""

    date: date
    zone: ZoneInfo

    @property
    def midnight(self) -> datetime:
        return datetime.combine(self.date, time(0), tzinfo=self.zone).astimezone(UTC)

    def seconds(self, moment: time) -> float:
        """Seconds from midnight to a wall-clock time (in real time, should the zone shift)."""
        local = datetime.combine(self.date, moment, tzinfo=self.zone)
        return (local.astimezone(UTC) - self.midnight).total_seconds()

    def instant(self, seconds: float) -> datetime:
        return self.midnight + timedelta(seconds=seconds)

    def local(self, seconds: float) -> datetime:
        return self.instant(seconds).astimezone(self.zone)

    def seconds_of(self, instant: datetime) -> float:
        return (instant.astimezone(UTC) - self.midnight).total_seconds()


@dataclass(order=True)
class _Entry:
    at: float
    order: int  # insertion order: equal times run first come, first served
    action: Action = field(compare=False)


class Agenda:
    """Runs actions in time order, moving the services' clock to each action's time first."""

    def __init__(self, day: Day, clock: ManualClock) -> None:
        self.day = day
        self.clock = clock
        self.now = day.seconds_of(clock.now())
        self._heap: list[_Entry] = []
        self._count = 0

    def at(self, seconds: float, action: Action) -> None:
        self._count += 1
        heapq.heappush(self._heap, _Entry(max(seconds, self.now), self._count, action))

    def after(self, delay: float, action: Action) -> None:
        self.at(self.now + delay, action)

    def run(self, step: Callable[[float], None] | None = None) -> None:
        """Until nothing is left to do; `step` hears the time after each action."""
        while self._heap:
            entry = heapq.heappop(self._heap)
            self.now = entry.at
            self.clock.set(self.day.instant(entry.at))
            entry.action()
            if step is not None:
                step(self.now)
