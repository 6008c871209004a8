"""The shared Qt glue: change signals on the GUI thread, operations off it, translations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from shared.changes import watch_changes
from shared.i18n import LANGUAGES, Translator, catalog
from shared.qt.changes import ChangeSignals
from shared.qt.operations import ImmediateRunner, OperationRunner
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from tests.support.actions import run


def test_changes_arrive_as_signals_on_the_gui_thread(qtbot: QtBot, store: Store) -> None:
    signals = ChangeSignals(watch_changes(store, "TST")).start()
    seen_on: list[threading.Thread] = []
    signals.changed.connect(lambda _batch: seen_on.append(threading.current_thread()))
    try:
        with qtbot.waitSignal(signals.changed, timeout=10_000) as blocker:
            run(store, issue_ticket, "JHT")
    finally:
        signals.stop()
    assert [c.kind for c in blocker.args[0]] == ["ticket.issued"]
    assert seen_on == [threading.main_thread()]


def test_operations_run_off_the_gui_thread_in_order(qtbot: QtBot) -> None:
    runner = OperationRunner()
    workers: list[str] = []
    results: list[int] = []

    def work(n: int) -> int:
        workers.append(threading.current_thread().name)
        return n

    for n in range(5):
        runner.run(partial(work, n), results.append)
    qtbot.waitUntil(lambda: len(results) == 5, timeout=5000)
    runner.shutdown()
    assert results == [0, 1, 2, 3, 4]
    assert all(name.startswith("antrean-operations") for name in workers)


class _LateReturningPool(ThreadPoolExecutor):
    """A pool whose last submit returns only once its work is done: the GUI thread was held up
    right after handing the work over (a loaded machine), so the work finished first."""

    def __init__(self, hold_up_at: int) -> None:
        super().__init__(max_workers=1, thread_name_prefix="antrean-operations")
        self.submitted = 0
        self.hold_up_at = hold_up_at

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        self.submitted += 1
        if self.submitted == self.hold_up_at:
            wait([future])
        return future


def test_results_arrive_in_order_when_work_finishes_before_run_returns(qtbot: QtBot) -> None:
    # Seen in CI as [0, 4, 1, 2, 3]: the last work finished before `run` returned and its result
    # jumped the queue, so a counter's screen could show an older action's result last.
    runner = OperationRunner()
    runner._pool.shutdown()
    runner._pool = _LateReturningPool(hold_up_at=5)
    results: list[int] = []
    for n in range(5):
        runner.run(partial(int, n), results.append)
    qtbot.waitUntil(lambda: len(results) == 5, timeout=5000)
    runner.shutdown()
    assert results == [0, 1, 2, 3, 4]


def test_operation_errors_reach_the_error_callback(qtbot: QtBot) -> None:
    runner = OperationRunner()
    errors: list[BaseException] = []
    runner.run(lambda: 1 / 0, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    runner.shutdown()
    assert isinstance(errors[0], ZeroDivisionError)


def test_immediate_runner_for_tests() -> None:
    out: list[object] = []
    ImmediateRunner().run(lambda: 42, out.append)
    ImmediateRunner().run(lambda: 1 / 0, out.append, out.append)
    assert out[0] == 42 and isinstance(out[1], ZeroDivisionError)


def test_every_text_has_both_languages_and_switches() -> None:
    for key, entry in catalog().items():
        for language in LANGUAGES:
            assert entry[language].strip(), f"{key} has no {language} text"
    tr = Translator("id")
    assert tr("ticket.people_ahead", count=3) == "Orang di depan Anda: 3"
    tr.language = "en"
    assert tr("ticket.people_ahead", count=3) == "People ahead of you: 3"
    assert tr.both("counter.name", number=2) == ("Loket 2", "Counter 2")
    with pytest.raises(KeyError):
        tr("no.such.text")
