"""The notify worker on PostgreSQL: messages a minute across a kill -9 and a gateway outage,
and the time from "call next" to the message leaving the outbox.

    python -m bench.notify [--messages 1000] [--per-minute 1000] [--calls 120] [--database URL]

Part 1, delivery: visitors whose visit is over (one survey link each to send) are queued at
`--per-minute` into the outbox for as long as `--messages` takes, while `antrean notify` (a
real process, the channel a local HTTP gateway that takes an idempotency key) sends them. A
third of the way in the worker is killed with SIGKILL and started again; at two thirds the
gateway answers 503 for eight seconds. Printed: messages a minute achieved (first queued to
last delivered), duplicates (an outbox row delivered under two keys, or a key delivered
twice), lost (queued, never delivered), and the retries the gateway's idempotency absorbed.

Part 2, call to message: `--calls` subscribed visitors are called one after another at three
counters through the service layer (PostgreSQL's stored procedure), each counter every 2 s
(its previous visitor then marked no-show); the worker wakes on the change notice the call
sends. Printed: p50 and p99 from the call's return to the gateway receiving its "dipanggil —
silakan ke Loket N" (target p99 <= 2 s), and how many were dropped as too late because the
counter's next call came first.

The database named in `--database` is dropped, created, migrated, used and dropped again. The
last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from bench.call_next import drop_database, recreate_database
from shared.changes.watcher import WATCHER_NAME
from shared.clock import CLOCK_ENV, CLOCK_SET_AT_ENV, ShiftedClock
from shared.config.notifying import ChannelSettings, SmsGatewaySettings
from shared.domain.labels import format_label
from shared.services import notifications
from shared.services.calling import call_next
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.officers import add_officer, use_hasher
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.models import NotificationSubscription, OutboxMessage, Service, Ticket
from shared.store.schema import upgrade_database
from shared.store.unit_of_work import UnitOfWork
from tests.support.branches import small_branch
from tests.support.clocks import clock_variables
from tests.support.gateway import GATEWAY_URL_ENV, FakeGateway

BRANCH = "TST"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/antrean_bench_notify"
VIA = "sms=tests.support.gateway:channel_from_environment"
TARGET_PER_MINUTE = 1000
TARGET_P99_SECONDS = 2.0
OUTAGE_SECONDS = 8.0
COUNTERS = 3  # the small branch's counters that serve JHT
# Each counter calls this often; its previous visitor is then marked no-show (max_calls = 1),
# and a "called" message not sent by then is dropped as too late, and counted.
CALL_EVERY_SECONDS = 2.0


def prepare(store: Store) -> dict[int, int]:
    """The branch with SMS through the gateway, and its counters open: officer id by counter."""
    config = small_branch()
    config = config.model_copy(update={
        "channels": ChannelSettings(sms_gateway=SmsGatewaySettings(
            enabled=True, url="http://127.0.0.1:9/unused", idempotency_header="Idempotency-Key")),
        # The worker is measured, not the rate limit; 'near' is left out of part 2's count.
        "messages": config.messages.model_copy(update={
            "sms_per_minute": 100000, "kinds": ["called", "missed", "survey"]}),
        "queue": config.queue.model_copy(update={"max_calls": 1}),
    })
    apply_branch_config(store, config)
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    officers = {}
    for number in range(1, COUNTERS + 1):
        officer = attempt(store, BRANCH, lambda uow, n=number: add_officer(
            uow, f"petugas{n}", f"Petugas {n}", "officer", "1234"))
        attempt(store, BRANCH, lambda uow, n=number, o=officer.id: open_counter(uow, n, o))
        officers[number] = officer.id
    return officers


Visit = tuple[int, int, str, str]  # subscription id, ticket id, label, token


def finished_visits(store: Store, count: int) -> list[Visit]:
    """`count` visitors being served, each with an SMS subscription (written in bulk: issuing
    and calling are not what is measured)."""
    with UnitOfWork(store, BRANCH) as uow:
        service = uow.session.scalars(select(Service).where(Service.code == "JKM")).one()
        now, today = uow.now(), uow.local_now().date()
        tickets = [Ticket(
            branch_id=uow.branch_id, business_date=today, issued_service_id=service.id,
            service_id=service.id, number=n, label=format_label(service.prefix, n),
            state="serving", token=secrets.token_urlsafe(16), issued_at=now, queued_at=now,
            called_at=now, started_at=now,
        ) for n in range(1, count + 1)]
        uow.session.add_all(tickets)
        uow.session.flush()
        subscriptions = [NotificationSubscription(
            branch_id=uow.branch_id, ticket_id=t.id, channel="sms", address="+6281234567890",
            language="id", consented_at=now) for t in tickets]
        uow.session.add_all(subscriptions)
        uow.session.flush()
        visits = [(s.id, t.id, t.label, t.token)
                  for s, t in zip(subscriptions, tickets, strict=True)]
        uow.commit()
    return visits


def queue_surveys(store: Store, visits: list[Visit], per_minute: int,
                  queued_at: dict[int, float]) -> None:
    """Finish the visits at `per_minute`, a few every quarter second, each batch in a
    transaction of its own that also queues their survey links (as finishing does)."""
    step = 0.25
    start = time.monotonic()
    sent = 0
    tick = 0
    while sent < len(visits):
        tick += 1
        upto = min(len(visits), math.ceil(tick * step * per_minute / 60.0))
        batch = visits[sent:upto]
        with UnitOfWork(store, BRANCH) as uow:
            now = uow.now()
            uow.session.execute(update(Ticket).where(Ticket.id.in_([v[1] for v in batch]))
                                .values(state="done", finished_at=now, outcome="completed"))
            rows = [OutboxMessage(
                branch_id=uow.branch_id, kind="survey", subscription_id=sid,
                ticket_id=tid, dedupe_key=f"survey:{tid}:{sid}",
                parameters={"label": label, "token": token}, due_at=now,
                state="pending", attempts=0, next_attempt_at=now, last_error="",
                drop_reason="", created_at=now) for sid, tid, label, token in batch]
            uow.session.add_all(rows)
            uow.session.flush()
            ids = [r.id for r in rows]
            uow.commit()
        stamp = time.monotonic()
        for outbox_id in ids:
            queued_at[outbox_id] = stamp
        sent = upto
        time.sleep(max(0.0, start + tick * step - time.monotonic()))


class Worker:
    """`antrean notify` as a child process, the gateway carrying SMS."""

    def __init__(self, store: Store, gateway: FakeGateway, timeline: dict[str, str]) -> None:
        self.command = [sys.executable, "-m", "shared.cli.main", "--database", store.url,
                        "--branch", BRANCH, "notify", "--via", VIA]
        self.env = {**os.environ, **timeline, GATEWAY_URL_ENV: gateway.url}
        self.process: subprocess.Popen[bytes] | None = None
        # Its warnings (failed attempts, by id and kind only), kept for a run that goes wrong.
        handle, self.log = tempfile.mkstemp(prefix="antrean-notify-", suffix=".log")
        os.close(handle)

    def start(self) -> None:
        with open(self.log, "ab") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(self.command, env=self.env,
                                            stdout=subprocess.DEVNULL, stderr=log)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def outbox_states(store: Store) -> dict[str, int]:
    with UnitOfWork(store, BRANCH, read_only=True) as uow:
        return dict(uow.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())


def wait_until(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def delivery(store: Store, gateway: FakeGateway, worker: Worker, messages: int,
             per_minute: int) -> dict[str, Any]:
    visits = finished_visits(store, messages)
    queued_at: dict[int, float] = {}
    producer = threading.Thread(target=queue_surveys,
                                args=(store, visits, per_minute, queued_at))
    span = messages / per_minute * 60.0
    worker.start()
    began = time.monotonic()
    producer.start()
    time.sleep(span / 3)
    worker.kill()
    killed_at = time.monotonic() - began
    print(f"  killed the worker (SIGKILL) at {killed_at:.1f} s, "
          f"{gateway.deliveries()} delivered so far", flush=True)
    worker.start()
    time.sleep(max(0.0, began + 2 * span / 3 - time.monotonic()))
    gateway.down = True
    print(f"  gateway down at {time.monotonic() - began:.1f} s for {OUTAGE_SECONDS:.0f} s",
          flush=True)
    time.sleep(OUTAGE_SECONDS)
    gateway.down = False
    producer.join()
    done = wait_until(lambda: outbox_states(store).get("sent", 0) >= messages, 120)
    if not done:
        print(f"  not all sent: {outbox_states(store)}; the worker's log: {worker.log}")
    worker.stop()
    with gateway.lock:
        keys = dict(gateway.delivered)
        arrivals = dict(gateway.arrival)
        requests = sum(gateway.requests.values())
        refused = gateway.refused
    per_row = Counter(key.split("-")[0] for key in keys if keys[key]["text"].startswith(
        "Bagaimana"))
    delivered_rows = {int(row) for row in per_row}
    duplicates = sum(count - 1 for count in per_row.values())
    lost = sum(1 for outbox_id in queued_at if outbox_id not in delivered_rows)
    first, last = min(queued_at.values()), max(arrivals.values())
    rate = len(delivered_rows) / (last - first) * 60.0 if last > first else 0.0
    # The worker's capacity: the most delivered in any 10 s (while it caught up after the
    # outage), a minute's worth.
    times = sorted(arrivals.values())
    low, peak = 0, 0
    for high, at in enumerate(times):
        while at - times[low] > 10.0:
            low += 1
        peak = max(peak, high - low + 1)
    print(f"  {len(delivered_rows)} of {messages} delivered in {last - first:.1f} s: "
          f"{rate:,.0f} messages/min (queued at {per_minute:,}/min; catching up "
          f"{peak * 6:,}/min); duplicates {duplicates}, "
          f"lost {lost}; {requests - len(keys)} repeated requests absorbed by the idempotency "
          f"key, {refused} refused during the outage; all sent: {done}", flush=True)
    return {"messages": messages, "queued_per_minute": per_minute,
            "delivered": len(delivered_rows), "messages_per_minute": round(rate),
            "catching_up_per_minute": peak * 6,
            "duplicates": duplicates, "lost": lost,
            "absorbed_repeats": requests - len(keys), "refused_in_outage": refused,
            "killed_at_s": round(killed_at, 1), "outage_s": OUTAGE_SECONDS}


def call_to_message(store: Store, gateway: FakeGateway, worker: Worker, officers: dict[int, int],
                    calls: int) -> dict[str, Any]:
    tokens = []
    for _ in range(calls):
        token = attempt(store, BRANCH, lambda uow: issue_ticket(
            uow, "JHT", admission=Admission.ANY_HOUR)).token
        attempt(store, BRANCH, lambda uow, t=token: notifications.subscribe(
            uow, t, "sms", "0812 3456 7890"))
        tokens.append(token)
    worker.start()
    ready = wait_until(lambda: worker_listening(store), 60)  # started and listening
    print(f"  worker listening: {ready}", flush=True)
    called_at: dict[str, float] = {}
    for index in range(calls):
        number = index % COUNTERS + 1
        officer = officers[number]
        ticket = attempt(store, BRANCH, lambda uow, n=number, o=officer: call_next(uow, n, o))
        if ticket is not None:
            called_at[ticket.token] = time.monotonic()
        time.sleep(CALL_EVERY_SECONDS / COUNTERS)
    wait_until(lambda: _called_arrivals(gateway, called_at, complete=True), 60)
    worker.stop()
    with UnitOfWork(store, BRANCH, read_only=True) as uow:
        dropped = uow.session.scalar(select(func.count()).where(
            OutboxMessage.kind == "called", OutboxMessage.state == "dropped")) or 0
    latencies = sorted(_called_arrivals(gateway, called_at, complete=False))
    if not latencies:
        return {"calls": len(called_at), "messages": 0}
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * len(latencies)) - 1)]
    print(f"  {len(called_at)} calls, {len(latencies)} 'dipanggil' messages: call -> gateway "
          f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms "
          f"(target p99 <= {TARGET_P99_SECONDS:.0f} s); {dropped} dropped as too late (the "
          f"counter's next call came first)", flush=True)
    return {"calls": len(called_at), "messages": len(latencies),
            "p50_ms": round(p50 * 1000, 1), "p99_ms": round(p99 * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1), "dropped_too_late": dropped,
            "meets_target": p99 <= TARGET_P99_SECONDS}


def worker_listening(store: Store) -> bool:
    """Whether a notify worker's LISTEN connection is open (the watcher names itself)."""
    with UnitOfWork(store, BRANCH, read_only=True) as uow:
        return bool(uow.session.scalar(select(func.count()).select_from(
            select(text("1")).select_from(text("pg_stat_activity"))
            .where(text("application_name = :name")).params(name=WATCHER_NAME).subquery())))


def _called_arrivals(gateway: FakeGateway, called_at: dict[str, float],
                     complete: bool) -> Any:
    with gateway.lock:
        found = {}
        for key, message in gateway.delivered.items():
            url = str(message.get("url") or "")
            token = url.rsplit("/", 1)[-1]
            # The call's own message ("Nomor A012 dipanggil"), not the later "terlewat".
            if token in called_at and str(message["title"]).endswith("dipanggil"):
                found[token] = gateway.arrival[key] - called_at[token]
    if complete:
        return len(found) >= len(called_at)
    return list(found.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="part 1's messages")
    parser.add_argument("--per-minute", type=int, default=TARGET_PER_MINUTE,
                        help="how fast part 1 queues them")
    parser.add_argument("--calls", type=int, default=120, help="part 2's calls")
    parser.add_argument("--database", default=DEFAULT_DATABASE,
                        help="PostgreSQL URL; this database is dropped and created")
    args = parser.parse_args(argv)
    if make_url(args.database).get_backend_name() != "postgresql":
        parser.error("this benchmark runs on PostgreSQL (SKIP LOCKED, LISTEN/NOTIFY)")
    began, load_before = time.perf_counter(), os.getloadavg()[0]
    timeline = clock_variables()  # Monday 09:00, running: inside the test branch's hours
    clock = ShiftedClock(datetime.fromisoformat(timeline[CLOCK_ENV]),
                         datetime.fromisoformat(timeline[CLOCK_SET_AT_ENV]))
    recreate_database(args.database)
    store = open_store(args.database, clock=clock)
    gateway = FakeGateway()
    try:
        upgrade_database(store.engine)
        officers = prepare(store)
        worker = Worker(store, gateway, timeline)
        print(f"PostgreSQL {store.engine.url.database}: part 1, {args.messages} messages "
              f"queued at {args.per_minute}/min through a kill -9 and a gateway outage",
              flush=True)
        part1 = delivery(store, gateway, worker, args.messages, args.per_minute)
        print(f"part 2: {args.calls} calls at {COUNTERS} counters, each every "
              f"{CALL_EVERY_SECONDS:.0f} s", flush=True)
        part2 = call_to_message(store, gateway, worker, officers, args.calls)
    finally:
        gateway.stop()
        store.dispose()
        drop_database(args.database)
    took, load_after = time.perf_counter() - began, os.getloadavg()[0]
    print(f"     run: {took:.0f} s; load average {load_before:.1f} before, {load_after:.1f} after")
    ok = (part1["duplicates"] == 0 and part1["lost"] == 0
          and part1["catching_up_per_minute"] >= TARGET_PER_MINUTE
          and bool(part2.get("meets_target")))
    print(json.dumps({
        "benchmark": "notify", "delivery": part1, "call_to_message": part2,
        "targets": {"messages_per_minute": TARGET_PER_MINUTE,
                    "p99_seconds": TARGET_P99_SECONDS},
        "meets_targets": ok, "run_seconds": round(took, 1),
        "load_average": [round(load_before, 2), round(load_after, 2)],
    }))
    return 0 if part1["duplicates"] == 0 and part1["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

