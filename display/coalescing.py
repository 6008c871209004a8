"""One read at a time through the operation runner; a burst of requests costs two reads.

Ten counters calling in the same second send ten change batches. Reading the board ten times
would only delay the last one, so while a read is in flight further requests are folded into
one more read, started when the first one finishes: the screen ends on the newest state and
never queues stale work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from shared.qt.operations import Runner

T = TypeVar("T")


class CoalescedRead(Generic[T]):
    def __init__(
        self,
        runner: Runner,
        read: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._runner = runner
        self._read = read
        self._on_done = on_done
        self._on_error = on_error
        self._in_flight = False
        self._again = False
        self.started = 0  # reads started so far: what the tests count

    @property
    def in_flight(self) -> bool:
        return self._in_flight

    def request(self) -> None:
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        self._again = False
        self.started += 1
        self._runner.run(self._read, self._done, self._failed)

    def _finish(self) -> bool:
        self._in_flight = False
        again, self._again = self._again, False
        return again

    def _done(self, value: T) -> None:
        again = self._finish()
        self._on_done(value)
        if again:
            self.request()

    def _failed(self, error: BaseException) -> None:
        again = self._finish()
        self._on_error(error)
        if again:
            self.request()
