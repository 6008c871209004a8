"""Per-visitor rate limits: a sliding window of recent attempts per address and action.

Kept in memory: one web process per branch is the deployment, and a restart forgiving
everyone is harmless. Old addresses are swept so the table cannot grow without bound.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_KEYS = 100_000


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many attempts; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class RateLimit:
    """At most `limit` attempts per `seconds`, per key."""

    limit: int
    seconds: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, key: str) -> None:
        """Raises `RateLimited` once the key has used its attempts; counts nothing."""
        with self._lock:
            self._refuse_if_spent(self._recent(key))

    def record(self, key: str) -> None:
        """Counts one attempt (a miss that already happened: it is answered anyway)."""
        with self._lock:
            self._recent(key).append(self.clock())

    def hit(self, key: str) -> None:
        """Counts one attempt, refusing it (`RateLimited`) when the key has none left."""
        with self._lock:
            times = self._recent(key)
            self._refuse_if_spent(times)
            times.append(self.clock())

    def _refuse_if_spent(self, times: deque[float]) -> None:
        if len(times) >= self.limit:
            raise RateLimited(max(int(times[0] + self.seconds - self.clock()) + 1, 1))

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        if len(self._seen) > MAX_KEYS:
            self._sweep(now)
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.seconds:
            times.popleft()
        return times

    def _sweep(self, now: float) -> None:
        stale = [k for k, t in self._seen.items() if not t or t[-1] <= now - self.seconds]
        for key in stale:
            del self._seen[key]
