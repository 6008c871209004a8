"""The store's time on screen: the instant of the last read, run on with the local clock.

On PostgreSQL the store's clock is the server's, which may differ from this PC's; running
times (a visitor called 0:35 ago, a counter idle for 12 minutes) are therefore counted from
the store's own `now` at the last read, so they agree with what every other screen shows.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta


class StoreClock:
    def __init__(self) -> None:
        self._synced: tuple[datetime, float] | None = None

    def sync(self, at: datetime) -> None:
        self._synced = (at, time.monotonic())

    def now(self) -> datetime:
        if self._synced is None:
            return datetime.now(UTC)
        at, mark = self._synced
        return at + timedelta(seconds=time.monotonic() - mark)

    def since_sync(self) -> float:
        """Seconds since the last read (0 before any)."""
        return 0.0 if self._synced is None else time.monotonic() - self._synced[1]
