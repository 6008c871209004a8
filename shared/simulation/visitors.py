"""The day's visitors, drawn up front from one seeded generator, and what happened to each.

Every visitor's arrival, patience, walk and service times are drawn before the day runs, in a
fixed order, so they do not depend on how the day unfolds: the same seed gives the same people
whatever the counters do.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import time

from shared.simulation.agenda import Day
from shared.simulation.loading import Scenario

# How a visit left a service's queue.
FINISHED = "finish"
TRANSFERRED = "transfer"
NO_SHOW = "no_show"

# How a visitor's day ended.
SERVED = "served"
NOT_ANSWERING = "no_show"  # called, never came (the no-show draw)
WALKED_OUT = "walked_out"  # lost patience before the call
UNSERVED = "unserved"  # never called before the branch closed
TURNED_AWAY = "turned_away"  # the kiosk issued no ticket


@dataclass
class Stage:
    """One stay in one service's queue and at its counter."""

    service: str
    queued: float
    called: float | None = None
    started: float | None = None
    ended: float | None = None
    end: str | None = None  # FINISHED, TRANSFERRED or NO_SHOW


@dataclass
class Visitor:
    index: int
    service: str
    arrives: float  # seconds since local midnight
    priority: bool
    answers: bool  # False: takes a ticket and never answers a call
    patience: float | None  # seconds in the queue before walking out; None: stays
    walk: float  # seconds from the seat to the counter
    service_seconds: float
    transfer_to: str | None
    transfer_service_seconds: float
    # What happened, filled in as the day runs.
    ticket_id: int | None = None
    label: str = ""
    kiosk_tries: int = 0
    refusal: str | None = None  # the kiosk's reason: closed, full, capacity
    stages: list[Stage] = field(default_factory=list)
    outcome: str | None = None

    @property
    def stage(self) -> Stage:
        return self.stages[-1]

    def present_when_called(self, now: float) -> bool:
        """Whether the visitor walks up at this call. Patience counts only in the first queue:
        a visitor sent on by transfer has a reason to stay."""
        if not self.answers:
            return False
        if len(self.stages) > 1 or self.patience is None:
            return True
        return now < self.stages[0].queued + self.patience

    def walked_out_by(self, moment: float) -> bool:
        return (
            len(self.stages) == 1
            and self.patience is not None
            and self.stages[0].queued + self.patience <= moment
        )


def lognormal_seconds(mean_minutes: float, cv: float, z: float) -> float:
    """The lognormal time with this mean and coefficient of variation at standard normal z."""
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean_minutes * 60.0) - sigma * sigma / 2
    return math.exp(mu + sigma * z)


def draw_visitors(scenario: Scenario, day: Day, rng: random.Random) -> list[Visitor]:
    """Arrivals per service as a Poisson process with a rate per hour of day, in arrival order."""
    walk_low, walk_high = scenario.settings.visitors.walk_seconds
    visitors: list[Visitor] = []
    for load in scenario.settings.services:
        for hour, per_hour in load.arrivals_by_hour().items():
            if per_hour <= 0:
                continue
            start = day.seconds(time(hour))
            end = day.seconds(time(hour + 1)) if hour < 23 else start + 3600.0
            moment = start + rng.expovariate(per_hour / 3600.0)
            while moment < end:
                visitors.append(_draw_one(scenario, rng, load.code, moment, walk_low, walk_high))
                moment += rng.expovariate(per_hour / 3600.0)
    visitors.sort(key=lambda v: v.arrives)
    for index, visitor in enumerate(visitors):
        visitor.index = index
    return visitors


def _draw_one(
    scenario: Scenario, rng: random.Random, code: str, arrives: float, low: float, high: float
) -> Visitor:
    load = scenario.load(code)
    # The same draws for every visitor whatever the shares, so changing one share in a
    # scenario does not reshuffle everyone who comes after.
    priority = rng.random() < load.priority_share
    answers = rng.random() >= load.no_show_share
    patience = rng.expovariate(1.0)
    walk = rng.uniform(low, high)
    here = rng.gauss(0.0, 1.0)
    onward = rng.gauss(0.0, 1.0)
    transfer = rng.random()
    target = load.transfer.to if load.transfer is not None else None
    return Visitor(
        index=0,
        service=code,
        arrives=arrives,
        priority=priority,
        answers=answers,
        patience=(
            None
            if load.walk_out_patience_minutes is None
            else patience * load.walk_out_patience_minutes * 60.0
        ),
        walk=walk,
        service_seconds=lognormal_seconds(scenario.mean_service_minutes(code), load.cv, here),
        transfer_to=(
            target if load.transfer is not None and transfer < load.transfer.share else None
        ),
        transfer_service_seconds=(
            lognormal_seconds(
                scenario.mean_service_minutes(target), scenario.load(target).cv, onward
            )
            if target is not None
            else 0.0
        ),
    )
