"""A visitor the counters that serve the service today will not reach before they stop."""

from __future__ import annotations

from datetime import timedelta

from shared.estimation.estimator import estimate_state
from shared.estimation.model import SLOTS, DayProfile
from tests.shared.estimation.test_estimator import NOW, A, B, counter, state, waiting

MIDNIGHT = NOW - timedelta(hours=9)  # NOW is 09:00 local: slot 36
# Earlier days: counter 1 open 08:00-10:00 (slots 32-39), closed for the day after.
MORNING_ONLY = {1: tuple(1.0 if 32 <= slot < 40 else 0.0 for slot in range(SLOTS))}


def test_a_newcomer_past_the_counters_day_is_not_today() -> None:
    # Twenty visitors of ten minutes at one counter that stops at 10:00: the newcomer is not
    # reached today, although a counter serves the service.
    estimate = estimate_state(
        state([counter(1)], waiting(20), profile=DayProfile(MIDNIGHT, MORNING_ONLY))
    )
    assert estimate.services[A] is None
    assert (A, False) in estimate.not_today


def test_a_newcomer_within_the_counters_day_is_reached() -> None:
    estimate = estimate_state(
        state([counter(1)], waiting(2), profile=DayProfile(MIDNIGHT, MORNING_ONLY))
    )
    assert estimate.services[A] is not None
    assert (A, False) not in estimate.not_today


def test_a_service_no_counter_serves_is_unknown_not_full() -> None:
    # Nobody serves B: its newcomer has no estimate, and nothing says the day is full.
    estimate = estimate_state(state([counter(1)], waiting(2, B)))
    assert estimate.services[B] is None
    assert (B, False) not in estimate.not_today
