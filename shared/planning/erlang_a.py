"""Erlang A (M/M/c+M): Erlang C plus visitors who give up after an exponential patience.

Units: every time is in seconds and every rate is per second; ``patience`` is the mean
seconds a visitor is willing to wait (``math.inf`` means nobody leaves, i.e. Erlang C).

Computed from the birth–death chain of "people in the office" directly: state n grows at the
arrival rate and shrinks at min(n, c)/mean_service (service) + max(n − c, 0)/patience
(abandonment). The chain is cut where its probabilities fall below 1e-12 of the largest.
The wait of a visitor who finds i people queued ahead has a closed form (see
``service_level``), so no matrix exponential is needed.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.special import betainc, gammainc

# Stop the chain once a state is this many e-folds below the peak (e^-28 ≈ 7e-13).
_NEGLIGIBLE_LOG = 28.0
_MAX_STATES = 1_000_000


def wait_probability(
    agents: int, arrival_rate: float, mean_service: float, patience: float
) -> float:
    """Probability that an arrival finds every counter busy and has to queue."""
    states = _state_probabilities(agents, arrival_rate, mean_service, patience)
    return float(states[agents:].sum())


def abandonment_share(
    agents: int, arrival_rate: float, mean_service: float, patience: float
) -> float:
    """Share of arrivals who leave before being served."""
    if arrival_rate == 0 or math.isinf(patience):
        return 0.0
    return _mean_queue(agents, arrival_rate, mean_service, patience) / patience / arrival_rate


def mean_wait(agents: int, arrival_rate: float, mean_service: float, patience: float) -> float:
    """Average seconds in the queue over all arrivals, served or not (Little's law)."""
    if arrival_rate == 0:
        return 0.0
    return _mean_queue(agents, arrival_rate, mean_service, patience) / arrival_rate


def occupancy(agents: int, arrival_rate: float, mean_service: float, patience: float) -> float:
    """Share of counter time spent serving (only the visitors who stay are served)."""
    states = _state_probabilities(agents, arrival_rate, mean_service, patience)
    busy = np.minimum(np.arange(states.size), agents)
    return float(busy @ states) / agents


def service_level(
    agents: int, arrival_rate: float, mean_service: float, patience: float, target_wait: float
) -> float:
    """Among visitors who get served, the share who waited at most ``target_wait`` seconds.

    Visitors who give up do not count at all, so this share flatters an understaffed office;
    plan with ``share_served_within`` instead.
    """
    in_time, served = _served_shares(agents, arrival_rate, mean_service, patience, target_wait)
    return in_time / served if served > 0 else 0.0


def share_served_within(
    agents: int, arrival_rate: float, mean_service: float, patience: float, target_wait: float
) -> float:
    """Among all arrivals, the share served within ``target_wait`` seconds.

    A visitor who gave up counts as missed: the staffing target for Erlang A. It tends to the
    Erlang C service level as patience grows.
    """
    return _served_shares(agents, arrival_rate, mean_service, patience, target_wait)[0]


def _served_shares(
    agents: int, arrival_rate: float, mean_service: float, patience: float, target_wait: float
) -> tuple[float, float]:
    """Shares of all arrivals (served within ``target_wait``, served at all)."""
    if target_wait < 0:
        raise ValueError(f"target wait must be ≥ 0 seconds, got {target_wait}")
    states = _state_probabilities(agents, arrival_rate, mean_service, patience)
    served_at_once = float(states[:agents].sum())
    queued = states[agents:]  # queued[i]: the arrival finds i people ahead of it in the queue
    steps = np.arange(1, queued.size + 1)  # it must see the line move i + 1 times
    service_rate = agents / mean_service
    if math.isinf(patience):
        # The line moves only by service: i + 1 exponential steps, an Erlang distribution.
        in_time = gammainc(steps, service_rate * target_wait)
        return served_at_once + float(queued @ in_time), 1.0
    giving_up = 1.0 / patience
    # Step k (k = 1..i+1) is a race between the line moving (service, or one of the k - 1
    # ahead leaving) and the visitor's own patience. It survives all of them with probability
    # b / (b + i + 1), b = service_rate / giving_up, and the durations are then exponentials
    # with rates (b + k)·giving_up: the i+1-th order statistic of b + i + 1 such clocks, a
    # Beta distribution in 1 - exp(-giving_up·t).
    ratio = service_rate / giving_up
    survives = ratio / (ratio + steps)
    reached = -math.expm1(-giving_up * target_wait)
    in_time = betainc(steps, ratio + 1.0, reached)
    return (
        served_at_once + float(queued @ (survives * in_time)),
        served_at_once + float(queued @ survives),
    )


def _mean_queue(agents: int, arrival_rate: float, mean_service: float, patience: float) -> float:
    states = _state_probabilities(agents, arrival_rate, mean_service, patience)
    in_queue = np.maximum(np.arange(states.size) - agents, 0)
    return float(in_queue @ states)


@lru_cache(maxsize=256)
def _state_probabilities(
    agents: int, arrival_rate: float, mean_service: float, patience: float
) -> np.ndarray:
    """Stationary probabilities of 0..N people in the office, N where the tail is negligible."""
    if agents < 1:
        raise ValueError(f"need at least one agent, got {agents}")
    if not (arrival_rate >= 0 and math.isfinite(arrival_rate)):
        raise ValueError(f"arrival rate must be a finite number ≥ 0, got {arrival_rate}")
    if not (mean_service > 0 and math.isfinite(mean_service)):
        raise ValueError(f"mean service time must be a finite number > 0, got {mean_service}")
    if not patience > 0:
        raise ValueError(f"patience must be > 0 seconds, got {patience}")
    service_rate = 1.0 / mean_service
    giving_up = 0.0 if math.isinf(patience) else 1.0 / patience
    if giving_up == 0 and arrival_rate >= agents * service_rate:
        raise ValueError("with infinite patience the queue grows without bound at this load")
    if arrival_rate == 0:
        return _frozen(np.array([1.0]))
    # Log weights: the unnormalised probabilities overflow floats beyond ~700 Erlangs.
    log_weights = [0.0]
    peak = 0.0
    for people in range(1, _MAX_STATES):
        leaving = min(people, agents) * service_rate + max(people - agents, 0) * giving_up
        log_weight = log_weights[-1] + math.log(arrival_rate / leaving)
        log_weights.append(log_weight)
        peak = max(peak, log_weight)
        shrinking = arrival_rate < leaving  # from here on every later state is smaller still
        if people > agents and shrinking and log_weight < peak - _NEGLIGIBLE_LOG:
            break
    else:
        raise ValueError(f"the queue chain did not settle within {_MAX_STATES} states")
    weights = np.exp(np.array(log_weights) - peak)
    return _frozen(weights / weights.sum())


def _frozen(array: np.ndarray) -> np.ndarray:
    # Cached results are shared between callers, so nobody may write into them.
    array.setflags(write=False)
    return array
