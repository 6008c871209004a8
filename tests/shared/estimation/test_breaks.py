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


def test_once_breaks_have_begun_the_others_take_theirs_in_turn() -> None:
    # Counter 1 went on its 30-minute break 10 minutes ago; 2 and 3 have not had theirs: with
    # no earlier days to say when, they go in turn (one at a time, as many as are away now),
    # 2 when 1 is back and 3 when 2 is back, so each calls nobody for half an hour.
    away = counter(1, state="paused", state_since=NOW - timedelta(minutes=10),
                   pause_reason="istirahat")
    begun = {1: NOW - timedelta(minutes=10)}
    plain = state([away, counter(2), counter(3)], waiting(12), break_seconds=30 * 60.0)
    in_turn = state([away, counter(2), counter(3)], waiting(12), break_seconds=30 * 60.0,
                    breaks_begun=begun)
    last_plain = expected(estimate_state(plain), 12)
    last_turn = expected(estimate_state(in_turn), 12)
    # Counter 2 is away from 20 to 50 minutes from now: the twelfth is called about ten
    # minutes later than if nobody else took a break (40 -> 50 minutes).
    assert last_turn > last_plain + 8 * 60


def test_breaks_long_ago_say_nothing_about_the_rest() -> None:
    away = counter(1, state="paused", state_since=NOW - timedelta(minutes=10),
                   pause_reason="istirahat")
    long_ago = {1: NOW - timedelta(hours=4)}
    plain = state([away, counter(2)], waiting(6), break_seconds=30 * 60.0)
    stale = state([away, counter(2)], waiting(6), break_seconds=30 * 60.0,
                  breaks_begun=long_ago)
    assert expected(estimate_state(stale), 6) == expected(estimate_state(plain), 6)
