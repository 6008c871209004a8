"""The time a test's child processes and commands run at: chosen by the test, never the wall's."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from shared.clock import CLOCK_ENV, CLOCK_SET_AT_ENV
from tests.support.branches import MONDAY_0800

# Inside every test branch's hours, an hour after the `clock` fixture's start.
MONDAY_0900 = MONDAY_0800 + timedelta(hours=1)


def clock_variables(instant: datetime = MONDAY_0900) -> dict[str, str]:
    """Stores opened without a clock read `instant` now, and run on: every process given these
    shares one timeline."""
    return {CLOCK_ENV: instant.isoformat(), CLOCK_SET_AT_ENV: datetime.now(UTC).isoformat()}


def environment_at(instant: datetime = MONDAY_0900) -> dict[str, str]:
    """This process's environment, with stores opened in a child reading `instant` now."""
    return {**os.environ, **clock_variables(instant)}
