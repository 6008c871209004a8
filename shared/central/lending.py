"""Which nearby branch can lend how many officers, for which service and hours, today.

The Ombudsman told a short branch to "coordinate with other branches for help with
personnel". This is the staffing planner run across a region's branches:

1. **Each branch's need.** The rest of today's forecast, plus the visitors waiting now spread
   evenly over the minutes left before closing (so a plan that meets it also clears today's
   queue before closing), is planned per service and hour by :func:`plan_staffing`, exactly
   as ``antrean plan`` does for one branch.
2. **Its own counters first.** Where the counters present in an hour outnumber the summed plan
   (an upper bound: a counter serving several services is counted for each), the branch's
   supervisor can move services between its own counters; only what is left short after
   that is the branch's shortfall, in the planner's words ("short by 2 counters for JHT
   09:00–12:00", :func:`roster_gaps`).
3. **What a lender can spare** in an hour is its counters present less its own summed plan;
   a lender never lends below its own plan, so it never falls short by lending. An officer
   lent is away from the lender for the hours lent plus the travel there and back, counted
   to the minute against each hour's spare.
4. **Greedy, deterministic.** Shortfalls are taken largest first (officer-hours, then branch
   code, service, hour); each goes to the nearest lenders that serve the service and lie
   within the region's maximum travel time (nearest first, then by code), each lending as
   many officers as it can spare for the whole block of hours. A lender too far to arrive
   for the first hours lends for the hours it can reach. What nobody can cover is stated.

Greedy can miss a better pairing (a near lender spent on one branch that a second branch
needed more), but it is explainable line by line, and a region's head takes it as a
suggestion, not an order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from types import MappingProxyType

from shared.planning.forecast import ArrivalForecast
from shared.planning.staffing import StaffingGap, StaffingRow, plan_staffing, roster_gaps

_EPSILON = 1e-9
DEFAULT_TARGET_WAIT_MINUTES = 30.0
TARGET_LEVEL = 0.8


@dataclass(frozen=True)
class BranchDay:
    """What the suggestion knows of one branch today.

    ``available`` is the roster per service and hour as ``counters_available`` gives it (a
    counter serving several services counts in each); ``present`` is the counters staffed per
    hour, whatever they serve. ``closing_hour`` is when serving stops (``16`` for 16:00).
    """

    code: str
    forecast: ArrivalForecast
    available: Mapping[str, Mapping[int, float]]
    present: Mapping[int, float]
    waiting: Mapping[str, int]
    closing_hour: int
    target_wait_minutes: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 1 <= self.closing_hour <= 24:
            raise ValueError(f"branch {self.code}: closing hour must be 1–24, got "
                             f"{self.closing_hour}")
        unknown = sorted(
            service for service, count in self.waiting.items()
            if count > 0 and service not in self.forecast.mean_service_minutes
        )
        if unknown:
            raise ValueError(f"branch {self.code}: no mean service time for waiting "
                             f"service(s) {', '.join(unknown)}")

    def serves(self, service: str) -> bool:
        return any(count > 0 for count in self.available.get(service, {}).values())


@dataclass(frozen=True)
class Region:
    """Travel minutes between pairs of branches (either order), and the most worth lending
    across. A pair missing from the matrix is not nearby."""

    travel_minutes: Mapping[frozenset[str], float]
    max_travel_minutes: float

    def __post_init__(self) -> None:
        for pair, minutes in self.travel_minutes.items():
            if len(pair) != 2:
                raise ValueError(f"travel time needs two different branches, got {sorted(pair)}")
            if not (minutes >= 0 and math.isfinite(minutes)):
                raise ValueError(f"travel {' – '.join(sorted(pair))}: minutes must be ≥ 0")
        object.__setattr__(self, "travel_minutes", MappingProxyType(dict(self.travel_minutes)))

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str, float]], max_travel_minutes: float
    ) -> Region:
        return cls({frozenset((a, b)): minutes for a, b, minutes in pairs}, max_travel_minutes)

    def travel(self, first: str, second: str) -> float | None:
        """Minutes from one branch to the other when they are near enough, else None."""
        minutes = self.travel_minutes.get(frozenset((first, second)))
        if minutes is None or minutes > self.max_travel_minutes:
            return None
        return minutes


@dataclass(frozen=True)
class Loan:
    """``officers`` of ``lender`` work ``service`` at ``borrower`` from ``first_hour`` to
    ``end_hour`` (exclusive), leaving ``travel_minutes`` before and back as long after."""

    lender: str
    borrower: str
    service: str
    first_hour: int
    end_hour: int
    officers: int
    travel_minutes: float

    def describe(self) -> str:
        people = "officer" if self.officers == 1 else "officers"
        return (f"{self.lender} lends {self.officers} {people} to {self.borrower} for "
                f"{self.service} {self.first_hour:02d}:00–{self.end_hour:02d}:00 "
                f"({self.travel_minutes:g} min away)")


@dataclass(frozen=True)
class Shortfall:
    """A branch's gap in the planner's words: before lending, or what no lender covers."""

    branch: str
    gap: StaffingGap

    def describe(self) -> str:
        return f"{self.branch}: {self.gap.describe()}"


@dataclass(frozen=True)
class LendingPlan:
    shortfalls: tuple[Shortfall, ...]  # after each branch moved its own counters
    loans: tuple[Loan, ...]
    unmet: tuple[Shortfall, ...]  # what the loans leave short

    def describe(self) -> list[str]:
        lines = [loan.describe() for loan in self.loans]
        lines += [f"no lender: {short.describe()}" for short in self.unmet]
        return lines or ["every branch's roster covers its plan"]


@dataclass
class _Branch:
    day: BranchDay
    hours: range
    rows: list[StaffingRow]
    spare: dict[int, float]  # counters beyond the branch's own plan, per hour
    served: frozenset[str]  # the services its officers serve (counters assigned today)


def suggest_loans(
    branches: Iterable[BranchDay], region: Region, now: time, target_level: float = TARGET_LEVEL
) -> LendingPlan:
    """The loans that cover as much of today's remaining shortfalls as spare officers allow."""
    planned = {day.code: _plan(day, now, target_level) for day in branches}
    nearby = _nearby(planned, region)
    shortfalls: list[Shortfall] = []
    for code in sorted(planned):
        shortfalls += [Shortfall(code, gap) for gap in _own_cover(planned[code])]
    now_minutes = now.hour * 60 + now.minute
    order = sorted(shortfalls, key=lambda s: (-s.gap.short_by * (s.gap.end_hour - s.gap.first_hour),
                                              s.branch, s.gap.service, s.gap.first_hour))
    loans: list[Loan] = []
    unmet: list[Shortfall] = []
    for short in order:
        gap = short.gap
        lent = dict.fromkeys(range(gap.first_hour, gap.end_hour), 0)
        for lender, travel in _lenders(nearby[short.branch], gap.service):
            # Nobody arrives before now plus the journey: a far lender takes the later hours.
            first = max(gap.first_hour, math.ceil((now_minutes + travel) / 60))
            hours = range(first, gap.end_hour)
            wanted = min((gap.short_by - lent[hour] for hour in hours), default=0)
            officers = min(wanted, _can_lend(lender, hours, travel))
            if officers <= 0:
                continue
            _take(lender, hours, travel, officers)
            for hour in hours:
                lent[hour] += officers
            loans.append(Loan(lender.day.code, short.branch, gap.service, first, gap.end_hour,
                              officers, travel))
        left = {hour: gap.short_by - count for hour, count in lent.items()}
        unmet += [Shortfall(short.branch, rest) for rest in _blocks(gap.service, left)]
    loans.sort(key=lambda loan: (loan.borrower, loan.service, loan.first_hour, loan.lender))
    unmet.sort(key=lambda s: (s.branch, s.gap.service, s.gap.first_hour))
    return LendingPlan(tuple(shortfalls), tuple(loans), tuple(unmet))


def _plan(day: BranchDay, now: time, target_level: float) -> _Branch:
    """The planner's rows for the rest of the day, the queue waiting now included."""
    now_minutes = now.hour * 60 + now.minute
    hours = range(now.hour, day.closing_hour)
    minutes_left = day.closing_hour * 60 - now_minutes
    forecast = day.forecast
    arrivals: dict[str, dict[int, float]] = {}
    for service in sorted(set(forecast.services) | set(day.waiting)):
        # The queue now, served at an even pace until closing, is that much more arrival rate.
        queue_rate = day.waiting.get(service, 0) * 60 / minutes_left if minutes_left > 0 else 0.0
        by_hour = {hour: forecast.expected_arrivals(service, hour) + queue_rate for hour in hours}
        if any(rate > 0 for rate in by_hour.values()):
            arrivals[service] = by_hour
    rows: list[StaffingRow] = []
    for wait, services in _by_target_wait(day, arrivals).items():
        part = ArrivalForecast(
            {s: arrivals[s] for s in services},
            {s: forecast.mean_service_minutes[s] for s in services},
            {s: forecast.patience_minutes[s] for s in services if s in forecast.patience_minutes},
        )
        rows += plan_staffing(part, wait, target_level)
    rows.sort(key=lambda row: (row.hour, row.service))
    needed: dict[int, int] = {}
    for row in rows:
        needed[row.hour] = needed.get(row.hour, 0) + row.counters_needed
    spare = {hour: day.present.get(hour, 0.0) - needed.get(hour, 0) for hour in hours}
    served = frozenset(service for service in day.available if day.serves(service))
    return _Branch(day, hours, rows, spare, served)


def _by_target_wait(day: BranchDay, arrivals: Mapping[str, object]) -> dict[float, list[str]]:
    groups: dict[float, list[str]] = {}
    for service in sorted(arrivals):
        wait = day.target_wait_minutes.get(service, DEFAULT_TARGET_WAIT_MINUTES)
        groups.setdefault(wait, []).append(service)
    return groups


def _own_cover(branch: _Branch) -> list[StaffingGap]:
    """Moves the branch's own counters onto its gaps, hour by hour, and returns what is
    still short; what it has beyond its summed plan is what it may lend."""
    gaps = roster_gaps(branch.rows, branch.day.available)
    missing: dict[str, dict[int, int]] = {}
    for gap in gaps:
        for hour in range(gap.first_hour, gap.end_hour):
            missing.setdefault(gap.service, {})[hour] = gap.short_by
    for hour in branch.hours:
        # The whole branch lacks only what its summed plan exceeds its counters by; the rest
        # of its gaps are counters serving another service, which the supervisor can move.
        gaps_total = sum(by_hour.get(hour, 0) for by_hour in missing.values())
        lacking = max(math.ceil(-branch.spare[hour] - _EPSILON), 0)
        movable = max(gaps_total - lacking, 0)
        for service in sorted(missing):
            short = missing[service].get(hour, 0)
            moved = min(movable, short)
            missing[service][hour] = short - moved
            movable -= moved
        branch.spare[hour] = max(branch.spare[hour], 0.0)
    left: list[StaffingGap] = []
    for service in sorted(missing):
        left += _blocks(service, missing[service])
    return left


def _blocks(service: str, short_by_hour: Mapping[int, int]) -> list[StaffingGap]:
    """Consecutive hours with the same shortage, as the planner groups them."""
    blocks: list[StaffingGap] = []
    for hour in sorted(short_by_hour):
        short = short_by_hour[hour]
        if short <= 0:
            continue
        last = blocks[-1] if blocks else None
        if last is not None and last.end_hour == hour and last.short_by == short:
            blocks[-1] = StaffingGap(service, last.first_hour, hour + 1, short)
        else:
            blocks.append(StaffingGap(service, hour, hour + 1, short))
    return blocks


def _nearby(
    planned: Mapping[str, _Branch], region: Region
) -> dict[str, list[tuple[float, _Branch]]]:
    """Each branch's neighbours within the region's reach, nearest first, then by code."""
    near: dict[str, list[tuple[float, _Branch]]] = {code: [] for code in planned}
    codes = sorted(planned)
    for index, first in enumerate(codes):
        for second in codes[index + 1:]:
            travel = region.travel(first, second)
            if travel is not None:
                near[first].append((travel, planned[second]))
                near[second].append((travel, planned[first]))
    for neighbours in near.values():
        neighbours.sort(key=lambda item: (item[0], item[1].day.code))
    return near


def _lenders(neighbours: list[tuple[float, _Branch]], service: str) -> list[tuple[_Branch, float]]:
    """Neighbours that serve the service and have a whole officer spare in some hour still."""
    return [(branch, travel) for travel, branch in neighbours
            if service in branch.served and max(branch.spare.values(), default=0.0) >= 1.0]


def _away(hours: range, travel: float) -> dict[int, float]:
    """The share of each clock hour an officer lent for these hours is away from home."""
    leaves = hours.start * 60 - travel
    returns = hours.stop * 60 + travel
    shares = {}
    for hour in range(math.floor(leaves / 60), math.ceil(returns / 60)):
        overlap = min(returns, hour * 60 + 60) - max(leaves, hour * 60)
        if overlap > 0:
            shares[hour] = overlap / 60
    return shares


def _can_lend(lender: _Branch, hours: range, travel: float) -> int:
    """The officers the lender can spare for every minute they are away; none when it is
    not open for all the hours lent."""
    if not hours or hours.start < lender.hours.start or hours.stop > lender.hours.stop:
        return 0
    most = min(
        math.floor(lender.spare[hour] / share + _EPSILON)
        for hour, share in _away(hours, travel).items()
        if hour in lender.hours  # after its closing nobody at home misses the officer
    )
    return max(most, 0)


def _take(lender: _Branch, hours: range, travel: float, officers: int) -> None:
    for hour, share in _away(hours, travel).items():
        if hour in lender.hours:
            lender.spare[hour] -= officers * share
