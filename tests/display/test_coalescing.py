"""A burst of refresh requests costs at most one more read, never one read per request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from display.coalescing import CoalescedRead
from shared.qt.operations import Done, Failed


class HeldRunner:
    """Keeps each piece of work until the test finishes it, like a slow database."""

    def __init__(self) -> None:
        self.held: list[tuple[Callable[[], Any], Done | None, Failed | None]] = []

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self.held.append((work, on_done, on_error))

    def finish_next(self) -> None:
        work, on_done, on_error = self.held.pop(0)
        try:
            value = work()
        except Exception as error:
            assert on_error is not None
            on_error(error)
            return
        assert on_done is not None
        on_done(value)


def test_requests_during_a_read_fold_into_one_more_read() -> None:
    runner = HeldRunner()
    counter = iter(range(100))
    shown: list[int] = []
    read = CoalescedRead(runner, lambda: next(counter), shown.append, lambda e: None)
    read.request()
    for _ in range(10):
        read.request()
    assert (read.started, len(runner.held)) == (1, 1)
    runner.finish_next()
    assert (read.started, len(runner.held), shown) == (2, 1, [0])
    runner.finish_next()
    assert (read.started, runner.held, shown, read.in_flight) == (2, [], [0, 1], False)


def test_a_failed_read_still_runs_the_queued_one() -> None:
    runner = HeldRunner()
    outcomes: Iterator[ValueError | int] = iter([ValueError("store gone"), 7])
    errors: list[BaseException] = []
    shown: list[int] = []

    def work() -> int:
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    read = CoalescedRead(runner, work, shown.append, errors.append)
    read.request()
    read.request()
    runner.finish_next()
    assert [str(e) for e in errors] == ["store gone"]
    runner.finish_next()
    assert shown == [7]
