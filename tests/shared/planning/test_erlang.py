"""Erlang C against published reference values; Erlang A against limits, closed forms and a
simulated office."""

from __future__ import annotations

import heapq
import itertools
import math
import random

import pytest

from shared.planning import erlang, erlang_a

# Reference case 1: 100 arrivals per 30 minutes, 180 s mean service, 14 agents, 20 s target.
RATE_1 = 100 / 1800
SERVICE_1 = 180.0
# Reference case 2: 360 arrivals per 30 minutes, 240 s mean service, 55 agents.
RATE_2 = 360 / 1800
SERVICE_2 = 240.0


def test_reference_case_100_calls_14_agents() -> None:
    load = erlang.offered_load(RATE_1, SERVICE_1)
    assert load == pytest.approx(10.0)
    assert erlang.erlang_c(14, load) == pytest.approx(0.1741, abs=5e-5)
    assert erlang.service_level(14, RATE_1, SERVICE_1, 20) == pytest.approx(0.888, abs=5e-4)
    assert erlang.occupancy(14, RATE_1, SERVICE_1) == pytest.approx(0.714, abs=5e-4)


def test_reference_case_360_calls_55_agents() -> None:
    load = erlang.offered_load(RATE_2, SERVICE_2)
    assert erlang.erlang_c(55, load) == pytest.approx(0.2387, abs=5e-5)
    assert erlang.mean_wait(55, RATE_2, SERVICE_2) == pytest.approx(8.18, abs=5e-3)


def test_single_agent_is_the_textbook_m_m_1() -> None:
    # M/M/1: P(wait) = ρ and mean wait = ρ / (μ − λ).
    rate, service = 0.006, 100.0
    assert erlang.erlang_b(1, 0.6) == pytest.approx(0.6 / 1.6)
    assert erlang.erlang_c(1, 0.6) == pytest.approx(0.6)
    assert erlang.mean_wait(1, rate, service) == pytest.approx(0.6 / (0.01 - 0.006))


def test_erlang_c_is_stable_for_hundreds_of_agents() -> None:
    agents, load = 500, 480.0
    # Independent route: the textbook sum, with every term taken in logs.
    log_terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(agents)]
    log_last = (
        agents * math.log(load) - math.lgamma(agents + 1) + math.log(agents / (agents - load))
    )
    peak = max([*log_terms, log_last])
    total = sum(math.exp(term - peak) for term in log_terms) + math.exp(log_last - peak)
    expected = math.exp(log_last - peak) / total
    assert erlang.erlang_c(agents, load) == pytest.approx(expected, rel=1e-9)
    assert 0 < expected < 1


def test_overload_means_everyone_waits_forever() -> None:
    assert erlang.erlang_c(10, 10.0) == 1.0
    assert erlang.erlang_c(10, 12.5) == 1.0
    assert erlang.service_level(10, 1 / 10, 100, 20) == 0.0
    assert erlang.mean_wait(10, 1 / 10, 100) == math.inf
    assert erlang.occupancy(10, 1 / 5, 100) == 1.0


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one agent"):
        erlang.erlang_c(0, 1.0)
    with pytest.raises(ValueError, match="mean service"):
        erlang.service_level(3, 0.01, 0, 20)
    with pytest.raises(ValueError, match="target level"):
        erlang.agents_needed(0.01, 100, 20, 1.0)


@pytest.mark.parametrize("patience", [1e8, math.inf])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(patience: float) -> None:
    args = (14, RATE_1, SERVICE_1, patience)
    assert erlang_a.wait_probability(*args) == pytest.approx(0.17413, abs=1e-5)
    erlang_c_level = erlang.service_level(14, RATE_1, SERVICE_1, 20)
    assert erlang_a.service_level(*args, 20) == pytest.approx(erlang_c_level, abs=1e-5)
    assert erlang_a.share_served_within(*args, 20) == pytest.approx(erlang_c_level, abs=1e-5)
    assert erlang_a.mean_wait(*args) == pytest.approx(
        erlang.mean_wait(14, RATE_1, SERVICE_1), rel=1e-4
    )
    assert erlang_a.occupancy(*args) == pytest.approx(10 / 14, abs=1e-5)
    assert erlang_a.abandonment_share(*args) < 1e-5


def test_abandonment_grows_as_agents_drop() -> None:
    shares = [erlang_a.abandonment_share(c, RATE_1, SERVICE_1, 300) for c in range(16, 3, -1)]
    assert all(fewer > more for more, fewer in itertools.pairwise(shares))
    assert shares[-1] > 0.5  # 4 agents for 10 Erlangs: most give up


@pytest.mark.parametrize("load", [0.4, 0.8, 1.5])
def test_one_agent_with_patience_equal_to_service_matches_closed_form(load: float) -> None:
    # With c = 1 and patience = mean service, state n leaves at n·μ: the chain is M/M/∞, so
    # people in the office are Poisson(ρ) even when ρ > 1.
    service = 100.0
    rate = load / service
    queue = load - 1 + math.exp(-load)  # E[(N − 1)⁺] for N ~ Poisson(ρ)
    args = (1, rate, service, service)
    assert erlang_a.wait_probability(*args) == pytest.approx(1 - math.exp(-load), rel=1e-9)
    assert erlang_a.occupancy(*args) == pytest.approx(1 - math.exp(-load), rel=1e-9)
    assert erlang_a.abandonment_share(*args) == pytest.approx(queue / load, rel=1e-9)
    assert erlang_a.mean_wait(*args) == pytest.approx(queue / rate, rel=1e-9)


def test_erlang_a_service_level_limits_agree_with_abandonment() -> None:
    args = (9, RATE_1, SERVICE_1, 240.0)
    served = 1 - erlang_a.abandonment_share(*args)
    answered_at_once = 1 - erlang_a.wait_probability(*args)
    # At t = 0 only those served at once count: their share of the served.
    assert erlang_a.service_level(*args, 0) == pytest.approx(answered_at_once / served, rel=1e-9)
    assert erlang_a.service_level(*args, 1e6) == pytest.approx(1.0, abs=1e-9)
    levels = [erlang_a.service_level(*args, t) for t in (0, 10, 30, 60, 120)]
    assert levels == sorted(levels)


def test_share_served_within_counts_those_who_gave_up_as_missed() -> None:
    args = (9, RATE_1, SERVICE_1, 240.0)
    served = 1 - erlang_a.abandonment_share(*args)
    among_served = erlang_a.service_level(*args, 20)
    assert erlang_a.share_served_within(*args, 20) == pytest.approx(among_served * served)
    assert erlang_a.share_served_within(*args, 1e6) == pytest.approx(served, rel=1e-9)
    # Understaffing flatters the served-only level but not the share of all arrivals.
    assert erlang_a.service_level(2, RATE_1, SERVICE_1, 240.0, 1800) > 0.8
    assert erlang_a.share_served_within(2, RATE_1, SERVICE_1, 240.0, 1800) < 0.25


def _simulate_impatient_queue(
    agents: int, rate: float, service: float, patience: float, target: float, visitors: int
) -> tuple[float, float, float, float]:
    """FCFS M/M/c+M by the waiting-time recursion.

    Returns the shares who gave up, who were served in time among the served and among all,
    and the mean wait of all arrivals.
    """
    random_source = random.Random(20250901)
    free_at = [0.0] * agents
    now = 0.0
    gave_up = served_in_time = served = 0
    total_wait = 0.0
    for _ in range(visitors):
        now += random_source.expovariate(rate)
        would_wait = max(free_at[0] - now, 0.0)
        willing = random_source.expovariate(1 / patience)
        if would_wait > willing:
            gave_up += 1
            total_wait += willing
            continue
        served += 1
        served_in_time += would_wait <= target
        total_wait += would_wait
        heapq.heapreplace(free_at, now + would_wait + random_source.expovariate(1 / service))
    return (
        gave_up / visitors,
        served_in_time / served,
        served_in_time / visitors,
        total_wait / visitors,
    )


def test_erlang_a_matches_a_simulated_office() -> None:
    agents, rate, service, patience, target = 3, 1 / 40, 100.0, 150.0, 30.0
    gave_up, level, share, wait = _simulate_impatient_queue(
        agents, rate, service, patience, target, visitors=200_000
    )
    args = (agents, rate, service, patience)
    assert erlang_a.abandonment_share(*args) == pytest.approx(gave_up, abs=0.01)
    assert erlang_a.service_level(*args, target) == pytest.approx(level, abs=0.01)
    assert erlang_a.share_served_within(*args, target) == pytest.approx(share, abs=0.01)
    assert erlang_a.mean_wait(*args) == pytest.approx(wait, rel=0.05)


def test_erlang_a_refuses_an_unstable_queue_without_patience() -> None:
    with pytest.raises(ValueError, match="without bound"):
        erlang_a.wait_probability(2, 0.03, 100, math.inf)


@pytest.mark.parametrize(
    ("rate", "service", "target_wait", "level", "patience"),
    [
        (RATE_1, SERVICE_1, 20, 0.8, None),
        (RATE_2, SERVICE_2, 20, 0.8, None),
        (120 / 3600, 600, 1800, 0.8, None),
        (RATE_1, SERVICE_1, 20, 0.8, 120.0),
        (RATE_2, SERVICE_2, 60, 0.9, 300.0),
        (120 / 3600, 600, 1800, 0.8, 1200.0),
    ],
)
def test_agents_needed_is_the_fewest_that_meet_the_target(
    rate: float, service: float, target_wait: float, level: float, patience: float | None
) -> None:
    def level_with(agents: int) -> float:
        if patience is None:
            return erlang.service_level(agents, rate, service, target_wait)
        return erlang_a.share_served_within(agents, rate, service, patience, target_wait)

    agents = erlang.agents_needed(rate, service, target_wait, level, patience)
    assert level_with(agents) >= level
    assert level_with(agents - 1) < level


def test_agents_needed_for_the_reference_case() -> None:
    assert erlang.agents_needed(RATE_1, SERVICE_1, 20, 0.8) == 14


def test_agents_needed_never_leaves_erlang_c_overloaded() -> None:
    # A lax target would be met by "any" count; Erlang C still needs more than the load.
    assert erlang.agents_needed(1 / 10, 100, 3600, 0.01) == 11
    assert erlang.agents_needed(0.0, 100, 60, 0.8) == 0


def test_agents_needed_says_when_the_limit_is_too_low() -> None:
    with pytest.raises(ValueError, match="more than 20 agents"):
        erlang.agents_needed(RATE_2, SERVICE_2, 20, 0.8, max_agents=20)
    with pytest.raises(ValueError, match="more than 20 agents"):
        erlang.agents_needed(RATE_2, SERVICE_2, 20, 0.8, patience=600, max_agents=20)
