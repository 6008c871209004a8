"""The estimator on hand-built situations, where the right answer can be worked out on paper."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.estimation.estimator import QueueEstimate, estimate_state
from shared.estimation.model import (
    SLOTS,
    CounterInfo,
    CurrentVisit,
    DayProfile,
    Observed,
    QueueState,
    ServiceInfo,
    WaitingTicket,
)
from shared.estimation.projection import project
from shared.estimation.service_times import (
    WALK_OUT_DOUBT,
    handling_time,
    remaining_time,
    robust_lognormal,
)

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Serang
A, B = 1, 2
SERVICES = {
    A: ServiceInfo(A, "JHT", 600.0, NOW + timedelta(hours=6)),
    B: ServiceInfo(B, "JKM", 1200.0, NOW + timedelta(hours=6)),
}
# The handling time of one called visitor with no observations yet: 95 % come and take
# walk (30 s) + service; 5 % are no-shows costing 150 s.
H_A = 0.95 * (30 + 600) + 0.05 * 150
H_B = 0.95 * (30 + 1200) + 0.05 * 150


def counter(
    number: int, services: tuple[int, ...] = (A,), state: str = "open", **kw: Any
) -> CounterInfo:
    return CounterInfo(number, number, state, services, **kw)


def waiting(n: int, service: int = A, start: int = 0) -> list[WaitingTicket]:
    return [
        WaitingTicket(start + i + 1, service, NOW - timedelta(minutes=60 - i)) for i in range(n)
    ]


# Visitors shown to be patient (two hundred called after an hour, all came): nobody gives up,
# so the waits below add up on paper. With nothing shown, the prior expects some to give up.
PATIENT = Observed(called=((3600.0, True),) * 200)


def state(counters: list[CounterInfo], tickets: list[WaitingTicket], **kw: Any) -> QueueState:
    kw.setdefault("observed", {A: PATIENT, B: PATIENT})
    return QueueState(NOW, SERVICES, tuple(counters), tuple(tickets), **kw)


def expected(estimate: QueueEstimate, ticket_id: int) -> float:
    return estimate.tickets[ticket_id].expected_seconds


def newcomer(estimate: QueueEstimate, service: int) -> float:
    """The expected wait of a visitor taking a ticket of `service` now."""
    found = estimate.services[service]
    assert found is not None, "no counter calls the service today"
    return found.expected_seconds


def test_handling_time_before_any_observation() -> None:
    assert handling_time(600.0, Observed()).mean == pytest.approx(H_A)


def test_two_counters_share_the_queue() -> None:
    estimate = estimate_state(state([counter(1), counter(2)], waiting(6)))
    assert [expected(estimate, i) for i in range(1, 7)] == pytest.approx(
        [0, 0, H_A, H_A, 2 * H_A, 2 * H_A]
    )
    # A visitor taking a ticket now is the seventh.
    assert newcomer(estimate, A) == pytest.approx(3 * H_A)


def test_one_counter_closing_doubles_the_waits_behind() -> None:
    both = estimate_state(state([counter(1), counter(2)], waiting(6)))
    one = estimate_state(state([counter(1), counter(2, state="closed")], waiting(6)))
    assert expected(one, 6) == pytest.approx(5 * H_A)
    assert expected(one, 6) - expected(both, 6) == pytest.approx(3 * H_A)
    assert newcomer(one, A) == pytest.approx(6 * H_A)
    assert one.tickets[6].high_seconds > both.tickets[6].high_seconds


def test_priority_arrival_moves_everyone_behind_by_one_visit() -> None:
    tickets = waiting(4)
    before = estimate_state(state([counter(1)], tickets))
    urgent = WaitingTicket(99, A, NOW, priority=True)
    after = estimate_state(state([counter(1)], [*tickets, urgent]))
    assert expected(after, 99) == 0
    for ticket in tickets:
        assert expected(after, ticket.id) == pytest.approx(expected(before, ticket.id) + H_A)


def test_due_booking_goes_before_walk_ins_but_not_before_it_is_due() -> None:
    tickets = waiting(3)
    booked = WaitingTicket(50, A, NOW, due_at=NOW + timedelta(seconds=H_A + 1))
    estimate = estimate_state(state([counter(1)], [*tickets, booked]))
    # Walk-ins 1 and 2 go first (the booking is not due at 0 nor at H_A); it is due by 2 H_A.
    assert expected(estimate, 1) == 0
    assert expected(estimate, 2) == pytest.approx(H_A)
    assert expected(estimate, 50) == pytest.approx(2 * H_A)
    assert expected(estimate, 3) == pytest.approx(3 * H_A)


def test_counters_follow_their_service_order() -> None:
    tickets = [*waiting(2, B), *waiting(2, A, start=10)]
    ordered = counter(1, (A, B), policy="service_order")
    estimate = estimate_state(state([ordered], tickets))
    # A first although the B tickets waited as long: 11, 12, then B's 1 and 2.
    assert expected(estimate, 11) == 0
    assert expected(estimate, 12) == pytest.approx(H_A)
    assert expected(estimate, 1) == pytest.approx(2 * H_A)
    assert expected(estimate, 2) == pytest.approx(2 * H_A + H_B)


def test_service_nobody_serves_has_no_estimate() -> None:
    estimate = estimate_state(state([counter(1, (A,))], waiting(2, B)))
    assert 1 not in estimate.tickets and estimate.services[B] is None


def test_break_ends_leave_does_not() -> None:
    since = NOW - timedelta(minutes=5)
    on_break = counter(1, state="paused", state_since=since, pause_reason="istirahat")
    on_leave = counter(1, state="paused", state_since=since, pause_reason="cuti")
    assert expected(estimate_state(state([on_break], waiting(1))), 1) == pytest.approx(15 * 60)
    assert 1 not in estimate_state(state([on_leave], waiting(1))).tickets


def test_visit_in_progress_counts_its_remaining_time() -> None:
    # Ten-minute visits spread as the prior says (cv 0.6): one 4 minutes in has about 6.6 to
    # go, and one already 30 minutes long is a long case with about 7 to go, not 2.
    busy = counter(1, current=CurrentVisit(A, "serving", NOW - timedelta(minutes=4)))
    assert expected(estimate_state(state([busy], waiting(1))), 1) == pytest.approx(398, abs=2)
    overdue = counter(1, current=CurrentVisit(A, "serving", NOW - timedelta(minutes=30)))
    assert expected(estimate_state(state([overdue], waiting(1))), 1) == pytest.approx(417, abs=2)


@pytest.mark.parametrize("elapsed", [240.0, 600.0, 1800.0])
def test_the_rest_of_a_visit_is_what_such_visits_still_take(elapsed: float) -> None:
    # E[T - t | T > t] for log-normal visits of mean 600 s and cv 0.6, integrated numerically.
    sigma = math.sqrt(math.log1p(0.6**2))
    mu = math.log(600) - sigma**2 / 2

    def density(x: float) -> float:
        return math.exp(-((math.log(x) - mu) ** 2) / (2 * sigma**2)) / (
            x * sigma * math.sqrt(2 * math.pi)
        )

    step = 0.5
    points = [elapsed + (i + 0.5) * step for i in range(int(40 * 600 / step))]
    rest = sum((x - elapsed) * density(x) for x in points) / sum(density(x) for x in points)
    assert remaining_time(600, 0.6, elapsed) == pytest.approx(rest, rel=1e-3)
    assert remaining_time(600, 0.6, 0.0) == 600


def test_observed_service_times_replace_the_configured_figure() -> None:
    quick = Observed(durations=(300.0,) * 40, walk_times=(30.0,) * 40, calls=40,
                     called=PATIENT.called)
    h = handling_time(600.0, quick)
    assert 300 < h.service_mean < 400  # 40 observations outweigh the prior of 8
    estimate = estimate_state(state([counter(1)], waiting(3), observed={A: quick}))
    assert expected(estimate, 3) == pytest.approx(2 * h.mean)


def test_outliers_barely_move_the_service_time() -> None:
    typical = tuple(float(x) for x in range(540, 660, 3))
    mean, _ = robust_lognormal(typical) or (0, 0)
    with_outliers = (*typical, 7200.0, 9000.0, 5.0)
    mean_outliers, _ = robust_lognormal(with_outliers) or (0, 0)
    assert mean == pytest.approx(600, rel=0.03)
    assert mean_outliers == pytest.approx(mean, rel=0.05)


def test_with_nothing_seen_yet_some_are_expected_to_give_up() -> None:
    # The morning's door crowd: nobody has waited long yet, so nothing today says how
    # patient they are; assuming nobody gives up overstated their waits by a quarter hour.
    fresh = handling_time(600.0, Observed())
    assert fresh.patience_rate > 0
    assert fresh.after(3 * 3600)[0] < 0.8 * fresh.after(0)[0]


def test_no_shows_shorten_the_wait() -> None:
    called = ((60.0, False),) * 40 + ((60.0, True),) * 60
    absent = Observed(calls=100, no_shows=40, no_show_costs=(150.0,) * 40, called=called)
    assert handling_time(600.0, absent).mean < 0.75 * H_A


def test_long_waiters_are_expected_to_have_walked_out() -> None:
    # After short waits everyone came; after two hours half had gone: patience runs out.
    called = ((120.0, True),) * 50 + ((7200.0, True),) * 20 + ((7200.0, False),) * 20
    h = handling_time(600.0, Observed(called=called))
    assert h.no_show_share < 0.05
    assert h.absent_share(7200) == pytest.approx(0.5, abs=0.1)
    assert h.after(7200)[0] < 0.7 * h.after(0)[0]
    # So the last of a long queue is reached sooner than the naive sum says.
    old = [WaitingTicket(i, A, NOW - timedelta(hours=2)) for i in range(1, 11)]
    estimate = estimate_state(state([counter(1)], old, observed={A: Observed(called=called)}))
    assert expected(estimate, 10) < 0.7 * 9 * H_A


def test_walk_outs_are_less_in_doubt_once_patience_is_fitted_on_many_long_waits() -> None:
    """The same patience, from the prior alone or from 240 visitors called after long waits:
    the same expected waits, but the fitted one leaves less doubt about the walk-outs, so
    the windows of a long queue are narrower."""
    prior = handling_time(600.0, Observed())
    fitted = replace(prior, patience_seen=240)
    assert prior.walk_out_doubt == pytest.approx(WALK_OUT_DOUBT)
    assert fitted.walk_out_doubt == pytest.approx(WALK_OUT_DOUBT * math.sqrt(20 / 260))
    old = [WaitingTicket(i, A, NOW - timedelta(hours=2)) for i in range(1, 31)]
    queue = state([counter(1), counter(2)], old)
    vague, sure = (project(queue, {A: h, B: h}, {}) for h in (prior, fitted))
    assert [vague[i].seconds for i in (10, 30)] == [sure[i].seconds for i in (10, 30)]
    assert sure[30].variance < 0.9 * vague[30].variance
    assert sure[10].variance < vague[10].variance < vague[30].variance


def test_window_holds_the_expectation_and_widens_down_the_queue() -> None:
    estimate = estimate_state(state([counter(1), counter(2)], waiting(20)))
    widths = []
    for ticket_id in (3, 10, 20):
        e = estimate.tickets[ticket_id]
        assert e.low_seconds < e.expected_seconds < e.high_seconds
        widths.append(e.high_seconds - e.low_seconds)
    assert widths == sorted(widths)


def profile_with_priority(per_slot: dict[int, float]) -> DayProfile:
    """Earlier days: counter 1 always open; priority visitors for A in the given slots."""
    midnight = NOW - timedelta(hours=9)  # NOW is 09:00 local: slot 36
    arrivals = tuple(per_slot.get(slot, 0.0) for slot in range(SLOTS))
    return DayProfile(midnight, {1: (1.0,) * SLOTS}, {A: arrivals})


def test_priority_visitors_earlier_days_saw_come_are_expected_in_line() -> None:
    tickets = waiting(4)
    plain = estimate_state(state([counter(1)], tickets))
    # One priority visitor a day between 09:15 and 09:30: expected at 09:22:30, so the visit
    # starting after 30 minutes (3 H_A) is theirs and the fourth walk-in waits one visit more.
    foreseen = estimate_state(
        state([counter(1)], tickets, profile=profile_with_priority({37: 1.0}))
    )
    assert [expected(foreseen, i) for i in (1, 2, 3)] == pytest.approx(
        [expected(plain, i) for i in (1, 2, 3)]
    )
    assert expected(foreseen, 4) == pytest.approx(expected(plain, 4) + H_A)


def test_a_priority_visitor_already_here_is_not_expected_again() -> None:
    arrived = WaitingTicket(99, A, NOW, priority=True)  # came at 09:00, this slot's one
    tickets = [*waiting(3), arrived]
    usual = profile_with_priority({36: 1.0})
    with_history = estimate_state(state([counter(1)], tickets, profile=usual))
    without = estimate_state(state([counter(1)], tickets))
    assert [expected(with_history, i) for i in (1, 2, 3, 99)] == pytest.approx(
        [expected(without, i) for i in (1, 2, 3, 99)]
    )
    # Had nobody come yet, one would be expected within this slot and go first.
    nobody_yet = estimate_state(state([counter(1)], waiting(3), profile=usual))
    assert expected(nobody_yet, 3) == pytest.approx(expected(without, 3))


def test_a_counter_usually_away_calls_nobody_until_it_is_usually_back() -> None:
    # Counter 2, open now, was away 09:15-10:00 on every earlier day (a weekly meeting): from
    # 09:15 counter 1 serves alone, and counter 2 calls the next visitor at 10:00.
    midnight = NOW - timedelta(hours=9)  # NOW is 09:00 local: slot 36
    away = tuple(0.0 if 37 <= slot < 40 else 1.0 for slot in range(SLOTS))
    profile = DayProfile(midnight, {1: (1.0,) * SLOTS, 2: away})
    estimate = estimate_state(state([counter(1), counter(2)], waiting(9), profile=profile))
    assert [expected(estimate, i) for i in range(1, 10)] == pytest.approx(
        [0, 0, H_A, H_A, 2 * H_A, 3 * H_A, 4 * H_A, 5 * H_A, 3600]
    )


def test_a_counter_seldom_open_before_still_serves_when_open_now() -> None:
    # Counter 2 was open on only a fifth of earlier days: open today, it is not "usually away"
    # all day; history only says it may step out, so it is counted at half pace.
    midnight = NOW - timedelta(hours=9)
    profile = DayProfile(midnight, {1: (1.0,) * SLOTS, 2: (0.2,) * SLOTS})
    estimate = estimate_state(state([counter(1), counter(2)], waiting(5), profile=profile))
    assert [expected(estimate, i) for i in range(1, 6)] == pytest.approx(
        [0, 0, H_A, 2 * H_A, 2 * H_A]
    )
