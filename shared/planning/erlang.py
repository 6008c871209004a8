"""Erlang C (M/M/c) queue formulas and the staffing search over Erlang C and Erlang A.

Erlang A (visitors who give up) lives in :mod:`shared.planning.erlang_a`, same units.

Units: every time is in seconds and every rate is per second. ``offered_load`` is the work
arriving expressed in busy servers (Erlangs): arrival rate × mean service time.
"""

from __future__ import annotations

import math

from shared.planning import erlang_a


def offered_load(arrival_rate: float, mean_service: float) -> float:
    """Erlangs of work offered: arrivals per second × seconds of service each."""
    _check_rates(arrival_rate, mean_service)
    return arrival_rate * mean_service


def erlang_b(agents: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c, by the recursion that stays stable for any c."""
    _check_agents(agents)
    if offered_load < 0:
        raise ValueError(f"offered load must be ≥ 0, got {offered_load}")
    blocking = 1.0
    for servers in range(1, agents + 1):
        blocking = offered_load * blocking / (servers + offered_load * blocking)
    return blocking


def erlang_c(agents: int, offered_load: float) -> float:
    """Probability that an arrival has to wait (M/M/c); 1.0 when the queue cannot keep up."""
    _check_agents(agents)
    if offered_load >= agents:
        return 1.0
    if offered_load <= 0:
        return 0.0
    # C from B rather than the textbook sum: no factorials, so no overflow at hundreds of agents.
    blocking = erlang_b(agents, offered_load)
    return agents * blocking / (agents - offered_load * (1.0 - blocking))


def service_level(
    agents: int, arrival_rate: float, mean_service: float, target_wait: float
) -> float:
    """Share of arrivals whose wait is at most ``target_wait`` seconds (M/M/c)."""
    load = offered_load(arrival_rate, mean_service)
    if target_wait < 0:
        raise ValueError(f"target wait must be ≥ 0 seconds, got {target_wait}")
    if load >= agents:
        return 0.0
    waiting = erlang_c(agents, load)
    return 1.0 - waiting * math.exp(-(agents - load) * target_wait / mean_service)


def mean_wait(agents: int, arrival_rate: float, mean_service: float) -> float:
    """Average seconds in the queue over all arrivals (ASA); infinite when overloaded."""
    load = offered_load(arrival_rate, mean_service)
    if load >= agents:
        return math.inf
    return erlang_c(agents, load) * mean_service / (agents - load)


def occupancy(agents: int, arrival_rate: float, mean_service: float) -> float:
    """Share of counter time spent serving; capped at 1 because an overload still fills it."""
    _check_agents(agents)
    return min(1.0, offered_load(arrival_rate, mean_service) / agents)


def agents_needed(
    arrival_rate: float,
    mean_service: float,
    target_wait: float,
    target_level: float,
    patience: float | None = None,
    max_agents: int = 500,
) -> int:
    """The fewest agents whose service level reaches ``target_level``.

    Without ``patience`` this is Erlang C, searched upward from the first count above the
    load, since fewer agents could never keep up. With ``patience`` (mean seconds a visitor
    waits before leaving) it is Erlang A, and a visitor who gives up counts as not served in
    time. Raises ``ValueError`` when even ``max_agents`` falls short.
    """
    load = offered_load(arrival_rate, mean_service)
    if not 0.0 < target_level < 1.0:
        raise ValueError(f"target level must be strictly between 0 and 1, got {target_level}")
    if target_wait < 0:
        raise ValueError(f"target wait must be ≥ 0 seconds, got {target_wait}")
    if load == 0:
        return 0

    def meets(agents: int) -> bool:
        if patience is None:
            level = service_level(agents, arrival_rate, mean_service, target_wait)
        else:
            level = erlang_a.share_served_within(
                agents, arrival_rate, mean_service, patience, target_wait
            )
        return level >= target_level

    if patience is None:
        lowest = max(1, math.floor(load) + 1)
        for agents in range(lowest, max_agents + 1):
            if meets(agents):
                return agents
    elif meets(max_agents):
        # Erlang A's chain costs more per evaluation, so bisect on the (monotone) level.
        low, high = 0, max_agents  # invariant: low fails (0 agents serve nobody), high meets
        while high - low > 1:
            middle = (low + high) // 2
            if meets(middle):
                high = middle
            else:
                low = middle
        return high
    raise ValueError(
        f"more than {max_agents} agents needed for {load:.1f} Erlangs at "
        f"{target_level:.0%} within {target_wait:g} s"
    )


def _check_agents(agents: int) -> None:
    if agents < 1:
        raise ValueError(f"need at least one agent, got {agents}")


def _check_rates(arrival_rate: float, mean_service: float) -> None:
    if not (arrival_rate >= 0 and math.isfinite(arrival_rate)):
        raise ValueError(f"arrival rate must be a finite number ≥ 0, got {arrival_rate}")
    if not (mean_service > 0 and math.isfinite(mean_service)):
        raise ValueError(f"mean service time must be a finite number > 0, got {mean_service}")
