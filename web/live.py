"""Live status for many phones at once: one change watcher, one queue estimate per change.

The watcher thread only bumps a version number; each open status page waits for the next
version, then reads its own ticket with the estimate shared by every page of that version,
so a hundred phones cost one estimate per change, not a hundred.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

from starlette.concurrency import run_in_threadpool

from shared.changes.watcher import ChangeFeed, watch_changes
from shared.estimation.estimator import QueueEstimate, estimate_queue
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.unit_of_work import Change

ESTIMATE_SECONDS = 60


class QueueWatch:
    def __init__(self, store: Store, branch_code: str) -> None:
        self.store = store
        self.branch_code = branch_code
        self.version = 0
        self.closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._feed: ChangeFeed | None = None
        self._estimate: tuple[tuple[int, int], QueueEstimate] | None = None
        self._estimating = threading.Lock()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()
        self._feed = ChangeFeed(watch_changes(self.store, self.branch_code), self._on_changes)
        self._feed.start()

    async def stop(self) -> None:
        self.closing = True
        self._bump()
        if self._feed is not None:
            await run_in_threadpool(self._feed.stop)

    def begin_closing(self) -> None:
        """From any thread: open status streams end now, so the server need not wait on them."""
        self.closing = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._bump)

    def _on_changes(self, _batch: list[Change]) -> None:  # on the watcher's thread
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._bump)

    def _bump(self) -> None:
        self.version += 1
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def next_change(self, seen: int, timeout: float) -> int:
        """The version after `seen`, or `seen` again when nothing changed within `timeout`."""
        if self.version == seen and self._changed is not None and not self.closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
        return self.version

    def estimate(self) -> QueueEstimate:
        """The queue's estimate at the current version (computed once; call off the loop)."""
        # Also renewed after a quiet minute: time passing moves the window too.
        key = (self.version, int(time.monotonic() // ESTIMATE_SECONDS))
        with self._estimating:
            if self._estimate is None or self._estimate[0] != key:
                found = attempt(self.store, self.branch_code, estimate_queue, read_only=True)
                self._estimate = (key, found)
            return self._estimate[1]
