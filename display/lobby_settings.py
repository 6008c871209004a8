"""The parts of the branch's validated settings the lobby screen uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from shared.config import BranchConfig, DisplayConfig
from shared.domain.calendar import WeekHours, hours_on


@dataclass(frozen=True)
class LobbySettings:
    display: DisplayConfig = field(default_factory=DisplayConfig)
    opening_hours: WeekHours = field(default_factory=dict)
    holidays: tuple[date, ...] = ()

    def opening_hours_on(self, day: date) -> tuple[time, time] | None:
        return hours_on(self.opening_hours, day, self.holidays)


def lobby_settings(config: BranchConfig) -> LobbySettings:
    return LobbySettings(
        display=config.display,
        # The weekday -> ["HH:MM", "HH:MM"] form the calendar functions read.
        opening_hours=config.branch.opening_hours.model_dump(mode="json"),
        holidays=tuple(config.branch.holidays),
    )
