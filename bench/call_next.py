"""Call-next throughput on PostgreSQL: our service layer against a raw single-statement baseline.

    python -m bench.call_next [--counters 50] [--tickets 5000] [--database URL]

One branch, one service, N counters each in its own process (spawn). Phase "ours": every counter
presses call next through `attempt(store, ..., call_next)` until it gets None. Phase "baseline":
on a fresh queue of the same size, every process runs one autocommitted
`UPDATE tickets ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id`.

Ours does more per call, and that is the honest comparison: it checks the officer and locks the
counter, records a `ticket.call` event, points the counter at the ticket, announces the change
(a NOTIFY in a short transaction of its own right after the commit, in the same round trip), and,
since a counter cannot call again while its visitor is still "called", marks the previous ticket
no-show (max_calls = 1) — one more UPDATE and event per call than a plain call.

Both queues are filled by one bulk INSERT (issuing is not measured); each process first makes up
to six untimed calls on a small warm-up queue. The database is created and dropped here. The
last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import queue
import secrets
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
from argon2 import PasswordHasher
from sqlalchemy import event, func, insert, select, text, update
from sqlalchemy.engine import make_url

from shared.config import parse_branch_config
from shared.domain.labels import format_label
from shared.services import fast_calling
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.officers import add_officer, use_hasher
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.models import Counter, DailySequence, Event, Service, Ticket
from shared.store.schema import upgrade_database
from shared.store.unit_of_work import UnitOfWork

BRANCH = "BENCH"
TARGET_RATIO = 0.7
WARM_UP_CALLS = 6  # psycopg prepares a statement on its 5th run; both paths start prepared
GATE_SECONDS = 1800.0  # only a dead or hung process makes the others wait this long
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/antrean_bench"

BASELINE_CALL = """
UPDATE tickets
   SET state = 'called', called_at = now(), first_called_at = coalesce(first_called_at, now()),
       call_count = call_count + 1, counter_id = %(counter)s, officer_id = %(officer)s
 WHERE id = (SELECT id FROM tickets
              WHERE branch_id = %(branch)s AND business_date = %(day)s
                AND service_id = %(service)s AND state = 'waiting'
              ORDER BY queued_at, id
              LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id
"""


@dataclass(frozen=True)
class Desk:
    """What one counter process needs: plain values, so they cross the spawn boundary."""

    url: str
    number: int
    counter_id: int
    officer_id: int
    branch_id: int
    service_id: int


@dataclass(frozen=True)
class Report:
    phase: str
    number: int
    latencies: list[float]
    first_start: float
    last_end: float
    ticket_ids: list[int]
    statements: int
    client_cpu: float  # seconds of this process's CPU during the timed run
    server_cpu: float | None  # its PostgreSQL server process's; None when not on this machine


# -- the counter processes -----------------------------------------------------------------------


def ours_until_empty(store: Store, desk: Desk, limit: int | None) -> tuple[list[float], list[int],
                                                                           float, float]:
    latencies, ids = [], []
    first = last = time.perf_counter()
    while limit is None or len(ids) < limit:
        started = time.perf_counter()
        ticket = attempt(store, BRANCH, lambda uow: call_next(uow, desk.number, desk.officer_id))
        ended = time.perf_counter()
        if ticket is None:
            break
        if not ids:
            first = started
        latencies.append(ended - started)
        ids.append(ticket.id)
        last = ended
    return latencies, ids, first, last


def baseline_until_empty(connection: psycopg.Connection[Any], desk: Desk, day: str,
                         limit: int | None) -> tuple[list[float], list[int], float, float]:
    values = {"counter": desk.counter_id, "officer": desk.officer_id, "branch": desk.branch_id,
              "day": day, "service": desk.service_id}
    latencies, ids = [], []
    first = last = time.perf_counter()
    while limit is None or len(ids) < limit:
        started = time.perf_counter()
        row = connection.execute(BASELINE_CALL, values).fetchone()
        ended = time.perf_counter()
        if row is None:
            break
        if not ids:
            first = started
        latencies.append(ended - started)
        ids.append(int(row[0]))
        last = ended
    return latencies, ids, first, last


def server_cpu_seconds(url: str, backend_pid: int) -> float | None:
    """CPU used so far by the PostgreSQL process serving us, read from /proc when the server
    runs on this machine; None otherwise."""
    if make_url(url).host not in (None, "", "127.0.0.1", "localhost", "::1"):
        return None
    try:
        fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def spent(url: str, backend_pid: int, before: tuple[float, float | None]) -> tuple[float,
                                                                                   float | None]:
    server = server_cpu_seconds(url, backend_pid)
    return (time.process_time() - before[0],
            None if server is None or before[1] is None else server - before[1])


def counter_process(desk: Desk, day: str, gate: Barrier, reports: Queue[Report]) -> None:
    """Warm up, wait at the gate, run; once for ours and once for the baseline."""
    # The database's clock, as in production on PostgreSQL, and a counter's connection budget:
    # one connection, which call next's stored procedure borrows in autocommit mode.
    store = open_store(desk.url, role="counter")
    statements = [0]

    def count_statement(*_: Any) -> None:
        statements[0] += 1

    event.listen(store.engine, "before_cursor_execute", count_statement)
    # The stored procedure runs through psycopg itself, where SQLAlchemy's cursor events do
    # not see it: count its runs instead.
    run_procedure = fast_calling._execute

    def counted_procedure(*args: Any) -> Any:
        count_statement()
        return run_procedure(*args)

    fast_calling._execute = counted_procedure  # type: ignore[assignment]
    gate.wait(GATE_SECONDS)  # warm-up queue is ready
    ours_until_empty(store, desk, WARM_UP_CALLS)
    with store.engine.connect() as connection:  # the one connection, reused by every call
        backend = connection.connection.driver_connection.info.backend_pid
    gate.wait(GATE_SECONDS)  # everyone is warm
    gate.wait(GATE_SECONDS)  # the measured queue is ready: go
    statements[0] = 0
    before = (time.process_time(), server_cpu_seconds(desk.url, backend))
    latencies, ids, first, last = ours_until_empty(store, desk, None)
    client, server = spent(desk.url, backend, before)
    reports.put(Report("ours", desk.number, latencies, first, last, ids, statements[0], client,
                       server))
    store.dispose()  # hand the connection back before opening the baseline's

    plain = make_url(desk.url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        gate.wait(GATE_SECONDS)  # baseline warm-up queue is ready
        baseline_until_empty(connection, desk, day, WARM_UP_CALLS)
        backend = connection.info.backend_pid
        gate.wait(GATE_SECONDS)
        gate.wait(GATE_SECONDS)
        before = (time.process_time(), server_cpu_seconds(desk.url, backend))
        latencies, ids, first, last = baseline_until_empty(connection, desk, day, None)
        client, server = spent(desk.url, backend, before)
        reports.put(Report("baseline", desk.number, latencies, first, last, ids, len(ids),
                           client, server))


# -- the parent: database, branch, queues, figures -------------------------------------------------


def branch_toml(counters: int) -> str:
    desks = "".join(f'[[counters]]\nnumber = {n}\nservices = ["JHT"]\n'
                    for n in range(1, counters + 1))
    days = ", ".join(f'{d} = ["00:00", "23:59"]'
                     for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    return f"""
[branch]
code = "{BRANCH}"
name = "Kantor Cabang Bench"
timezone = "Asia/Jakarta"
opening_hours = {{ {days} }}
[queue]
max_calls = 1
[[services]]
code = "JHT"
prefix = "A"
name_id = "Klaim JHT"
name_en = "JHT claim"
{desks}"""


def recreate_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{parsed.database}"')


def drop_database(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def staff_counters(store: Store, url: str, counters: int) -> list[Desk]:
    # Real argon2, cheap parameters: hashing 50 PINs is not what we measure.
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    apply_branch_config(store, parse_branch_config(branch_toml(counters), "bench.toml"))
    desks = []
    for n in range(1, counters + 1):
        officer = attempt(store, BRANCH, lambda uow, n=n: add_officer(
            uow, f"petugas{n}", f"Petugas {n}", "officer", "1234"))
        attempt(store, BRANCH, lambda uow, n=n, o=officer.id: open_counter(uow, n, o))
        with UnitOfWork(store, BRANCH) as uow:
            counter_id = uow.session.scalar(select(Counter.id).where(Counter.number == n))
            service_id = uow.session.scalar(select(Service.id).where(Service.code == "JHT"))
            desks.append(Desk(url, n, int(counter_id or 0), officer.id, uow.branch_id,
                              int(service_id or 0)))
    return desks


class Queues:
    """Fills waiting tickets in one INSERT, numbered on from the last fill."""

    def __init__(self, store: Store, desk: Desk) -> None:
        self.store, self.desk, self.last_number = store, desk, 0
        with UnitOfWork(store, BRANCH) as uow:
            self.day = uow.local_now().date()

    def fill(self, count: int) -> range:
        numbers = range(self.last_number + 1, self.last_number + count + 1)
        with UnitOfWork(self.store, BRANCH) as uow:
            now = uow.now()
            rows = [
                {"branch_id": self.desk.branch_id, "business_date": self.day,
                 "issued_service_id": self.desk.service_id, "service_id": self.desk.service_id,
                 "number": n, "label": format_label("A", n), "state": "waiting",
                 "priority": False, "token": secrets.token_urlsafe(16), "issued_at": now,
                 "queued_at": now + timedelta(microseconds=i), "kiosk": "bench",
                 "ahead_at_issue": i, "call_count": 0}
                for i, n in enumerate(numbers)
            ]
            uow.session.execute(insert(Ticket), rows)
            uow.session.execute(
                update(DailySequence).where(DailySequence.service_id == self.desk.service_id)
                .values(last_number=numbers[-1])
                if self.last_number else
                insert(DailySequence).values(service_id=self.desk.service_id,
                                             business_date=self.day,
                                             branch_id=self.desk.branch_id,
                                             last_number=numbers[-1]))
            uow.session.commit()
        self.last_number = numbers[-1]
        return numbers

    def retire_leftovers(self) -> None:
        """Warm-up tickets nobody called are cancelled, so they are not timed later."""
        with UnitOfWork(self.store, BRANCH) as uow:
            uow.session.execute(update(Ticket).where(Ticket.state == "waiting")
                                .values(state="cancelled"))
            uow.session.commit()

    def vacuum(self) -> None:
        # Both phases start from tidy tables: the first phase's dead rows do not slow the second.
        with self.store.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))

    def faults(self, numbers: range, phase: str, reports: list[Report]) -> tuple[int, int]:
        """(tickets called more than once, tickets still waiting) among these numbers."""
        in_batch = (Ticket.number >= numbers[0]) & (Ticket.number <= numbers[-1])
        with self.store.engine.connect() as connection:
            if phase == "ours":  # the audit trail: more than one call event for a ticket
                twice = (select(Event.ticket_id).join(Ticket, Ticket.id == Event.ticket_id)
                         .where(in_batch, Event.kind == "ticket.call")
                         .group_by(Event.ticket_id).having(func.count() > 1))
            else:
                twice = select(Ticket.id).where(in_batch, Ticket.call_count > 1)
            repeated = connection.execute(
                select(func.count()).select_from(twice.subquery())).scalar_one()
            waiting = connection.execute(select(func.count()).select_from(Ticket)
                                         .where(in_batch, Ticket.state == "waiting")).scalar_one()
        reported = [i for r in reports for i in r.ticket_ids]
        twice_reported = len(reported) - len(set(reported))
        return max(int(repeated), twice_reported), int(waiting)


def summarise(phase: str, reports: list[Report], double: int, lost: int) -> dict[str, Any]:
    latencies = sorted(x for r in reports for x in r.latencies)
    calls = len(latencies)
    busy = [r for r in reports if r.latencies]
    wall = max(r.last_end for r in busy) - min(r.first_start for r in busy) if busy else 0.0
    figures: dict[str, Any] = {
        "calls": calls,
        "seconds": round(wall, 3),
        "calls_per_s": round(calls / wall, 1) if wall else 0.0,
        "p50_ms": round(1000 * statistics.median(latencies), 2) if latencies else None,
        "p99_ms": round(1000 * latencies[min(calls - 1, int(0.99 * calls))], 2)
        if latencies else None,
        "double_calls": double,
        "lost": lost,
    }
    if calls:
        # Where the time goes: CPU per call in the counter processes and in their servers.
        figures["client_cpu_ms_per_call"] = round(
            1000 * sum(r.client_cpu for r in reports) / calls, 2)
        server = [r.server_cpu for r in reports]
        figures["server_cpu_ms_per_call"] = (
            None if None in server else round(1000 * sum(x or 0.0 for x in server) / calls, 2))
    if phase == "ours" and calls:
        figures["statements_per_call"] = round(sum(r.statements for r in reports) / calls, 2)
    print(f"{phase:>8}: {calls} calls in {figures['seconds']} s = {figures['calls_per_s']} "
          f"calls/s; latency p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms; "
          f"double calls {double}, lost {lost}", flush=True)
    if calls:
        print(f"{'':>10}CPU per call: {figures['client_cpu_ms_per_call']} ms in the counter "
              f"process, {figures['server_cpu_ms_per_call']} ms in PostgreSQL", flush=True)
    return figures


def run_phase(phase: str, queues: Queues, counters: int, tickets: int, gate: Barrier,
              results: Queue[Report], workers: list[Any]) -> dict[str, Any]:
    gate.wait(GATE_SECONDS)  # the warm-up queue (filled by the caller) is ready
    gate.wait(GATE_SECONDS)  # every counter is warm
    queues.retire_leftovers()
    queues.vacuum()
    numbers = queues.fill(tickets)
    gate.wait(GATE_SECONDS)  # go
    reports = []
    while len(reports) < counters:
        try:
            reports.append(results.get(timeout=1.0))
        except queue.Empty:  # see whether a counter died, then keep waiting
            dead = [w.name for w in workers if w.exitcode not in (None, 0)]
            if dead:
                raise SystemExit(f"counter processes failed: {', '.join(dead)}") from None
    double, lost = queues.faults(numbers, phase, reports)
    return summarise(phase, reports, double, lost)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=50, help="concurrent counters (1-99)")
    parser.add_argument("--tickets", type=int, default=5000, help="queue length per phase")
    parser.add_argument("--database", default=DEFAULT_DATABASE,
                        help="PostgreSQL URL; this database is dropped and created")
    args = parser.parse_args(argv)
    if not 1 <= args.counters <= 99 or args.tickets < args.counters:
        parser.error("use 1-99 counters and at least as many tickets as counters")
    url = args.database
    if make_url(url).get_backend_name() != "postgresql":
        parser.error("this benchmark runs on PostgreSQL only")

    began, load_before = time.perf_counter(), os.getloadavg()[0]
    recreate_database(url)
    store = open_store(url)
    upgrade_database(store.engine)
    spawn = multiprocessing.get_context("spawn")
    workers: list[Any] = []
    try:
        desks = staff_counters(store, url, args.counters)
        queues = Queues(store, desks[0])
        gate = spawn.Barrier(args.counters + 1)
        results: Queue[Report] = spawn.Queue()
        workers = [spawn.Process(target=counter_process, name=f"counter-{d.number}",
                                 args=(d, queues.day.isoformat(), gate, results))
                   for d in desks]
        print(f"PostgreSQL {store.engine.url.host}/{store.engine.url.database}: "
              f"{args.counters} counters, {args.tickets} tickets per phase", flush=True)
        for worker in workers:
            worker.start()
        queues.fill(WARM_UP_CALLS * args.counters)
        ours = run_phase("ours", queues, args.counters, args.tickets, gate, results, workers)
        queues.retire_leftovers()
        queues.fill(WARM_UP_CALLS * args.counters)
        baseline = run_phase("baseline", queues, args.counters, args.tickets, gate, results,
                             workers)
        for worker in workers:
            worker.join(timeout=60)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()
                worker.join()
        store.dispose()
        drop_database(url)

    ratio = ours["calls_per_s"] / baseline["calls_per_s"] if baseline["calls_per_s"] else 0.0
    double = ours["double_calls"] + baseline["double_calls"]
    lost = ours["lost"] + baseline["lost"]
    took, load_after = time.perf_counter() - began, os.getloadavg()[0]
    print(f"   ratio: ours/baseline throughput {ratio:.2f} (target >= {TARGET_RATIO})")
    # The load average says whether something else shared the machine during the run.
    print(f"     run: {took:.0f} s; load average {load_before:.1f} before, {load_after:.1f} after")
    print(json.dumps({
        "benchmark": "call_next", "counters": args.counters, "tickets": args.tickets,
        "ours": ours, "baseline": baseline, "ratio": round(ratio, 3), "target": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO, "double_calls": double, "lost": lost,
        "run_seconds": round(took, 1),
        "load_average": [round(load_before, 2), round(load_after, 2)],
    }))
    return 1 if double or lost else 0


if __name__ == "__main__":
    sys.exit(main())
