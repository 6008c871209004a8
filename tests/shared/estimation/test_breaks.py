"""How long a break lasts here: learnt from the pauses the branch's counters came back from."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.estimation.breaks import break_lengths, typical_break
from shared.estimation.estimator import estimate_state
from tests.shared.estimation.test_estimator import NOW, counter, expected, state, waiting


def test_a_paused_counter_is_back_when_this_branchs_breaks_end() -> None:
    # On a 45-minute break for 5 minutes: back in 40, not in the 15 a fixed 20 would say.
    on_break = counter(1, state="paused", state_since=NOW - timedelta(minutes=5),
                       pause_reason="istirahat")
    estimate = estimate_state(state([on_break], waiting(1), break_seconds=45 * 60.0))
    assert expected(estimate, 1) == pytest.approx(40 * 60)


def test_breaks_are_paired_per_counter_and_leave_is_not_a_break() -> None:
    moves = [
        (1, NOW, "counter.paused", "istirahat"),
        (2, NOW, "counter.paused", "cuti"),
        (3, NOW, "counter.paused", "sholat"),
        (2, NOW + timedelta(minutes=90), "counter.resumed", ""),
        (1, NOW + timedelta(minutes=45), "counter.resumed", ""),
        (3, NOW + timedelta(minutes=20), "counter.closed", ""),  # closed off: not a break
    ]
    assert break_lengths(moves) == [45 * 60.0]
    assert typical_break([45 * 60.0, 40 * 60.0], (30 * 60.0,)) == 40 * 60.0
    assert typical_break([], ()) is None
