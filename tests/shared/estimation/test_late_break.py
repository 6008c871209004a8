"""Lunch taken late: a counter still open at its usual break is expected to take it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.estimation.estimator import estimate_state
from shared.estimation.model import SLOTS, DayProfile
from tests.shared.estimation.test_estimator import H_A, NOW, counter, expected, state, waiting

MIDNIGHT = NOW - timedelta(hours=9)  # NOW is 09:00 local: slot 36
# Earlier days: counter 1 away 08:00-09:00 (slots 32-35), open otherwise.
USUAL = {1: tuple(0.0 if 32 <= slot < 36 else 1.0 for slot in range(SLOTS))}


def test_open_through_its_usual_break_it_takes_it_next() -> None:
    # Open since 07:30, it has not had its break: it calls two visitors by 09:15, then is
    # away 09:15-10:15 (as long as the usual break) and calls the third at 10:15.
    busy = counter(1, state_since=NOW - timedelta(minutes=90))
    profile = DayProfile(MIDNIGHT, USUAL)
    estimate = estimate_state(state([busy], waiting(4), profile=profile))
    assert [expected(estimate, i) for i in range(1, 5)] == pytest.approx(
        [0, H_A, 4500, 4500 + H_A]
    )


def test_back_from_its_break_it_is_not_sent_again() -> None:
    back = counter(1, state_since=NOW - timedelta(minutes=5))
    estimate = estimate_state(state([back], waiting(4), profile=DayProfile(MIDNIGHT, USUAL)))
    assert [expected(estimate, i) for i in range(1, 5)] == pytest.approx(
        [0, H_A, 2 * H_A, 3 * H_A]
    )


def test_long_after_the_usual_break_it_is_no_longer_expected() -> None:
    busy = counter(1, state_since=NOW - timedelta(hours=3))
    later = {1: tuple(0.0 if 16 <= slot < 20 else 1.0 for slot in range(SLOTS))}  # 04:00-05:00
    estimate = estimate_state(state([busy], waiting(4), profile=DayProfile(MIDNIGHT, later)))
    assert [expected(estimate, i) for i in range(1, 5)] == pytest.approx(
        [0, H_A, 2 * H_A, 3 * H_A]
    )
