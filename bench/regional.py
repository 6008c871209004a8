"""The region on one central server: 100 branches on the board, real replication at a peak
morning, and what one server would need for 300 branches.

    python -m bench.regional [--branches 100] [--publishers 10] [--requests 300]

Two PostgreSQL clusters of its own (initdb, pg_ctl; the tests' tests/support/clusters.py) on
free ports, thrown away at the end:

1. **100 branches on the board.** Four branch histories are simulated through the real services
   (shared/simulation) in template databases on the central cluster: two calm branches (the
   calm-day scenario) and two peak ones (the Monday peak, one with three counters rostered away),
   each with last Monday's full day (the forecast's history) and this Monday until 10:00. The
   100 copies are made from them with CREATE DATABASE … TEMPLATE and given their own branch
   code: they hold what replication would have put there, but were loaded directly, not
   replicated (100 branch clusters do not fit a 2-core machine). The board reads them all
   (cold: forecasts learned; warm), its page is timed over real HTTP while it keeps refreshing,
   and the lending suggestion is timed over the 100 branches on a 10 × 10 grid of branches
   15 minutes apart (at most 60 minutes' travel).
2. **Replication at a peak morning.** `--publishers` branch databases on a second cluster
   (the "branches"), each added with `antrean central add-branch`'s own function, run the
   Monday peak to 10:00 at once, as fast as the machine goes (a morning in minutes: harsher
   than a real one). Every 0.5 s the branch cluster's walsenders are asked for each copy's
   replay lag and unconfirmed WAL; afterwards every copy must hold what its branch holds.
3. **WAL per branch-day.** One more branch, alone, runs a whole Monday peak day and a whole
   calm day: pg_current_wal_lsn() on both clusters before and after, the copy's size, and the
   apply worker's CPU time from /proc.

Then the arithmetic for 300 branches, printed and summed up in the last JSON line.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from argon2 import PasswordHasher

from shared.central import heads
from shared.central.board import BranchCopy, RegionBoard
from shared.central.layout import branch_database, copy_url, region_branches
from shared.central.lending import Region, suggest_loans
from shared.central.status import wait_until_caught_up
from shared.central.subscription import add_branch
from shared.clock import ManualClock
from shared.config import BranchConfig
from shared.services import officers
from shared.services.setup import apply_branch_config
from shared.simulation import load_scenario, simulate_day
from shared.simulation.loading import SHIPPED_SCENARIOS
from shared.store.database import create_store_engine, open_store
from shared.store.schema import upgrade_database

TARGET_PAGE_P99_MS = 200.0
TARGET_SUGGESTION_S = 2.0
REGION_BRANCHES = 300
OPEN_HOURS = 8.0  # a branch day's serving hours, for rates per second
ZONE = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, tzinfo=ZONE).date()
LAST_MONDAY = MONDAY - timedelta(weeks=1)
MORNING_END = clock_time(10, 0)
BOARD_TIME = clock_time(10, 5)  # the board reads a little later: the day stops within a minute
# (name, scenario of last Monday, scenario of this Monday, seed): calm branches lend, peak borrow.
TEMPLATES = (
    ("calm1", "calm-day", "calm-day", 1),
    ("peak1", "monday-peak", "peak-three-rostered", 2),
    ("calm2", "calm-day", "calm-day", 3),
    ("peak2", "monday-peak", "monday-peak", 4),
)
EXTRA_SETTINGS = {
    "max_connections": "400",
    "shared_buffers": "'128MB'",
    "max_wal_senders": "40",
    "max_replication_slots": "60",
    "max_worker_processes": "64",
    "max_logical_replication_workers": "48",
    "max_sync_workers_per_subscription": "2",
    "autovacuum": "off",  # no background noise in the WAL counts
    # As in production (the test clusters turn it off): full pages after each checkpoint are
    # a real share of the WAL a branch writes.
    "full_page_writes": "on",
}


class _MorningOver(Exception):
    """Raised from the simulator's progress callback to stop the day at 10:00."""


def _cheap_hashing() -> None:
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    officers.use_hasher(cheap)
    heads.use_hasher(cheap)


def simulate(url: str, code: str, scenario_name: str, seed: int, day: str, until: str) -> float:
    """One branch day in the database at `url` (a process of its own); `until` "HH:MM" stops
    the day then, "" runs it whole. Returns the wall seconds it took."""
    _cheap_hashing()
    shipped = load_scenario(SHIPPED_SCENARIOS / f"{scenario_name}.toml")
    scenario = replace(shipped, branch=with_code(shipped.branch, code))
    business = datetime.fromisoformat(day).date()
    store = open_store(url, clock=ManualClock(datetime.combine(business, clock_time(), ZONE)))
    clock = store.clock
    assert isinstance(clock, ManualClock)
    stop = clock_time.fromisoformat(until) if until else None

    def progress(_share: float, local: datetime) -> None:
        if stop is not None and local.time() >= stop:
            raise _MorningOver

    started = time.perf_counter()
    try:
        simulate_day(scenario, store, seed, clock, progress, business_date=business)
    except _MorningOver:
        pass  # the day stopped at `until`, as asked
    finally:
        store.dispose()
    return time.perf_counter() - started


def with_code(config: BranchConfig, code: str) -> BranchConfig:
    """The demo branch's config under another code and name."""
    branch = config.branch.model_copy(update={"code": code, "name": f"Kantor Cabang {code}"})
    return config.model_copy(update={"branch": branch})


def new_branch_database(url: str, code: str) -> None:
    """A migrated database holding the demo branch under `code`."""
    engine = create_store_engine(url)
    upgrade_database(engine)
    engine.dispose()
    config = with_code(load_scenario(SHIPPED_SCENARIOS / "calm-day.toml").branch, code)
    store = open_store(url, clock=ManualClock(datetime.combine(LAST_MONDAY, clock_time(), ZONE)
                                              - timedelta(days=1)))
    apply_branch_config(store, config)
    store.dispose()


# -- clusters -----------------------------------------------------------------------------------


@dataclass
class Servers:
    central: Any  # tests.support.clusters.Cluster
    branches: Any


def start_clusters() -> tuple[Servers, Any]:
    from tests.support import clusters

    context = clusters.running_clusters("central", "branches")
    started = context.__enter__()
    for cluster in started.values():
        cluster.stop()
        with (cluster.directory / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("".join(f"{key} = {value}\n" for key, value in EXTRA_SETTINGS.items()))
        cluster.start()
    return Servers(started["central"], started["branches"]), context


def admin(url: str) -> psycopg.Connection[tuple[Any, ...]]:
    return psycopg.connect(url, autocommit=True)


def create_database(cluster: Any, name: str, template: str | None = None) -> str:
    with admin(cluster.url()) as connection:
        if template is None:
            connection.execute(f'CREATE DATABASE "{name}"')
        else:
            connection.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    return str(cluster.url(name))


def wal_position(cluster: Any) -> int:
    with admin(cluster.url()) as connection:
        row = connection.execute(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").fetchone()
    assert row is not None
    return int(row[0])


def run_parallel(jobs: list[tuple[str, str, str, int, str, str]], processes: int) -> list[float]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        return list(pool.starmap(simulate, jobs))


def quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# -- 1. the board over 100 copies -----------------------------------------------------------------


def build_copies(servers: Servers, count: int) -> float:
    started = time.perf_counter()
    templates = []
    for name, *_ in TEMPLATES:
        url = create_database(servers.central, f"tmpl_{name}")
        new_branch_database(url, name.upper())
        templates.append(url)
    jobs = [(url, name.upper(), history, seed, LAST_MONDAY.isoformat(), "")
            for url, (name, history, _, seed) in zip(templates, TEMPLATES, strict=True)]
    run_parallel(jobs, 2)
    jobs = [(url, name.upper(), today, seed + 100, MONDAY.isoformat(), MORNING_END.isoformat())
            for url, (name, _, today, seed) in zip(templates, TEMPLATES, strict=True)]
    run_parallel(jobs, 2)
    print(f"  4 template branches simulated (last Monday whole, this Monday to 10:00) in "
          f"{time.perf_counter() - started:.0f} s")
    for index in range(count):
        code = f"B{index + 1:03d}"
        name = TEMPLATES[index % len(TEMPLATES)][0]
        url = create_database(servers.central, branch_database(code), f"tmpl_{name}")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("UPDATE branches SET code = %s, name = %s",
                               (code, f"Kantor Cabang {code} ({name})"))
    return time.perf_counter() - started


def grid_region(codes: list[str], side: int = 10, step: float = 15.0) -> Region:
    """Branches on a square grid `step` minutes apart by road (Manhattan distance)."""
    where = {code: divmod(index, side) for index, code in enumerate(codes)}
    pairs = []
    for first in codes:
        for second in codes:
            if first < second:
                (r1, c1), (r2, c2) = where[first], where[second]
                minutes = (abs(r1 - r2) + abs(c1 - c2)) * step
                if minutes <= 60:
                    pairs.append((first, second, minutes))
    return Region.from_pairs(pairs, 60)


def measure_board(servers: Servers, count: int) -> dict[str, Any]:
    import requests

    from tests.support.web_server import serve
    from web.regional import create_regional_app

    central = servers.central.url()
    copies = [BranchCopy(b.code, b.url) for b in region_branches(central, include_detached=True)]
    codes = [copy.code for copy in copies]
    clock = ManualClock(datetime.combine(MONDAY, BOARD_TIME, ZONE))
    region = grid_region(codes)
    figures: dict[str, Any] = {"branches": len(copies)}
    for keep in (True, False):
        board = RegionBoard(lambda: copies, region, clock, workers=4, keep_connections=keep)
        cold = board.refresh().read_seconds
        warm = [board.refresh().read_seconds for _ in range(2)]
        label = "kept" if keep else "per_read"
        figures[f"refresh_cold_s_{label}"] = round(cold, 2)
        figures[f"refresh_warm_s_{label}"] = round(min(warm), 2)
        print(f"  board reading {len(copies)} copies, 4 at a time, connections "
              f"{'kept (one per copy)' if keep else 'opened per reading'}: cold {cold:.1f} s "
              f"(forecasts learned), warm {min(warm):.1f} s")
        if not keep:
            board.close()
            continue
        view = board.view()
        readable = sum(1 for row in view.rows if row.picture is not None)
        days = [row.picture.plan_day for row in view.rows
                if row.picture is not None and row.picture.plan_day is not None]
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            plan = suggest_loans(days, region, BOARD_TIME)
            timings.append(time.perf_counter() - started)
        figures.update(
            readable=readable, suggestion_s_median=round(statistics.median(timings), 3),
            suggestion_s_max=round(max(timings), 3), loans=len(plan.loans),
            officers_lent=sum(loan.officers for loan in plan.loans),
            shortfalls=len(plan.shortfalls), unmet=len(plan.unmet),
        )
        print(f"  suggestion over {len(days)} branches: median "
              f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms; "
              f"{len(plan.shortfalls)} shortfalls, {len(plan.loans)} loans "
              f"({figures['officers_lent']} officers), {len(plan.unmet)} left unmet")
        for line in plan.describe()[:3]:
            print(f"    {line}")
        heads_engine = create_store_engine(central)
        heads.set_head(heads_engine, "kakanwil", "Kepala Wilayah", "bench-password-1")
        # The page while the board keeps reading every 5 s in its own thread, as in service.
        app = create_regional_app(board, heads_engine, "Bench region", refresh_seconds=5.0,
                                  clock=clock, secure_cookie=False)
        with serve(app) as base, requests.Session() as client:
            client.post(f"{base}/login", timeout=30,
                        data={"login": "kakanwil", "password": "bench-password-1"})
            client.get(f"{base}/", timeout=30)
            latencies = []
            for _ in range(count):
                started = time.perf_counter()
                page = client.get(f"{base}/", timeout=30)
                latencies.append((time.perf_counter() - started) * 1000)
                if page.status_code != 200 or codes[-1] not in page.text:
                    raise RuntimeError(f"the board page failed: {page.status_code}")
        heads_engine.dispose()
        figures.update(page_p50_ms=round(quantile(latencies, 0.5), 1),
                       page_p99_ms=round(quantile(latencies, 0.99), 1),
                       page_kb=round(len(page.content) / 1024))
        print(f"  board page over HTTP, {count} requests while it refreshes every 5 s: "
              f"p50 {figures['page_p50_ms']} ms, p99 {figures['page_p99_ms']} ms "
              f"({figures['page_kb']} kB) — target p99 ≤ {TARGET_PAGE_P99_MS:.0f} ms")
    return figures


# -- 2. replication at a peak morning --------------------------------------------------------------


_LAG = """
SELECT s.slot_name, pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint,
       extract(epoch FROM r.replay_lag)
FROM pg_replication_slots s LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
WHERE s.slot_type = 'logical' AND s.slot_name LIKE 'antrean_region_%'
"""


def publish(servers: Servers, codes: list[str]) -> dict[str, str]:
    urls = {}
    for code in codes:
        url = create_database(servers.branches, f"branch_{code.lower()}")
        new_branch_database(url, code)
        add_branch(servers.central.url(), code, url)
        urls[code] = url
    for code, url in urls.items():
        wait_until_caught_up(servers.central.url(), code, url, timeout=300)
    return urls


def measure_replication(servers: Servers, publishers: int) -> dict[str, Any]:
    codes = [f"P{index + 1:02d}" for index in range(publishers)]
    started = time.perf_counter()
    urls = publish(servers, codes)
    print(f"  {publishers} branches published and subscribed, initial copies done in "
          f"{time.perf_counter() - started:.0f} s")
    samples_bytes: list[float] = []
    samples_seconds: list[float] = []
    done = threading.Event()

    def sample() -> None:
        with admin(servers.branches.url()) as connection:
            while not done.is_set():
                for _slot, lag, replay in connection.execute(_LAG).fetchall():
                    samples_bytes.append(float(lag or 0))
                    if replay is not None:
                        samples_seconds.append(float(replay))
                done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    jobs = [(urls[code], code, "monday-peak", 10 + index, MONDAY.isoformat(),
             MORNING_END.isoformat()) for index, code in enumerate(codes)]
    started = time.perf_counter()
    walls = run_parallel(jobs, publishers)
    morning = time.perf_counter() - started
    ended = time.perf_counter()
    caught = [wait_until_caught_up(servers.central.url(), code, urls[code], timeout=600)
              for code in codes]
    done.set()
    sampler.join()
    settle = time.perf_counter() - ended
    equal = all(_counts(urls[code]) == _counts(copy_url(servers.central.url(), code))
                for code in codes)
    figures = {
        "publishers": publishers, "morning_wall_s": round(morning, 1),
        "lag_p50_s": round(quantile(samples_seconds, 0.5), 3),
        "lag_p99_s": round(quantile(samples_seconds, 0.99), 3),
        "lag_max_s": round(max(samples_seconds, default=float("nan")), 3),
        "lag_p99_kb": round(quantile(samples_bytes, 0.99) / 1024),
        "caught_up_after_s": round(max(caught) if caught else 0.0, 2),
        "settle_s": round(settle, 2), "copies_equal": equal, "samples": len(samples_seconds),
    }
    tickets = sum(_counts(url)[0] for url in urls.values())
    print(f"  {publishers} Monday-peak mornings (to 10:00) at once: {tickets} tickets in "
          f"{morning:.0f} s (each branch's morning took {min(walls):.0f}–{max(walls):.0f} s)")
    print(f"  replay lag over {len(samples_seconds)} samples: p50 {figures['lag_p50_s']} s, "
          f"p99 {figures['lag_p99_s']} s, max {figures['lag_max_s']} s; unconfirmed WAL p99 "
          f"{figures['lag_p99_kb']} kB (the cluster's WAL: all {publishers} branches share it)")
    print(f"  every copy caught up {settle:.1f} s after the last morning ended; copies equal "
          f"their branches (tickets, events, survey answers): {equal}")
    return figures


def _counts(url: str) -> tuple[int, int, int]:
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT (SELECT count(*) FROM tickets), (SELECT count(*) FROM events), "
            "(SELECT count(*) FROM survey_responses)").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


# -- 3. WAL and apply CPU per branch-day -----------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _apply_pid(servers: Servers, code: str) -> int | None:
    with admin(servers.central.url()) as connection:
        row = connection.execute(
            "SELECT pid FROM pg_stat_subscription WHERE subname = %s AND relid IS NULL "
            "AND pid IS NOT NULL", (f"antrean_region_{code.lower()}",)).fetchone()
    return int(row[0]) if row else None


def measure_day(servers: Servers, code: str, scenario: str) -> dict[str, Any]:
    url = publish(servers, [code])[code]
    copy = copy_url(servers.central.url(), code)
    size_before = _database_size(copy)
    branch_before, central_before = wal_position(servers.branches), wal_position(servers.central)
    pid = _apply_pid(servers, code)
    cpu_before = _cpu_seconds(pid) if pid else None
    wall = simulate(url, code, scenario, 99, MONDAY.isoformat(), "")
    wait_until_caught_up(servers.central.url(), code, url, timeout=600)
    branch_wal = wal_position(servers.branches) - branch_before
    central_wal = wal_position(servers.central) - central_before
    cpu = _cpu_seconds(pid) - cpu_before if pid and cpu_before is not None else None
    tickets, events, answers = _counts(url)
    figures = {
        "scenario": scenario, "tickets": tickets, "events": events,
        "branch_wal_mb": round(branch_wal / 2**20, 1),
        "central_wal_mb": round(central_wal / 2**20, 1),
        "copy_growth_mb": round((_database_size(copy) - size_before) / 2**20, 1),
        "apply_cpu_s": None if cpu is None else round(cpu, 2), "simulated_in_s": round(wall),
    }
    print(f"  a whole {scenario} day ({tickets} tickets, {events} events, {answers} survey "
          f"answers): branch WAL {figures['branch_wal_mb']} MB, central WAL "
          f"{figures['central_wal_mb']} MB, copy grew {figures['copy_growth_mb']} MB, apply "
          f"worker CPU {figures['apply_cpu_s']} s")
    return figures


def _database_size(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT pg_database_size(current_database())").fetchone()
    assert row is not None
    return int(row[0])


# -- the arithmetic -------------------------------------------------------------------------------


def sizing(board: dict[str, Any], peak: dict[str, Any], calm: dict[str, Any]) -> dict[str, Any]:
    n = REGION_BRANCHES
    central_wal_gb = peak["central_wal_mb"] * n / 1024
    copy_gb_year = peak["copy_growth_mb"] * n * 250 / 1024
    cpu = peak["apply_cpu_s"] or 0.0
    cores = cpu * n / (OPEN_HOURS * 3600)
    refresh_300 = board["refresh_warm_s_per_read"] * n / board["branches"]
    lines = [
        f"apply workers: one per branch = {n}; max_logical_replication_workers ≥ {n} + 4 "
        f"(table-sync workers while branches are added, a few at a time) = {n + 4}",
        f"max_worker_processes ≥ {n + 4} + 1 launcher + 8 parallel query = {n + 13}",
        f"max_replication_slots on the central ≥ {n} + 4 (PostgreSQL 15 counts each "
        f"subscription's replication origin against it) = {n + 4}; on each branch: 1 slot + 2 "
        "for the initial copy, max_wal_senders ≥ 3",
        f"connections: the board with one kept connection per copy needs {n} (+ status, "
        f"reports, admin ≈ 20): max_connections ≈ {n + 30}; connecting per reading needs 4 "
        f"(its workers) and reads {n} branches in ≈ {refresh_300:.0f} s",
        f"WAL: a Monday-peak branch-day writes {peak['branch_wal_mb']} MB at the branch and "
        f"{peak['central_wal_mb']} MB on the central (a calm day {calm['branch_wal_mb']} / "
        f"{calm['central_wal_mb']} MB): {n} peak days ≈ {central_wal_gb:.1f} GB of WAL a day "
        "on the central",
        f"copies grow {peak['copy_growth_mb']} MB per peak branch-day: ≈ {copy_gb_year:.0f} GB "
        f"a year for {n} branches at 250 peak days (an upper bound)",
        f"apply CPU: {cpu} s per peak branch-day → {n} branches ≈ {cores:.3f} core on average "
        f"over {OPEN_HOURS:.0f} open hours (×3 in the morning peak ≈ {cores * 3:.3f})",
    ]
    for line in lines:
        print(f"  {line}")
    return {"branches": n, "max_logical_replication_workers": n + 4,
            "max_worker_processes": n + 13, "max_replication_slots": n + 4,
            "max_connections_kept": n + 30, "central_wal_gb_per_day": round(central_wal_gb, 1),
            "copies_gb_per_year": round(copy_gb_year), "apply_cores_mean": round(cores, 4),
            "lines": lines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=100)
    parser.add_argument("--publishers", type=int, default=10)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--board-only", action="store_true",
                        help="only part 1: the board, its page and the suggestion")
    args = parser.parse_args()
    _cheap_hashing()
    started = time.perf_counter()
    servers, context = start_clusters()
    try:
        print(f"1. {args.branches} branch copies on one central cluster")
        build_copies(servers, args.branches)
        board = measure_board(servers, args.requests)
        if args.board_only:
            print(json.dumps({"board": board, "load_average": os.getloadavg()}))
            return 0
        print(f"2. replication: {args.publishers} publishing branches at a peak morning")
        replication = measure_replication(servers, args.publishers)
        print("3. WAL per branch-day (one branch alone)")
        peak = measure_day(servers, "W1", "monday-peak")
        calm = measure_day(servers, "W2", "calm-day")
        print(f"4. one central server for {REGION_BRANCHES} branches")
        sized = sizing(board, peak, calm)
    finally:
        context.__exit__(None, None, None)
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; whole run "
          f"{time.perf_counter() - started:.0f} s")
    print(json.dumps({
        "board": board, "replication": replication, "peak_day": peak, "calm_day": calm,
        "sizing": {key: value for key, value in sized.items() if key != "lines"},
        "page_p99_met": board["page_p99_ms"] <= TARGET_PAGE_P99_MS,
        "suggestion_met": board["suggestion_s_max"] < TARGET_SUGGESTION_S,
        "load_average": [round(value, 1) for value in load],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
