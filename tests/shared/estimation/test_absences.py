"""Counters expected to call nobody: rostered away, or open but silent while visitors wait."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.estimation.absence import silent_for, with_absences
from shared.estimation.estimator import estimate_state
from shared.estimation.history import silent_slots
from shared.estimation.model import CurrentVisit, WaitingTicket
from tests.shared.estimation.test_estimator import H_A, NOW, A, B, counter, expected, state, waiting

LIMIT = timedelta(minutes=20)


def test_a_rostered_absence_keeps_the_counter_from_calling_until_it_ends() -> None:
    # Counter 2 is rostered away 09:00-10:00: counter 1 serves alone until 10:00.
    away = ((NOW, NOW + timedelta(hours=1)),)
    estimate = estimate_state(state([counter(1), counter(2, away=away)], waiting(8)))
    assert [expected(estimate, i) for i in range(1, 9)] == pytest.approx(
        [0, H_A, 2 * H_A, 3 * H_A, 4 * H_A, 5 * H_A, 3600, 6 * H_A]
    )


def test_an_absence_later_today_is_foreseen_now() -> None:
    # With one counter, rostered away 09:30-10:30: the visit that would start at 09:30 starts
    # at 10:30, and everyone behind moves by the hour.
    away = ((NOW + timedelta(minutes=30), NOW + timedelta(minutes=90)),)
    plain = estimate_state(state([counter(1)], waiting(6)))
    rostered = estimate_state(state([counter(1, away=away)], waiting(6)))
    # Visits that start before 09:30 are unchanged (the third, under way then, is finished).
    assert [expected(rostered, i) for i in range(1, 4)] == pytest.approx(
        [expected(plain, i) for i in range(1, 4)]
    )
    assert [expected(rostered, i) for i in range(4, 7)] == pytest.approx(
        [5400, 5400 + H_A, 5400 + 2 * H_A]
    )


def test_overlapping_absences_end_at_the_last_one() -> None:
    away = ((NOW, NOW + timedelta(minutes=30)),
            (NOW + timedelta(minutes=20), NOW + timedelta(hours=1)))
    estimate = estimate_state(state([counter(1, away=away)], waiting(1)))
    assert expected(estimate, 1) == pytest.approx(3600)


def test_an_open_counter_silent_past_the_limit_with_visitors_waiting_is_away() -> None:
    idle = counter(5, state_since=NOW - timedelta(hours=2))
    tickets = waiting(14)  # queued 60..47 minutes ago
    silent = silent_for(idle, tickets, NOW - timedelta(minutes=25), NOW, LIMIT)
    assert silent == (25 * 60, 14)


def test_a_counter_within_the_limit_serving_or_without_waiting_visitors_is_not_silent() -> None:
    since = NOW - timedelta(hours=2)
    tickets = waiting(3)
    assert silent_for(counter(5, state_since=since), tickets, NOW - timedelta(minutes=19),
                      NOW, LIMIT) is None
    busy = counter(5, state_since=since, current=CurrentVisit(A, "serving", NOW))
    assert silent_for(busy, tickets, NOW - timedelta(hours=1), NOW, LIMIT) is None
    other = counter(5, (B,), state_since=since)
    assert silent_for(other, tickets, NOW - timedelta(hours=1), NOW, LIMIT) is None
    # Visitors who came only a minute ago: the quiet was an empty queue, not an absence.
    fresh = [WaitingTicket(1, A, NOW - timedelta(minutes=1))]
    assert silent_for(counter(5, state_since=since), fresh, None, NOW, LIMIT) is None
    paused = counter(5, state="paused", state_since=since)
    assert silent_for(paused, tickets, None, NOW, LIMIT) is None


def test_a_silent_counter_is_expected_back_after_as_long_again() -> None:
    counters = [counter(1, state_since=NOW - timedelta(hours=1),
                        current=CurrentVisit(A, "serving", NOW)),
                counter(2, state_since=NOW - timedelta(hours=2))]
    tickets = tuple(waiting(4))
    moves = {1: NOW, 2: NOW - timedelta(minutes=30)}
    marked = with_absences(counters, tickets, {}, moves, NOW, LIMIT)
    assert marked[0].away == ()
    assert marked[1].away == ((NOW, NOW + timedelta(minutes=30)),)
    silent_estimate = estimate_state(state(marked, list(tickets)))
    trusting = estimate_state(state(counters, list(tickets)))
    # Trusted, counter 2 would call the first visitor now; known silent, counter 1 does later.
    assert expected(trusting, 1) == 0
    assert expected(silent_estimate, 1) > 0


def test_rostered_spans_already_over_are_dropped() -> None:
    spans = {1: [(NOW - timedelta(hours=2), NOW - timedelta(hours=1)),
                 (NOW + timedelta(hours=1), NOW + timedelta(hours=2))]}
    marked = with_absences([counter(1)], (), spans, {}, NOW, LIMIT)
    assert marked[0].away == ((NOW + timedelta(hours=1), NOW + timedelta(hours=2)),)


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 16, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_history_learns_a_silent_counter_from_its_calls_not_its_state() -> None:
    # Last Monday counters 1 and 2 (JHT) were open all day; counter 2 called at 08:05 and
    # 08:20 (a visit until 08:40), then nobody until 12:10 while JHT visitors waited
    # 08:10-12:30. Counter 1 called every 10 minutes.
    moves = [(1, _at(8 + m // 60, m % 60), "ticket.call") for m in range(0, 280, 10)]
    moves += [(2, _at(8, 5), "ticket.call"), (2, _at(8, 10), "ticket.finish"),
              (2, _at(8, 20), "ticket.call"), (2, _at(8, 40), "ticket.finish"),
              (2, _at(12, 10), "ticket.call"), (2, _at(12, 35), "ticket.finish")]
    waits = [(A, _at(8, 10), _at(12, 30))]
    quiet = silent_slots(moves, waits, {1: {A}, 2: {A}, 3: {B}})
    day = date(2026, 11, 16)
    assert (day, 1) not in quiet and (day, 3) not in quiet
    # 08:45 (slot 35) to 12:00 (slot 48): silent; 08:15-08:45 it was with a visitor.
    assert quiet[(day, 2)] == set(range(35, 48))


def test_a_counter_closed_for_its_rostered_absence_is_back_when_it_ends() -> None:
    # Counter 2 closed at 09:00 for leave rostered until 10:00; nothing else says it returns.
    away = ((NOW - timedelta(minutes=5), NOW + timedelta(hours=1)),)
    closed = counter(2, state="closed", away=away)
    estimate = estimate_state(state([counter(1), closed], waiting(8)))
    assert expected(estimate, 7) == pytest.approx(3600)
    forgotten = estimate_state(state([counter(1), counter(2, state="closed")], waiting(8)))
    assert expected(forgotten, 7) == pytest.approx(6 * H_A)
