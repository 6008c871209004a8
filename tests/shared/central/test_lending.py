"""The officer-lending suggestion, on cases small enough to check by hand.

With a 20-minute visit, a 30-minute target wait and 80 % within it, the planner needs 2
counters for 3 arrivals an hour, 3 for 6, and 5 for 12 (first test); every case is built from
those figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time

import pytest

from shared.central.lending import BranchDay, Loan, Region, suggest_loans
from shared.planning.forecast import ArrivalForecast
from shared.planning.staffing import plan_staffing

OPEN = range(8, 12)  # 08:00–12:00 in every case


def _day(
    code: str,
    arrivals: Mapping[int, float],
    present: int | Mapping[int, int],
    *,
    waiting: int = 0,
    serving: Mapping[str, int] | None = None,
) -> BranchDay:
    """A branch whose counters all serve JHT (unless `serving` says how many serve what)."""
    by_hour = {hour: present for hour in OPEN} if isinstance(present, int) else present
    counters = serving or {"JHT": -1}
    available = {
        service: {hour: float(by_hour[hour] if count < 0 else count) for hour in OPEN}
        for service, count in counters.items()
    }
    return BranchDay(
        code=code,
        forecast=ArrivalForecast({"JHT": dict(arrivals)}, {"JHT": 20.0, "JKK": 20.0}),
        available=available,
        present={hour: float(count) for hour, count in by_hour.items()},
        waiting={"JHT": waiting},
        closing_hour=12,
    )


# A: 6 arrivals at 08:00, then 12 an hour: 3 counters, then 5; it has 3, so it is
# short by 2 for JHT 09:00–12:00.
SHORT = {8: 6.0, 9: 12.0, 10: 12.0, 11: 12.0}
QUIET = {hour: 3.0 for hour in OPEN}  # 2 counters needed each hour


def test_the_planner_figures_the_cases_rest_on() -> None:
    rows = plan_staffing(ArrivalForecast({"JHT": {8: 3.0, 9: 6.0, 10: 12.0}}, {"JHT": 20.0}))
    assert [row.counters_needed for row in rows] == [2, 3, 5]


def test_a_neighbour_with_three_spare_lends_the_two_missing() -> None:
    region = Region.from_pairs([("A", "B", 30)], max_travel_minutes=60)
    plan = suggest_loans([_day("A", SHORT, 3), _day("B", QUIET, 5)], region, time(8, 0))

    assert [short.describe() for short in plan.shortfalls] == [
        "A: short by 2 counters for JHT 09:00–12:00"
    ]
    assert plan.loans == (Loan("B", "A", "JHT", 9, 12, 2, 30),)
    assert plan.unmet == ()
    assert plan.describe() == ["B lends 2 officers to A for JHT 09:00–12:00 (30 min away)"]


def test_nobody_spare_means_no_suggestion_and_the_shortfall_stated() -> None:
    region = Region.from_pairs([("A", "B", 30)], max_travel_minutes=60)
    plan = suggest_loans([_day("A", SHORT, 3), _day("B", QUIET, 2)], region, time(8, 0))

    assert plan.loans == ()
    assert plan.describe() == ["no lender: A: short by 2 counters for JHT 09:00–12:00"]


def test_a_branch_too_far_or_not_in_the_matrix_does_not_lend() -> None:
    region = Region.from_pairs([("A", "FAR", 90), ("A", "NEAR", 45)], max_travel_minutes=60)
    days = [_day("A", SHORT, 3), _day("FAR", QUIET, 9), _day("UNLISTED", QUIET, 9),
            _day("NEAR", QUIET, 3)]
    plan = suggest_loans(days, region, time(7, 0))

    # NEAR spares one (3 present, 2 needed); FAR and UNLISTED, with 7 spare each, are not asked.
    assert plan.loans == (Loan("NEAR", "A", "JHT", 9, 12, 1, 45),)
    assert [short.describe() for short in plan.unmet] == [
        "A: short by 1 counter for JHT 09:00–12:00"
    ]


def test_a_lender_that_would_fall_short_itself_is_not_used() -> None:
    # BUSY has 5 counters but needs all 5 for its own 12 arrivals an hour, though it is nearer.
    region = Region.from_pairs([("A", "BUSY", 10), ("A", "SPARE", 40)], max_travel_minutes=60)
    days = [_day("A", SHORT, 3), _day("BUSY", {hour: 12.0 for hour in OPEN}, 5),
            _day("SPARE", QUIET, 4)]
    plan = suggest_loans(days, region, time(8, 0))

    assert plan.loans == (Loan("SPARE", "A", "JHT", 9, 12, 2, 40),)


def test_an_officer_is_missed_at_home_on_the_way_there_and_back() -> None:
    # B has spare officers from 09:00 but needs all its 2 counters at 08:00: an officer who
    # would leave at 08:30 for A's 09:00 cannot be spared.
    region = Region.from_pairs([("A", "B", 30)], max_travel_minutes=60)
    lender = _day("B", QUIET, {8: 2, 9: 5, 10: 5, 11: 5})
    plan = suggest_loans([_day("A", SHORT, 3), lender], region, time(7, 0))

    assert plan.loans == ()


def test_a_lender_that_cannot_arrive_in_time_takes_the_later_hours() -> None:
    # At 08:30 with 45 minutes' travel the officers arrive 09:15: they serve 10:00–12:00.
    region = Region.from_pairs([("A", "B", 45)], max_travel_minutes=60)
    plan = suggest_loans([_day("A", SHORT, 3), _day("B", QUIET, 5)], region, time(8, 30))

    assert plan.loans == (Loan("B", "A", "JHT", 10, 12, 2, 45),)
    assert [short.describe() for short in plan.unmet] == [
        "A: short by 2 counters for JHT 09:00–10:00"
    ]


def test_the_queue_now_must_be_cleared_before_closing() -> None:
    # Nobody more is expected, but 30 wait at 10:00 with two hours left: 15 an hour, so
    # 6 counters (30 visits × 20 min = 600 counter-minutes: 5 busy the whole time, plus one).
    region = Region.from_pairs([("A", "B", 20)], max_travel_minutes=60)
    queued = _day("A", {}, 4, waiting=30)
    plan = suggest_loans([queued, _day("B", QUIET, 5)], region, time(10, 0))

    assert [short.describe() for short in plan.shortfalls] == [
        "A: short by 2 counters for JHT 10:00–12:00"
    ]
    # The officers leave at 10:00 and arrive 10:20, so they serve from 11:00.
    assert plan.loans == (Loan("B", "A", "JHT", 11, 12, 2, 20),)


def test_a_branch_moves_its_own_idle_counters_before_borrowing() -> None:
    # A's JHT is 2 short, but 2 of its 5 counters serve only JKK, which nobody needs today.
    region = Region.from_pairs([("A", "B", 30)], max_travel_minutes=60)
    own = _day("A", SHORT, 5, serving={"JHT": 3, "JKK": 2})
    plan = suggest_loans([own, _day("B", QUIET, 5)], region, time(8, 0))

    assert plan.shortfalls == ()
    assert plan.loans == ()
    assert plan.describe() == ["every branch's roster covers its plan"]


def test_two_lenders_share_a_shortfall_nearest_first_then_by_code() -> None:
    region = Region.from_pairs(
        [("A", "C", 20), ("A", "B", 20), ("A", "D", 10)], max_travel_minutes=60
    )
    days = [_day("A", SHORT, 3), _day("B", QUIET, 3), _day("C", QUIET, 3), _day("D", QUIET, 2)]
    plan = suggest_loans(days, region, time(8, 0))

    # D is nearest but has nothing spare; B and C are as near, B comes first by its code.
    assert plan.loans == (
        Loan("B", "A", "JHT", 9, 12, 1, 20),
        Loan("C", "A", "JHT", 9, 12, 1, 20),
    )
    assert plan.unmet == ()


def test_a_lender_lends_an_officer_once_not_to_two_branches() -> None:
    region = Region.from_pairs([("A", "L", 10), ("Z", "L", 10)], max_travel_minutes=60)
    # L has 3 spare; A's shortfall (2 × 3 hours) is larger than Z's (2 × 1 hour): A goes first.
    z_short = {8: 6.0, 9: 6.0, 10: 6.0, 11: 12.0}
    days = [_day("Z", z_short, 3), _day("A", SHORT, 3), _day("L", QUIET, 5)]
    plan = suggest_loans(days, region, time(8, 0))

    assert plan.loans == (
        Loan("L", "A", "JHT", 9, 12, 2, 10),
        Loan("L", "Z", "JHT", 11, 12, 1, 10),
    )
    assert [short.describe() for short in plan.unmet] == [
        "Z: short by 1 counter for JHT 11:00–12:00"
    ]


def test_the_same_inputs_give_the_same_plan() -> None:
    region = Region.from_pairs([("A", "B", 20), ("A", "C", 20)], max_travel_minutes=60)
    days = [_day("A", SHORT, 3), _day("B", QUIET, 3), _day("C", QUIET, 3)]
    first = suggest_loans(days, region, time(8, 0))
    assert suggest_loans(list(reversed(days)), region, time(8, 0)) == first


def test_bad_inputs_are_refused_plainly() -> None:
    with pytest.raises(ValueError, match="two different branches"):
        Region.from_pairs([("A", "A", 5)], max_travel_minutes=60)
    with pytest.raises(ValueError, match="no mean service time for waiting service"):
        BranchDay("A", ArrivalForecast({}, {}), {}, {}, {"JHT": 3}, 12)
