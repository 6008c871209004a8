"""The parts of the branch's stored settings the lobby screen uses.

Only the `display` section is validated again (it round-trips through JSON unchanged); the
opening hours and holidays are read as stored, the way the services read them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from pydantic import ValidationError

from shared.config import DisplayConfig
from shared.domain.calendar import WeekHours, hours_on

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LobbySettings:
    display: DisplayConfig = field(default_factory=DisplayConfig)
    opening_hours: WeekHours = field(default_factory=dict)
    holidays: tuple[date, ...] = ()

    def opening_hours_on(self, day: date) -> tuple[time, time] | None:
        return hours_on(self.opening_hours, day, self.holidays)


def lobby_settings(stored: dict[str, Any]) -> LobbySettings:
    """From `Branch.settings`; a display section that does not validate falls back to the
    defaults (and says so in the log) rather than leaving the lobby without a screen."""
    branch = stored.get("branch") or {}
    try:
        display = DisplayConfig.model_validate(stored.get("display") or {})
    except ValidationError as error:
        log.error("the branch's display settings are invalid, using defaults: %s", error)
        display = DisplayConfig()
    return LobbySettings(
        display=display,
        opening_hours=dict(branch.get("opening_hours") or {}),
        holidays=tuple(date.fromisoformat(str(d)) for d in branch.get("holidays") or ()),
    )
