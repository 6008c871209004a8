"""How good are the waits we print? Simulated days, our estimate against three baselines.

For every ticket issued on many simulated days per scenario (shipped in assets/scenarios/),
compare the wait announced at issue (stored on the ticket by the real issuing service) with the
real wait (issue -> first call). The baselines are computed from the same event log, as they
would have been known at the same moment:

- naive: people ahead x mean service time so far today / counters open for the service;
- LES: the wait of the last visitor of the service who entered service (was first called);
- QL-abandon: the naive formula with the people ahead thinned by today's no-show share.

Before a service has data the naive and QL figures use the configured mean service time; with no
counter open yet they divide by the counters configured for it (what a simple system assumes);
LES falls back to naive until someone of the service has been called. Tickets never called (left
unserved at closing) have no real wait and are left out; the count is printed.

Usage: python -m bench.estimates [--days N] [--scenario FILE ...] [--capacity]
The last line printed is one JSON object with the headline figures per scenario.

`--capacity` instead sweeps the share of the wait the capacity rule reads
(queue.capacity_wait_share): per share, the walk-ins it would refuse that were called before
closing all the same (needless refusals) and those it would admit that were never called.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import multiprocessing
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import select

from shared.clock import ManualClock
from shared.estimation.estimator import estimate_queue
from shared.estimation.window import (
    EXP_HIGH,
    EXP_LOW,
    UNFORESEEN_SHARE,
    Z80,
    WaitEstimate,
)
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket, wait_quantile
from shared.services.officers import use_hasher
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.simulation import load_scenario, simulate_day
from shared.simulation.loading import SHIPPED_SCENARIOS, Scenario
from shared.simulation.officers import ensure_officers
from shared.simulation.report import DaySummary
from shared.store.database import Store, open_store
from shared.store.models import CounterService, Event, Service, Ticket
from shared.store.schema import upgrade_database

# A derived scenario: the Monday peak where, after a first day with the usual breaks (which
# the history learns and which is not scored), every counter takes its break 45 minutes late.
LUNCH_LATE = "monday-peak-lunch-late"
SCENARIOS = ["calm-day.toml", "monday-peak.toml", "peak-three-absent.toml", LUNCH_LATE]
PEAK_SCENARIOS = {"monday-peak", "peak-three-absent", "monday-peak-lunch-late"}
# Issue 15 items 4-5: the same three absences, left open and silent (unannounced), and planned
# in the roster before the day.
ABSENCE_SCENARIOS = ["peak-three-silent.toml", "peak-three-rostered.toml"]
SCENARIOS += ABSENCE_SCENARIOS
PEAK_SCENARIOS |= {"peak-three-silent", "peak-three-rostered"}


@dataclass
class Sample:
    issued_at: datetime
    service: str
    priority: bool
    hour: int  # local hour of issue
    real: float
    ours: float
    low: float
    high: float
    naive: float
    les: float
    ql_abandon: float


@dataclass
class _Running:
    """What the event log says about one service up to the moment being replayed."""

    durations_total: float = 0.0
    durations_count: int = 0
    first_calls: int = 0
    no_shows: int = 0
    last_entered_wait: float | None = None


@dataclass
class DayLog:
    samples: list[Sample] = field(default_factory=list)
    uncalled: int = 0
    refused_capacity: int = 0  # walk-ins the kiosk turned away: not served before closing
    never_called: int = 0  # tickets issued and never called before closing
    needless: int = 0  # refused for capacity, yet called before closing when admitted
    # Mean error (minutes) of each seed's days: one day's waits share its luck (a slow officer,
    # an impatient crowd), so the pooled bias is judged against how much it moves seed to seed.
    seed_bias: list[float] = field(default_factory=list)


def replay_day(store: Store, business_date: date, zone: ZoneInfo) -> DayLog:
    """Baselines at each issue moment, from the events of one day, and our stored estimates."""
    with store.read_sessions() as session:
        tickets = {
            t.id: t
            for t in session.scalars(select(Ticket).where(Ticket.business_date == business_date))
        }
        if not tickets:
            return DayLog()
        services = {s.id: s for s in session.scalars(select(Service))}
        serves: dict[int, set[int]] = defaultdict(set)
        for assignment in session.scalars(select(CounterService)):
            serves[assignment.service_id].add(assignment.counter_id)
        first_event = min(t.issued_at for t in tickets.values())
        events = session.scalars(
            select(Event).where(Event.at >= first_event).order_by(Event.id)
        ).all()
    counter_state: dict[int, str] = {}
    running: dict[int, _Running] = defaultdict(_Running)
    started: dict[int, datetime] = {}
    log = DayLog()
    for event in events:
        if event.kind.startswith("counter.") and event.counter_id and event.to_state:
            counter_state[event.counter_id] = event.to_state
            continue
        ticket = tickets.get(event.ticket_id or -1)
        if ticket is None:
            continue
        service = event.service_id or ticket.service_id
        stats = running[service]
        if event.kind == "ticket.issued":
            sample = _baselines(
                ticket, services[service], stats, serves[service], counter_state, zone
            )
            if sample is None:
                log.uncalled += 1
            else:
                log.samples.append(sample)
        elif event.kind in ("ticket.call",) and event.from_state == "waiting":
            if ticket.first_called_at is not None and event.at == ticket.first_called_at:
                stats.first_calls += 1
                stats.last_entered_wait = (event.at - ticket.issued_at).total_seconds()
        elif event.kind == "ticket.start":
            started[ticket.id] = event.at
        elif event.kind in ("ticket.finish", "ticket.transfer") and ticket.id in started:
            begun = started.pop(ticket.id)
            stats.durations_total += (event.at - begun).total_seconds()
            stats.durations_count += 1
        elif event.kind == "ticket.no_show":
            stats.no_shows += 1
    return log


def _baselines(
    ticket: Ticket,
    service: Service,
    stats: _Running,
    counters: set[int],
    counter_state: dict[int, str],
    zone: ZoneInfo,
) -> Sample | None:
    if ticket.first_called_at is None or ticket.estimate_seconds is None:
        return None
    real = (ticket.first_called_at - ticket.issued_at).total_seconds()
    mean = (
        stats.durations_total / stats.durations_count
        if stats.durations_count
        else service.mean_service_seconds
    )
    open_now = sum(1 for c in counters if counter_state.get(c) == "open") or max(len(counters), 1)
    ahead = ticket.ahead_at_issue
    naive = ahead * mean / open_now
    les = stats.last_entered_wait if stats.last_entered_wait is not None else naive
    abandon = stats.no_shows / stats.first_calls if stats.first_calls else 0.0
    ql_abandon = ahead * (1 - abandon) * mean / open_now
    return Sample(
        ticket.issued_at,
        service.code,
        ticket.priority,
        ticket.issued_at.astimezone(zone).hour,
        real,
        ticket.estimate_seconds,
        ticket.window_low_seconds or 0.0,
        ticket.window_high_seconds or 0.0,
        naive,
        les,
        ql_abandon,
    )


LATE_BY = timedelta(minutes=45)


def lunch_late(scenario: Scenario) -> Scenario:
    def later(at: clock_time) -> clock_time:
        return (datetime.combine(date.min, at) + LATE_BY).time()

    counters = [
        c.model_copy(update={"breaks": [(later(at), minutes) for at, minutes in c.breaks]})
        for c in scenario.settings.counters
    ]
    settings = scenario.settings.model_copy(update={"counters": counters})
    return dataclasses.replace(scenario, settings=settings)


def load(name: str | Path) -> tuple[str, Scenario, Scenario | None]:
    """A scenario by file or derived name: (name, the scored days' scenario, a first unscored
    day's scenario or None)."""
    if str(name) == LUNCH_LATE:
        usual = load_scenario(SHIPPED_SCENARIOS / "monday-peak.toml")
        return LUNCH_LATE, lunch_late(usual), usual
    path = Path(name) if Path(name).exists() else SHIPPED_SCENARIOS / name
    return path.stem, load_scenario(path), None


def lax(scenario: Scenario) -> Scenario:
    """The same day with the capacity rule at its laxest (share 0.5, no reopening margin)."""
    queue = scenario.branch.queue.model_copy(
        update={"capacity_wait_share": 0.5, "capacity_reopen_minutes": 0}
    )
    return dataclasses.replace(
        scenario, branch=scenario.branch.model_copy(update={"queue": queue})
    )


def _simulate(
    scenario: Scenario, warmups: list[Scenario], seed: int, days: int, path: Path
) -> tuple[Store, list[tuple[date, DaySummary]], float]:
    """`days` scored days in a fresh database, after one unscored day per warm-up scenario."""
    dates = scenario.business_days(scenario.settings.date, days + len(warmups))
    clock = ManualClock(scenario_midnight(scenario, dates[0]))
    path.unlink(missing_ok=True)  # fresh: a day left from an earlier run would be history
    store = open_store(f"sqlite:///{path}", clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, scenario.branch)
    began = time.perf_counter()
    for offset, warmup in enumerate(warmups):
        simulate_day(warmup, store, seed - 1 - offset, clock, business_date=dates[0])
        dates = dates[1:]
    summaries = [
        (day, simulate_day(scenario, store, seed + offset, clock, business_date=day))
        for offset, day in enumerate(dates)
    ]
    return store, summaries, time.perf_counter() - began


def _called_before_closing(store: Store, scenario: Scenario, day: date) -> set[int]:
    hours = scenario.branch.branch.opening_hours_on(day)
    assert hours is not None
    closing = datetime.combine(day, hours[1], ZoneInfo(scenario.branch.branch.timezone))
    with store.read_sessions() as session:
        return set(session.scalars(
            select(Ticket.id).where(
                Ticket.business_date == day,
                Ticket.first_called_at.is_not(None),
                Ticket.first_called_at <= closing,
            )
        ))


def run_seed(
    name: str, seed_index: int, days: int, folder: str, counterfactual: bool = True,
    learn: int = 0,
) -> tuple[DayLog, float]:
    """One seed of a scenario: its scored days (after `learn` unscored days of the same
    scenario, when it has no warm-up day of its own), and for each visitor refused for
    capacity, whether the same day re-run with the refused admitted (the laxest capacity rule,
    same seed, so the same visitors) calls them before closing: a needless refusal."""
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    scenario_name, scenario, warmup = load(name)
    warmups = [warmup] if warmup is not None else [scenario] * learn
    seed = scenario.settings.seed + 1000 * seed_index
    zone = ZoneInfo(scenario.branch.branch.timezone)
    # The scenario's stem, never the name as given: an absolute path joined to the folder
    # would put the database beside the scenario and reuse it on the next run.
    stem = f"{scenario_name}-{seed_index}"
    store, summaries, elapsed = _simulate(
        scenario, warmups, seed, days, Path(folder) / f"{stem}.db"
    )
    total = DayLog()
    refused: dict[date, set[int]] = {}
    for day, summary in summaries:
        log = replay_day(store, day, zone)
        total.samples += log.samples
        total.uncalled += log.uncalled
        called = _called_before_closing(store, scenario, day)
        with store.read_sessions() as session:
            issued = set(session.scalars(select(Ticket.id).where(Ticket.business_date == day)))
        total.never_called += len(issued - called)
        refused[day] = {v.index for v in summary.visitors if v.refusal == "capacity"}
        total.refused_capacity += len(refused[day])
    store.dispose()
    if total.refused_capacity and counterfactual:
        admitted = lax(scenario)
        store, summaries, _ = _simulate(
            admitted, [lax(w) for w in warmups], seed, days, Path(folder) / f"{stem}-lax.db"
        )
        for day, summary in summaries:
            called = _called_before_closing(store, admitted, day)
            total.needless += sum(
                1 for v in summary.visitors
                if v.index in refused[day] and v.ticket_id is not None and v.ticket_id in called
            )
        store.dispose()
    print(f"  seed {seed_index}: {len(total.samples)} tickets, coverage "
          f"{_coverage(total.samples) if total.samples else math.nan:.3f}, refused "
          f"{total.refused_capacity}, needless {total.needless}, never called "
          f"{total.never_called}, {elapsed:.0f} s", file=sys.stderr, flush=True)
    return total, elapsed


def run_scenario(
    name: str, seeds: int, days: int, folder: Path, jobs: int, counterfactual: bool = True,
    learn: int = 0,
) -> tuple[DayLog, float]:
    """Every seed of a scenario (in `jobs` processes), pooled."""
    work = partial(
        run_seed, name, days=days, folder=str(folder), counterfactual=counterfactual,
        learn=learn,
    )
    if jobs > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            results = pool.map(work, range(seeds))
    else:
        results = [work(index) for index in range(seeds)]
    total = DayLog()
    elapsed = 0.0
    for log, seconds in results:
        total.samples += log.samples
        total.uncalled += log.uncalled
        total.never_called += log.never_called
        total.refused_capacity += log.refused_capacity
        total.needless += log.needless
        if log.samples:
            errors = [x.ours - x.real for x in log.samples]
            total.seed_bias.append(sum(errors) / len(errors) / 60)
        elapsed += seconds
    return total, elapsed


def scenario_midnight(scenario: Scenario, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), ZoneInfo(scenario.branch.branch.timezone))


def mse(errors: list[float]) -> float:
    return sum(e * e for e in errors) / len(errors) if errors else math.nan


def _coverage(samples: list[Sample]) -> float:
    return sum(1 for x in samples if x.low <= x.real <= x.high) / len(samples)


def _groups(samples: list[Sample], key: Callable[[Sample], object]) -> dict[str, float]:
    grouped: dict[object, list[Sample]] = defaultdict(list)
    for sample in samples:
        grouped[key(sample)].append(sample)
    return {str(k): round(_coverage(v), 3) for k, v in sorted(grouped.items(), key=str)}


# Groups this small say little about coverage: shown, not judged.
MIN_GROUP = 30
# Shares of the wait counted as unforeseen whose coverage is worked out from the same samples.
UNFORESEEN_SWEEP = (0.15, 0.2, 0.25, UNFORESEEN_SHARE, 0.35)


def _reshared(sample: Sample, share: float) -> tuple[float, float]:
    """The sample's printed window had its unforeseen part been `share` of the wait: the
    window's ends give its log-normal, whose variance less the old unforeseen part is the
    rest. Windows for nobody ahead (exponential) and from zero are kept as printed."""
    expected, low, high = sample.ours, sample.low, sample.high
    first_free = abs(low - EXP_LOW * expected) <= 60 and abs(high - EXP_HIGH * expected) <= 60
    if low <= 0 or high <= low or expected < 1 or first_free:
        return low, high
    sigma = (math.log(high) - math.log(low)) / (2 * Z80)
    variance = expected**2 * math.expm1(sigma**2)
    rest = max(variance - (UNFORESEEN_SHARE * expected) ** 2, 0.0)
    sigma2 = math.log1p((rest + (share * expected) ** 2) / expected**2)
    mu = math.log(expected) - sigma2 / 2
    return math.exp(mu - Z80 * math.sqrt(sigma2)), math.exp(mu + Z80 * math.sqrt(sigma2))


def coverage_by_unforeseen_share(samples: list[Sample]) -> dict[str, float]:
    """Coverage had the window counted another share of the wait as unforeseen (the same
    waits: what the capacity rule would have admitted differently is not re-run)."""
    result = {}
    for share in UNFORESEEN_SWEEP:
        held = 0
        for sample in samples:
            low, high = _reshared(sample, share)
            held += low <= sample.real <= high
        result[f"{share:.2f}"] = round(held / len(samples), 3)
    return result


def figures(log: DayLog) -> dict[str, Any]:
    s = log.samples
    ours = [x.ours - x.real for x in s]
    absolute = sorted(abs(e) for e in ours)
    result = {
        "tickets": float(len(s)),
        "uncalled": float(log.uncalled),
        "never_called": float(log.never_called),
        "refused_capacity": float(log.refused_capacity),
        "needless_refusals": float(log.needless),
        "mse_ratio_naive": mse(ours) / mse([x.naive - x.real for x in s]),
        "mse_ratio_les": mse(ours) / mse([x.les - x.real for x in s]),
        "mse_ratio_ql_abandon": mse(ours) / mse([x.ql_abandon - x.real for x in s]),
        "bias_min": sum(ours) / len(s) / 60,
        "mae_min": sum(absolute) / len(s) / 60,
        "median_abs_min": statistics.median(absolute) / 60,
        "p90_abs_min": absolute[min(int(0.9 * len(absolute)), len(absolute) - 1)] / 60,
        "rmse_min": math.sqrt(mse(ours)) / 60,
        "rmse_naive_min": math.sqrt(mse([x.naive - x.real for x in s])) / 60,
        "coverage_80": _coverage(s),
        "mean_real_wait_min": sum(x.real for x in s) / len(s) / 60,
    }
    rounded: dict[str, Any] = {k: round(v, 3) for k, v in result.items()}
    spread = statistics.stdev(log.seed_bias) if len(log.seed_bias) > 1 else math.nan
    rounded["bias_by_seed"] = [round(b, 1) for b in log.seed_bias]
    # The standard error of the mean bias over seeds: a miss of ±2 min smaller than it is luck.
    rounded["bias_standard_error_min"] = round(spread / math.sqrt(len(log.seed_bias)), 2)
    priority = [x for x in s if x.priority]
    rounded["coverage_priority"] = round(_coverage(priority), 3) if priority else None
    rounded["priority_tickets"] = len(priority)
    rounded["coverage_by_hour"] = _groups(s, lambda x: f"{x.hour:02d}")
    rounded["coverage_by_service"] = _groups(s, lambda x: x.service)
    rounded["bias_by_hour"] = _bias(s, lambda x: f"{x.hour:02d}")
    rounded["tickets_by_hour"] = _counts(s, lambda x: f"{x.hour:02d}")
    rounded["tickets_by_service"] = _counts(s, lambda x: x.service)
    rounded["coverage_by_unforeseen_share"] = coverage_by_unforeseen_share(s)
    return rounded


def _bias(samples: list[Sample], key: Callable[[Sample], str]) -> dict[str, float]:
    """Mean error (estimate - real) in minutes per group: where the misses come from."""
    grouped: dict[str, list[float]] = defaultdict(list)
    for sample in samples:
        grouped[key(sample)].append(sample.ours - sample.real)
    return {k: round(sum(v) / len(v) / 60, 1) for k, v in sorted(grouped.items())}


def _counts(samples: list[Sample], key: Callable[[Sample], str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for sample in samples:
        counts[key(sample)] += 1
    return dict(sorted(counts.items()))


def targets(f: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """Issue #15's targets: (target, met?, the figure)."""
    def groups(name: str) -> tuple[bool, str]:
        covered, counts = f[f"coverage_by_{name}"], f[f"tickets_by_{name}"]
        judged = {k: v for k, v in covered.items() if counts[k] >= MIN_GROUP}
        worst = min(judged.items(), key=lambda kv: kv[1]) if judged else None
        small = len(covered) - len(judged)
        text = f"worst {worst[0]} {worst[1]}" if worst else "none judged"
        return (worst is None or worst[1] >= 0.75), text + (
            f" ({small} groups under {MIN_GROUP} tickets not judged)" if small else "")
    hour_ok, hour_text = groups("hour")
    service_ok, service_text = groups("service")
    priority = f["coverage_priority"]
    return [
        ("coverage overall 80-90 %", 0.8 <= f["coverage_80"] <= 0.9, str(f["coverage_80"])),
        ("coverage every hour of issue >= 75 %", hour_ok, hour_text),
        ("coverage every service >= 75 %", service_ok, service_text),
        ("coverage priority visitors >= 75 %", priority is None or priority >= 0.75,
         f"{priority} of {f['priority_tickets']}"),
        ("mean bias within +-2 min", abs(f["bias_min"]) <= 2, f"{f['bias_min']} min"),
        ("MSE <= 0.5x naive", f["mse_ratio_naive"] <= 0.5, str(f["mse_ratio_naive"])),
        ("MSE <= 0.5x last-to-enter-service", f["mse_ratio_les"] <= 0.5, str(f["mse_ratio_les"])),
        ("issued but never called before closing: 0", f["never_called"] == 0,
         str(int(f["never_called"]))),
        ("needless refusals: 0", f["needless_refusals"] == 0,
         f"{int(f['needless_refusals'])} of {int(f['refused_capacity'])} refused"
         if f["needless_refusals"] is not None else "not measured (--no-counterfactual)"),
    ]


def estimate_cost(folder: Path, waiting: int = 400, repeats: int = 40) -> dict[str, float]:
    """Milliseconds for one full estimate (read the live state + project the queue) with
    `waiting` tickets spread over the demo branch's services and all its counters open."""
    scenario = load_scenario(SHIPPED_SCENARIOS / SCENARIOS[1])
    day = scenario.settings.date
    clock = ManualClock(scenario_midnight(scenario, day).replace(hour=8))
    store = open_store(f"sqlite:///{folder / 'cost.db'}", clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, scenario.branch)
    branch = scenario.branch_code
    officer_ids = ensure_officers(store, branch, [c.number for c in scenario.branch.counters])
    for number, officer in officer_ids.items():
        attempt(store, branch, partial(open_counter, counter_number=number, officer_id=officer))
    codes = [s.code for s in scenario.branch.services if s.daily_quota is None]
    for i in range(waiting):
        clock.advance(5)
        issue = partial(
            issue_ticket,
            service_code=codes[i % len(codes)],
            admission=Admission.ANY_HOUR,
        )
        attempt(store, branch, issue)
    timings = []
    for _ in range(repeats):
        began = time.perf_counter()
        attempt(store, branch, estimate_queue, read_only=True)
        timings.append((time.perf_counter() - began) * 1000)
    store.dispose()
    timings.sort()
    return {
        "waiting": waiting,
        "p50_ms": round(timings[len(timings) // 2], 2),
        "max_ms": round(timings[-1], 2),
    }


# Quantiles of the wait the capacity rule may read (queue.capacity_wait_share), and the lax
# run they are judged on: the least the setting allows, with no reopening margin.
CAPACITY_SHARES = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)


def capacity_sweep(scenario: Scenario, days: int, folder: Path) -> dict[float, dict[str, int]]:
    """For each share the capacity rule could read: how many walk-ins it would refuse that were
    in fact called before closing (needless refusals) and how many it would admit that were
    never called by then (issued but never called).

    The days run with the laxest rule (share 0.5, no reopening margin), so nearly everyone is
    admitted and each ticket's own history is the counterfactual of refusing it: its estimate
    at issue says what each share would have decided, its first call what happened. Visitors
    refused even then count as refused under every share."""
    queue = scenario.branch.queue.model_copy(
        update={"capacity_wait_share": 0.5, "capacity_reopen_minutes": 0}
    )
    lax = dataclasses.replace(
        scenario, branch=scenario.branch.model_copy(update={"queue": queue})
    )
    url = f"sqlite:///{folder / (Path(scenario.source).stem + '-capacity.db')}"
    dates = lax.business_days(lax.settings.date, days)
    clock = ManualClock(scenario_midnight(lax, dates[0]))
    store = open_store(url, clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, lax.branch)
    margin = timedelta(minutes=queue.closing_margin_minutes)
    counts = {share: {"refused": 0, "needless": 0, "never_called": 0} for share in CAPACITY_SHARES}
    for offset, day in enumerate(dates):
        summary = simulate_day(lax, store, lax.settings.seed + offset, clock, business_date=day)
        still_refused = sum(s.refusals.get("capacity", 0) for s in summary.services)
        hours = lax.branch.branch.opening_hours_on(day)
        assert hours is not None
        closing = datetime.combine(day, hours[1], ZoneInfo(lax.branch.branch.timezone))
        with store.read_sessions() as session:
            tickets = session.scalars(
                select(Ticket).where(
                    Ticket.business_date == day,
                    Ticket.due_at.is_(None),
                    Ticket.estimate_seconds.is_not(None),
                )
            ).all()
        for share, count in counts.items():
            count["refused"] += still_refused
            for ticket in tickets:
                wait = WaitEstimate(
                    ticket.estimate_seconds or 0.0,
                    ticket.window_low_seconds or 0.0,
                    ticket.window_high_seconds or 0.0,
                    1,
                )
                needed = timedelta(seconds=wait_quantile(wait, share))
                refused = ticket.issued_at + needed > closing - margin
                called = ticket.first_called_at is not None and ticket.first_called_at <= closing
                if refused:
                    count["refused"] += 1
                    count["needless"] += called
                elif not called:
                    count["never_called"] += 1
    store.dispose()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1, help="scored simulated days per seed")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per scenario (each in a "
                        "fresh database)")
    parser.add_argument("--jobs", type=int, default=1, help="processes running seeds")
    parser.add_argument("--learn", type=int, default=0, help="unscored days of the same "
                        "scenario before the scored ones (a recurring day the history learns)")
    parser.add_argument("--scenario", action="append", help="scenario file(s), or "
                        f"{LUNCH_LATE}")
    parser.add_argument("--capacity", action="store_true", help="only sweep the share of the "
                        "wait the capacity rule reads (needless refusals, never called)")
    parser.add_argument("--no-cost", action="store_true", help="skip timing one estimate")
    parser.add_argument("--no-counterfactual", action="store_true", help="skip re-running "
                        "refused visitors admitted (needless refusals are then not measured)")
    args = parser.parse_args()
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    names: list[str] = args.scenario or SCENARIOS
    if args.capacity:
        sweeps: dict[str, object] = {"days_per_scenario": args.days}
        with tempfile.TemporaryDirectory() as folder:
            for name in names:
                stem, scenario, _ = load(name)
                counts = capacity_sweep(scenario, args.days, Path(folder))
                print(f"\n{stem}: share  refused  needless  never_called")
                for share, count in counts.items():
                    print(f"  {share:5}  {count['refused']:7}  {count['needless']:8}  "
                          f"{count['never_called']:12}")
                sweeps[stem] = {str(share): count for share, count in counts.items()}
        print(json.dumps(sweeps))
        return 0
    headline: dict[str, object] = {"seeds": args.seeds, "days_per_seed": args.days}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            stem, _, warmup = load(name)
            log, elapsed = run_scenario(name, args.seeds, args.days, Path(folder), args.jobs,
                                        not args.no_counterfactual, args.learn)
            f = figures(log)
            if args.no_counterfactual:
                f["needless_refusals"] = None
            f["seconds_per_day"] = round(elapsed / (args.seeds * args.days), 2)
            checks = targets(f)
            print(
                f"\n{stem}: {int(f['tickets'])} tickets, {args.seeds} seeds x {args.days} "
                f"scored day(s){' after one unscored day' if warmup else ''}"
                f"{f' after {args.learn} unscored day(s)' if args.learn and not warmup else ''} "
                f"({f['seconds_per_day']} s per simulated day)"
            )
            for key, value in f.items():
                if not key.startswith("tickets_by"):
                    print(f"  {key:22} {value}")
            for target, met, figure in checks:
                print(f"  {'met   ' if met else 'MISSED'} {target}: {figure}")
            headline[stem] = {**f, "targets_missed": [t for t, met, _ in checks if not met]}
        if not args.no_cost:
            cost = estimate_cost(Path(folder))
            print(
                f"\ncost of one estimate with {cost['waiting']} waiting and 9 counters open: "
                f"p50 {cost['p50_ms']} ms, max {cost['max_ms']} ms"
            )
            headline["estimate_cost"] = cost
    print(json.dumps(headline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
