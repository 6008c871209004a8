"""What a simulated day came to, per service: how many came, how they left, how long they waited.

Counts follow each ticket through the services it waited in, so per service
`issued + transferred_in == served + transferred_out + no_show + walked_out + unserved`;
visitors the kiosk refused are `turned_away` and hold no ticket.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from statistics import fmean
from typing import Any

from shared.simulation.agenda import Day
from shared.simulation.loading import Scenario
from shared.simulation.visitors import (
    FINISHED,
    NO_SHOW,
    NOT_ANSWERING,
    TRANSFERRED,
    TURNED_AWAY,
    UNSERVED,
    WALKED_OUT,
    Visitor,
)

COUNTS = (
    "arrived",
    "issued",
    "turned_away",
    "transferred_in",
    "served",
    "transferred_out",
    "no_show",
    "walked_out",
    "unserved",
)


@dataclass(frozen=True)
class ServiceSummary:
    code: str
    arrived: int  # came to the kiosk for this service
    issued: int
    turned_away: int  # refused by the kiosk (issuing closed, quota full, no capacity left)
    transferred_in: int
    served: int  # finished here
    transferred_out: int
    no_show: int  # called, never came (not counting those who had walked out)
    walked_out: int  # ran out of patience before the call (called later or never)
    unserved: int  # still waiting, uncalled, when the day ended
    mean_wait_minutes: float | None  # joining this queue → first call, over called tickets
    p90_wait_minutes: float | None
    mean_service_minutes: float | None  # start → finish or transfer
    last_finish: str | None  # local time the last visitor here was done
    refusals: dict[str, int] = field(default_factory=dict)  # turned away, by the kiosk's reason

    @property
    def balanced(self) -> bool:
        ends = self.served + self.transferred_out + self.no_show + self.walked_out + self.unserved
        return self.issued + self.transferred_in == ends


@dataclass(frozen=True)
class DaySummary:
    scenario: str
    branch: str
    date: date
    seed: int
    services: tuple[ServiceSummary, ...]
    # Every visitor with their times, for benchmarks that judge the estimates against them.
    visitors: tuple[Visitor, ...] = field(repr=False, compare=False)

    def service(self, code: str) -> ServiceSummary:
        return next(s for s in self.services if s.code == code)

    def total(self, count: str) -> int:
        return sum(int(getattr(s, count)) for s in self.services)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "branch": self.branch,
            "date": self.date.isoformat(),
            "seed": self.seed,
            "services": [asdict(s) for s in self.services],
            "totals": {count: self.total(count) for count in COUNTS},
        }


def quantile(values: list[float], q: float) -> float | None:
    """Linear interpolation between order statistics (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60.0, 2)


def summarise(scenario: Scenario, day: Day, seed: int, visitors: list[Visitor]) -> DaySummary:
    counts: dict[str, Counter[str]] = {s.code: Counter() for s in scenario.branch.services}
    refusals: dict[str, Counter[str]] = {code: Counter() for code in counts}
    waits: dict[str, list[float]] = {code: [] for code in counts}
    service_times: dict[str, list[float]] = {code: [] for code in counts}
    last_done: dict[str, float] = {}
    for visitor in visitors:
        counts[visitor.service]["arrived"] += 1
        if visitor.outcome == TURNED_AWAY:
            counts[visitor.service]["turned_away"] += 1
            refusals[visitor.service][visitor.refusal or "unknown"] += 1
            continue
        counts[visitor.service]["issued"] += 1
        for index, stage in enumerate(visitor.stages):
            tally = counts[stage.service]
            if index > 0:
                tally["transferred_in"] += 1
            if stage.called is not None:
                waits[stage.service].append(stage.called - stage.queued)
            if stage.started is not None and stage.ended is not None:
                service_times[stage.service].append(stage.ended - stage.started)
                last_done[stage.service] = max(last_done.get(stage.service, 0.0), stage.ended)
            if stage.end == FINISHED:
                tally["served"] += 1
            elif stage.end == TRANSFERRED:
                tally["transferred_out"] += 1
            elif stage.end == NO_SHOW:
                tally["no_show" if visitor.outcome == NOT_ANSWERING else "walked_out"] += 1
            elif visitor.outcome in (WALKED_OUT, UNSERVED):
                tally[str(visitor.outcome)] += 1
    services = []
    for code, tally in counts.items():
        if not tally["arrived"] and not tally["transferred_in"]:
            continue
        wait = waits[code]
        service = service_times[code]
        services.append(ServiceSummary(
            code=code,
            **{count: tally[count] for count in COUNTS},
            mean_wait_minutes=_minutes(fmean(wait)) if wait else None,
            p90_wait_minutes=_minutes(quantile(wait, 0.9)),
            mean_service_minutes=_minutes(fmean(service)) if service else None,
            last_finish=(
                f"{day.local(last_done[code]):%H:%M:%S}" if code in last_done else None
            ),
            refusals=dict(sorted(refusals[code].items())),
        ))
    return DaySummary(
        scenario=scenario.name,
        branch=scenario.branch_code,
        date=day.date,
        seed=seed,
        services=tuple(services),
        visitors=tuple(visitors),
    )
