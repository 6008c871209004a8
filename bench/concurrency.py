"""A busy branch as real processes: how long visitors and officers wait, whether the calls follow
the numbers, and how many connections PostgreSQL holds.

    python -m bench.concurrency [--seconds 30] [--postgres URL] [--only postgres|sqlite]

PostgreSQL: 50 counter processes and 4 kiosk processes. SQLite (one PC): 8 counters, 2 kiosks
and a process booking online through the booking service, as the web service does. Every
process opens its store as its app does (its role's connection budget) with its change watcher
running on a thread, all on one timeline (a Monday morning, ANTREAN_CLOCK) so the run never
straddles a business day. Kiosks issue walk-in tickets into two services at a steady pace;
each counter, serving both services, presses call next, serves the visitor a few seconds
(compressed), starts and finishes, and presses again (a second later when nobody waited).
Before the run each database gets a queue of waiting visitors, so the counters start busy.

Printed per database: issue, call-next and booking latency (p50 / p99 / max, each the whole
service call as the app makes it, retries included), errors, out-of-order calls, and on
PostgreSQL the peak number of connections to the database (sampled every 0.2 s). A call is
out of order when it called a number while a smaller number of the same service had been
issued before the call began and was still waiting after it ended (not being called by
another counter meanwhile): the visitor holding it saw a later number go first. The last line
is one JSON object with the figures. Targets (issue 17): no out-of-order call; on SQLite
p99 <= 250 ms and max <= 1 s for issue and call next; PostgreSQL within 100 connections.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from sqlalchemy.engine import make_url

from shared.changes import watch_changes
from shared.clock import CLOCK_ENV, CLOCK_SET_AT_ENV
from shared.config import parse_branch_config
from shared.domain.labels import parse_label
from shared.services import serving
from shared.services.booking_offer import booking_days, booking_slots
from shared.services.bookings import book
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.officers import add_officer, use_hasher
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.schema import upgrade_database

BRANCH = "LOAD"
SERVICES = ("JHT", "JKM")
MONDAY_0900 = "2026-11-23T09:00:00+07:00"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/antrean_bench_concurrency"
IDLE_SECONDS = 1.0  # an officer whom call next gave nobody looks again a second later
GATE_SECONDS = 600.0  # only a hung or dead process makes the others wait this long


@dataclass(frozen=True)
class Setup:
    database: str
    url: str
    counters: int
    kiosks: int
    booking: bool
    kiosk_interval: float  # seconds between one kiosk's tickets
    queued: int  # visitors already waiting when the run starts
    serve_seconds: tuple[float, float]  # a visit, compressed


SETUPS = {
    "postgresql": Setup("postgresql", DEFAULT_POSTGRES, counters=50, kiosks=4, booking=False,
                        kiosk_interval=0.15, queued=300, serve_seconds=(3.0, 8.0)),
    "sqlite": Setup("sqlite", "", counters=8, kiosks=2, booking=True, kiosk_interval=0.3,
                    queued=30, serve_seconds=(1.0, 2.5)),
}


@dataclass
class Report:
    """One process's run: what it did and how long each service call took."""

    kind: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    # kiosks: (service, number, issued by); counters: (service, number, call began, call ended)
    tickets: list[tuple[Any, ...]] = field(default_factory=list)


def branch_text(counters: int) -> str:
    days = "\n".join(f'{day} = ["07:00", "17:00"]'
                     for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    desks = "\n".join(f'[[counters]]\nnumber = {n}\nservices = ["JHT", "JKM"]\n'
                      for n in range(1, counters + 1))
    return f"""
[branch]
code = "{BRANCH}"
name = "Kantor Cabang Beban"
timezone = "Asia/Jakarta"
[branch.opening_hours]
{days}

[booking]
days_ahead = 14

[[services]]
code = "JHT"
prefix = "A"
name_id = "Klaim JHT"
name_en = "JHT claim"
mean_service_minutes = 10

[[services]]
code = "JKM"
prefix = "B"
name_id = "Klaim JKM"
name_en = "JKM claim"
mean_service_minutes = 15

{desks}
"""


# -- the processes ------------------------------------------------------------------------------
def watching(store: Store, stop: threading.Event) -> None:
    """The app's change watcher, on its own thread, as the apps run it."""
    watcher = watch_changes(store, BRANCH)
    try:
        while not stop.is_set():
            watcher.wait(0.2)
    finally:
        watcher.close()


def timed(report: Report, action: Any, store: Store) -> Any:
    began = time.perf_counter()
    try:
        result = attempt(store, BRANCH, action)
    except Exception:  # counted and reported; the process carries on
        report.errors += 1
        return None
    report.latencies.append(time.perf_counter() - began)
    return result


def run_process(kind: str, url: str, role: str, args: tuple[Any, ...], seconds: float,
                gate: Barrier, reports: Queue[Report]) -> None:
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    store = open_store(url, role=role)
    stop = threading.Event()
    watcher = threading.Thread(target=watching, args=(store, stop), daemon=True)
    watcher.start()
    report = Report(kind)
    rng = random.Random(f"{kind}{args}")
    gate.wait(GATE_SECONDS)
    until = time.monotonic() + seconds
    try:
        if kind == "counter":
            counter_loop(store, report, rng, until, *args)
        elif kind == "kiosk":
            kiosk_loop(store, report, rng, until, *args)
        else:
            booking_loop(store, report, rng, until, *args)
    finally:
        stop.set()
        watcher.join(2.0)
        store.dispose()
        reports.put(report)


def counter_loop(store: Store, report: Report, rng: random.Random, until: float, number: int,
                 officer: int, serve_seconds: tuple[float, float]) -> None:
    while time.monotonic() < until:
        began = time.time()
        ticket = timed(report, lambda uow: call_next(uow, number, officer), store)
        ended = time.time()
        if ticket is None:
            time.sleep(IDLE_SECONDS)
            continue
        report.tickets.append((ticket.service_code, parse_label(ticket.label)[1], began, ended))
        time.sleep(rng.uniform(*serve_seconds))
        attempt(store, BRANCH, lambda uow: serving.start(uow, number, officer))
        attempt(store, BRANCH, lambda uow: serving.finish(uow, number, officer))


def kiosk_loop(store: Store, report: Report, rng: random.Random, until: float, name: str,
               interval: float) -> None:
    while time.monotonic() < until:
        service = rng.choice(SERVICES)
        ticket = timed(report, lambda uow, chosen=service: issue_ticket(
            uow, chosen, kiosk=name, admission=Admission.ANY_HOUR), store)
        if ticket is not None:
            report.tickets.append((service, parse_label(ticket.label)[1], time.time()))
        time.sleep(rng.uniform(0.5, 1.5) * interval)


def booking_loop(store: Store, report: Report, rng: random.Random, until: float,
                 interval: float) -> None:
    """Visitors booking online, each with a NIK of their own, the first slot with room."""
    serial = 0
    while time.monotonic() < until:
        serial += 1
        nik = f"320101{rng.randint(1, 28):02d}0190{serial:04d}"

        def booking(uow: Any, nik: str = nik) -> Any:
            for day in booking_days(uow, "JHT")[1:]:
                for slot in booking_slots(uow, "JHT", day):
                    if slot.free:
                        return book(uow, "JHT", day, slot.start, nik, "081234567890")
            return None

        timed(report, booking, store)
        time.sleep(rng.uniform(0.5, 1.5) * interval)


# -- the run ------------------------------------------------------------------------------------
def prepare(setup: Setup, folder: Path) -> tuple[str, dict[int, int]]:
    """A fresh database with the branch, its counters open, and a queue already waiting."""
    url = setup.url or f"sqlite:///{folder / 'load.db'}"
    if setup.database == "postgresql":
        admin = make_url(url).set(drivername="postgresql", database="postgres")
        name = make_url(url).database
        with psycopg.connect(admin.render_as_string(hide_password=False),
                             autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    store = open_store(url)
    try:
        upgrade_database(store.engine)
        apply_branch_config(store, parse_branch_config(branch_text(setup.counters), "load.toml"))
        officer_at = {}
        for number in range(1, setup.counters + 1):
            officer = attempt(store, BRANCH, lambda uow, n=number: add_officer(
                uow, f"petugas{n}", f"Petugas {n}", "officer", "1234"))
            attempt(store, BRANCH, lambda uow, n=number, o=officer.id: open_counter(uow, n, o))
            officer_at[number] = officer.id
        for index in range(setup.queued):
            attempt(store, BRANCH, lambda uow, i=index: issue_ticket(
                uow, SERVICES[i % 2], kiosk="kiosk-0", admission=Admission.ANY_HOUR))
    finally:
        store.dispose()
    return url, officer_at


def peak_connections(url: str, stop: threading.Event, peak: list[int]) -> None:
    plain = make_url(url).set(drivername="postgresql")
    database = plain.database
    with psycopg.connect(plain.render_as_string(hide_password=False),
                         autocommit=True) as connection:
        while not stop.is_set():
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)).fetchone()
            peak[0] = max(peak[0], int(row[0]) if row else 0)
            stop.wait(0.2)


def run(setup: Setup, seconds: float, folder: Path) -> dict[str, Any]:
    url, officer_at = prepare(setup, folder)
    spawn = multiprocessing.get_context("spawn")
    plan: list[tuple[str, str, tuple[Any, ...]]] = [
        ("counter", "counter", (number, officer, setup.serve_seconds))
        for number, officer in officer_at.items()
    ]
    plan += [("kiosk", "kiosk", (f"kiosk-{n}", setup.kiosk_interval))
             for n in range(1, setup.kiosks + 1)]
    if setup.booking:
        plan.append(("booking", "web", (1.0,)))
    gate = spawn.Barrier(len(plan) + 1)
    reports: Queue[Report] = spawn.Queue()
    workers = [spawn.Process(target=run_process, name=f"{kind}-{i}",
                             args=(kind, url, role, args, seconds, gate, reports))
               for i, (kind, role, args) in enumerate(plan)]
    stop, peak = threading.Event(), [0]
    sampler = None
    if setup.database == "postgresql":
        sampler = threading.Thread(target=peak_connections, args=(url, stop, peak), daemon=True)
        sampler.start()
    for worker in workers:
        worker.start()
    try:
        gate.wait(GATE_SECONDS)
        load_before = os.getloadavg()
        collected = [reports.get(timeout=seconds + GATE_SECONDS) for _ in workers]
        load_after = os.getloadavg()
        for worker in workers:
            worker.join(60)
    finally:
        stop.set()
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join()
    if sampler is not None:
        sampler.join(2)
    return figures(setup, collected, peak[0], load_before, load_after)


def spread(latencies: list[float]) -> dict[str, float | int]:
    if not latencies:
        return {"count": 0}
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return {"count": len(ordered), "p50_ms": round(1000 * statistics.median(ordered), 1),
            "p99_ms": round(1000 * p99, 1), "max_ms": round(1000 * ordered[-1], 1)}


def out_of_order(issued: dict[tuple[str, int], float],
                 calls: dict[tuple[str, int], tuple[float, float]]) -> int:
    """Calls that took a number while a smaller one of its service, issued before the call
    began, stayed waiting until after it ended."""
    count = 0
    by_service: dict[str, list[int]] = defaultdict(list)
    for service, number in issued:
        by_service[service].append(number)
    for service, numbers in by_service.items():
        numbers.sort()
        for later in numbers:
            call = calls.get((service, later))
            if call is None:
                continue
            began, ended = call
            for earlier in numbers:
                if earlier >= later:
                    break
                if issued[(service, earlier)] >= began:
                    continue
                other = calls.get((service, earlier))
                if other is None or other[0] > ended:
                    count += 1
                    break
    return count


def figures(setup: Setup, reports: list[Report], peak: int, load_before: tuple[float, ...],
            load_after: tuple[float, ...]) -> dict[str, Any]:
    kinds: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        kinds[report.kind].append(report)
    issued: dict[tuple[str, int], float] = {}
    for report in kinds["kiosk"]:
        for service, number, at in report.tickets:
            issued[(service, number)] = at
    calls: dict[tuple[str, int], tuple[float, float]] = {}
    for report in kinds["counter"]:
        for service, number, began, ended in report.tickets:
            calls[(service, number)] = (began, ended)
    # The queue waiting before the run was issued before every call.
    for service, number in calls:
        issued.setdefault((service, number), 0.0)
    result: dict[str, Any] = {
        "database": setup.database,
        "processes": {kind: len(found) for kind, found in kinds.items()},
        "issue": spread([x for r in kinds["kiosk"] for x in r.latencies]),
        "call_next": spread([x for r in kinds["counter"] for x in r.latencies]),
        "errors": {kind: sum(r.errors for r in found) for kind, found in kinds.items()},
        "called": len(calls),
        "out_of_order_calls": out_of_order(issued, calls),
        "load_average": [round(load_before[0], 1), round(load_after[0], 1)],
    }
    if kinds["booking"]:
        result["booking"] = spread([x for r in kinds["booking"] for x in r.latencies])
    if setup.database == "postgresql":
        result["peak_connections"] = peak
    return result


def show(result: dict[str, Any]) -> None:
    print(f"== {result['database']}: {result['processes']}, {result['called']} calls, "
          f"load average {result['load_average'][0]} -> {result['load_average'][1]}")
    for name in ("issue", "call_next", "booking"):
        if name in result:
            s = result[name]
            print(f"   {name:9} n={s['count']:5}  p50 {s.get('p50_ms', '-'):>7} ms  "
                  f"p99 {s.get('p99_ms', '-'):>7} ms  max {s.get('max_ms', '-'):>7} ms")
    print(f"   out-of-order calls: {result['out_of_order_calls']}; errors: {result['errors']}")
    if "peak_connections" in result:
        print(f"   peak connections to the database: {result['peak_connections']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each run")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES,
                        help="PostgreSQL URL; this database is dropped and created")
    parser.add_argument("--only", choices=["postgresql", "sqlite"], default=None)
    args = parser.parse_args(argv)
    # One timeline for every process: a Monday morning, whatever the hour of the run.
    os.environ[CLOCK_ENV] = MONDAY_0900
    os.environ[CLOCK_SET_AT_ENV] = datetime.now(UTC).isoformat()
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    results = []
    with tempfile.TemporaryDirectory(prefix="antrean-concurrency-") as folder:
        for name, setup in SETUPS.items():
            if args.only not in (None, name):
                continue
            if name == "postgresql":
                setup = Setup(**{**setup.__dict__, "url": args.postgres})
            result = run(setup, args.seconds, Path(folder))
            show(result)
            results.append(result)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

