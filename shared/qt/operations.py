"""Run store and printer work off the GUI thread, one at a time, and hand results back.

Every app action goes through `OperationRunner.run(work, on_done, on_error)`: `work` runs on a
single worker thread (so actions keep their order), then `on_done(result)` or
`on_error(exception)` runs on the GUI thread. Tests use `ImmediateRunner`, which does the
same synchronously, as Picard's tests replace its thread pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class Runner(Protocol):
    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None: ...


def _report(error: BaseException) -> None:
    log.error("operation failed: %s", error, exc_info=error)


class OperationRunner(QObject):
    _finished = Signal(object, object, object)  # callback, value, is_error

    def __init__(self, parent: QObject | None = None, name: str = "antrean-operations") -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._deliver)
        self.pending = 0

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self.pending += 1
        self._pool.submit(self._perform, work, on_done, on_error or _report)

    def _perform(self, work: Callable[[], Any], on_done: Done | None, on_error: Failed) -> None:
        # Emitted from the worker thread, every result crosses to the GUI thread through the same
        # queue in the order the work ran. A future's done-callback would run on the GUI thread
        # when the work had already finished, and that result would overtake earlier ones.
        try:
            value = work()
        except BaseException as error:  # as the future reported it: every outcome goes back
            self._finished.emit(on_error, error, True)
            return
        self._finished.emit(on_done, value, False)

    def _deliver(self, callback: Callable[[Any], None] | None, value: Any, _is_error: bool) -> None:
        self.pending -= 1
        if callback is not None:
            callback(value)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class ImmediateRunner:
    """Runs work at once on the calling thread: deterministic tests of the screens."""

    pending = 0

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        try:
            result = work()
        except Exception as error:
            (on_error or _report)(error)
            return
        if on_done is not None:
            on_done(result)

    def shutdown(self) -> None:
        """Nothing runs in the background."""
