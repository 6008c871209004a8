"""Nobody ahead: the window of a wait for the first busy counter to come free."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest

from shared.estimation.estimator import estimate_state
from shared.estimation.model import CurrentVisit, WaitingTicket
from shared.estimation.window import window
from tests.shared.estimation.test_estimator import NOW, A, counter, state


def test_a_wait_with_nobody_ahead_gets_the_exponential_window() -> None:
    wait = window(300.0, 0.0, 3)
    assert (wait.low_seconds, wait.high_seconds) == pytest.approx(
        (-300 * math.log(0.9), 300 * math.log(10))
    )
    queue_work = window(300.0, 200.0**2, 3)  # visits ahead: the log-normal around the work
    assert queue_work.low_seconds > wait.low_seconds


def test_the_window_holds_eight_in_ten_first_free_counters() -> None:
    # Three counters busy with visits of random remaining length (mean 5 min each, memoryless
    # as a busy branch's ends of visit are): the first comes free within the window 80 % of
    # the time, where a tight window around the mean would miss the early calls.
    rng = random.Random(7)
    waits = [min(rng.expovariate(1 / 900) for _ in range(3)) for _ in range(20000)]
    wait = window(sum(waits) / len(waits), 0.0, 3)
    inside = sum(1 for w in waits if wait.low_seconds <= w <= wait.high_seconds) / len(waits)
    assert inside == pytest.approx(0.8, abs=0.02)


def test_a_priority_visitor_waits_for_the_first_counter_to_come_free() -> None:
    busy = [
        counter(n, current=CurrentVisit(A, "serving", NOW - timedelta(minutes=n)))
        for n in (1, 2)
    ]
    regular = [WaitingTicket(i, A, NOW - timedelta(minutes=30)) for i in (1, 2, 3)]
    estimate = estimate_state(state(busy, regular))
    priority = estimate.priority[A]
    assert priority is not None and priority.low_seconds < 0.2 * priority.expected_seconds
