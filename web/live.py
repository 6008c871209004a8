"""Live status for many phones at once: one change watcher, one queue estimate per change, and
one read of every open page's ticket per change.

The watcher thread only bumps a version number. Each open status page waits for the next
version, then asks for its ticket; the asks that arrive together are answered by one read of
all their tickets (`ticket_statuses`: a handful of queries for two thousand pages, where a read
per page cost a count of the queue each) with the estimate every page of that version shares.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

from starlette.concurrency import run_in_threadpool

from shared.changes.watcher import ChangeFeed, watch_changes
from shared.domain.errors import NotFound
from shared.estimation.estimator import QueueEstimate, estimate_queue
from shared.services.runner import attempt
from shared.services.ticket_status import TicketStatus
from shared.services.ticket_statuses import ticket_statuses
from shared.store.database import Store
from shared.store.unit_of_work import Change

ESTIMATE_SECONDS = 60
# A call is several events in a row (and a burst of watcher batches): pages wake once, this
# long after the first, for all of them; one timer, not one per page.
COALESCE_SECONDS = 0.05


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
        self._bump_due: asyncio.TimerHandle | None = None
        # Tickets asked for since the last read began, each with the pages waiting for it.
        self._asked: dict[str, list[asyncio.Future[TicketStatus]]] = {}
        self._reading: asyncio.Task[None] | None = None

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
            self._loop.call_soon_threadsafe(self._bump_soon)

    def _bump_soon(self) -> None:
        if self._bump_due is None and self._loop is not None:
            self._bump_due = self._loop.call_later(COALESCE_SECONDS, self._bump)

    def _bump(self) -> None:
        self._bump_due = None
        self.version += 1
        if self._changed is not None:
            self._changed.set()
            self._changed = asyncio.Event()

    async def next_change(self, seen: int, timeout: float) -> int:
        """The version after `seen`, or `seen` again when nothing changed within `timeout`."""
        if self.version == seen and self._changed is not None and not self.closing:
            # asyncio.timeout, not wait_for: no task of its own for each of 2,000 pages.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._changed.wait()
        return self.version

    async def status(self, token: str) -> TicketStatus:
        """The ticket as it is now, read together with every other ticket asked for at the
        same moment. An unknown token raises NotFound."""
        answer: asyncio.Future[TicketStatus] = asyncio.get_running_loop().create_future()
        self._asked.setdefault(token, []).append(answer)
        if self._reading is None:
            self._reading = asyncio.create_task(self._read_asked())
        return await answer

    async def _read_asked(self) -> None:
        # One read at a time: asks that come while one runs wait for the next, all together.
        try:
            await self._read_while_asked()
        finally:
            self._reading = None

    async def _read_while_asked(self) -> None:
        while self._asked:
            await asyncio.sleep(0)  # the pages woken by the same change ask first
            asked, self._asked = self._asked, {}
            try:
                found = await run_in_threadpool(self._read, list(asked))
            except Exception as error:  # every page waiting on this read gets the error
                for answers in asked.values():
                    for answer in answers:
                        if not answer.done():
                            answer.set_exception(error)
                continue
            for token, answers in asked.items():
                status = found.get(token)
                for answer in answers:
                    if answer.done():  # the page went away meanwhile
                        continue
                    if status is None:
                        answer.set_exception(NotFound("there is no ticket with this link"))
                    else:
                        answer.set_result(status)

    def _read(self, tokens: list[str]) -> dict[str, TicketStatus]:
        # The estimate first, outside the read's transaction: computing it needs a connection
        # of its own, and waiting for one while holding another could exhaust the pool.
        estimate = self.estimate()
        return attempt(
            self.store, self.branch_code,
            lambda uow: ticket_statuses(uow, tokens, lambda: estimate), read_only=True,
        )

    def estimate(self) -> QueueEstimate:
        """The queue's estimate at the current version (computed once; call off the loop)."""
        # Also renewed after a quiet minute: time passing moves the window too.
        key = (self.version, int(time.monotonic() // ESTIMATE_SECONDS))
        with self._estimating:
            if self._estimate is None or self._estimate[0] != key:
                found = attempt(self.store, self.branch_code, estimate_queue, read_only=True)
                self._estimate = (key, found)
            return self._estimate[1]
