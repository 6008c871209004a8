"""Counter commit -> lobby display repaint, across two processes (docs/design.md: p99 <= 50 ms on
PostgreSQL, <= 100 ms on SQLite).

    .venv/bin/python -m bench.call_to_display                      # both stores, 220 calls each
    .venv/bin/python -m bench.call_to_display --stores sqlite --calls 300

For each store: a fresh database with one branch (open around the clock, so the real clock can
be used), four open counters and a queue of tickets. The display runs as its own process
(`python -m display.main --windowed --print-repaints`, offscreen Qt unless --platform says
otherwise), exactly as in the lobby, and prints `repaint EVENT TICKET MONOTONIC_NS` after each
paint of the big "now calling" panel. This process plays the counters: it finishes the visitor
at a counter, waits like an officer would (--gap-ms, random), presses "call next" through the
service layer, and takes `time.monotonic_ns()` as soon as the commit has returned. The latency
of one call is the first repaint showing that ticket minus that commit time; CLOCK_MONOTONIC is
one clock for every process on the machine, so the two readings compare directly.

Prints per store: calls, p50, p90, p99 and max latency in ms, the target and whether it was met;
last, one JSON line with all figures. The PostgreSQL database (--postgres-admin's server) is
created and dropped again.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from shared.config import parse_branch_config
from shared.services import calling, counters, officers, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, create_store_engine, open_store
from shared.store.schema import upgrade_database

ROOT = Path(__file__).resolve().parents[1]

BRANCH = "BEN"
COUNTERS = 4
TARGET_MS = {"postgresql": 50.0, "sqlite": 100.0}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The branch's business day must not end during a run: take a zone where it is near midday.
ZONES = ("Asia/Jakarta", "Asia/Tokyo", "Europe/London", "America/New_York", "America/Denver",
         "Pacific/Honolulu", "Asia/Kolkata", "Europe/Moscow")  # fmt: skip


def midday_zone() -> str:
    now = datetime.now(UTC)

    def minutes_from_noon(zone: str) -> int:
        local = now.astimezone(ZoneInfo(zone))
        return abs(local.hour * 60 + local.minute - 12 * 60)

    return min(ZONES, key=minutes_from_noon)


BRANCH_TOML = (
    f'[branch]\ncode = "{BRANCH}"\nname = "Kantor Cabang Benchmark"\ntimezone = "{midday_zone()}"\n'
    "[branch.opening_hours]\n"
    + "".join(f'{day} = ["00:00", "23:59"]\n' for day in _DAYS)
    + '[[services]]\ncode = "JHT"\nprefix = "A"\nname_id = "Klaim JHT"\nname_en = "JHT claim"\n'
    + "".join(f'[[counters]]\nnumber = {n}\nservices = ["JHT"]\n' for n in range(1, 1 + COUNTERS))
    + '[display]\nrunning_text_id = "Layanan tidak dipungut biaya."\n'
)


# -- the stores --------------------------------------------------------------------------------
@contextmanager
def fresh_store(kind: str, admin_url: str, name: str) -> Iterator[Store]:
    """A migrated, configured database that is gone again afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        if kind == "sqlite":
            url = f"sqlite:///{Path(folder) / f'{name}.db'}"
        else:
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.execute(f'CREATE DATABASE "{name}"')
            url = f"{admin_url.rsplit('/', 1)[0]}/{name}"
        engine = create_store_engine(url)
        upgrade_database(engine)
        engine.dispose()
        store = open_store(url)
        try:
            apply_branch_config(store, parse_branch_config(BRANCH_TOML, "bench-branch.toml"))
            yield store
        finally:
            store.dispose()
            if kind == "postgresql":
                with psycopg.connect(admin_url, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def act(store: Store, action: Any, *args: Any, **kwargs: Any) -> Any:
    return attempt(store, BRANCH, lambda uow: action(uow, *args, **kwargs))


def staff_counters(store: Store) -> list[int]:
    """One officer per counter, each counter open; the officers' ids in counter order."""
    ids = []
    for number in range(1, COUNTERS + 1):
        officer = act(
            store, officers.add_officer, f"petugas{number}", f"Petugas {number}", "officer", "1234"
        )
        act(store, counters.open_counter, number, officer.id)
        ids.append(officer.id)
    return ids


def issue(store: Store, count: int) -> None:
    for _ in range(count):
        act(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)


def serve_current(store: Store, counter: int, officer: int) -> None:
    """Start and finish whoever was called to this counter, as the officer does."""
    act(store, serving.start, counter, officer)
    act(store, serving.finish, counter, officer)


# -- the display process -----------------------------------------------------------------------
@dataclass(frozen=True)
class Repaint:
    event_id: int
    label: str
    at_ns: int


class DisplayProcess:
    """`antrean-display` in its own process; its repaint lines arrive on a queue."""

    def __init__(self, url: str, platform: str, audio: str, extra_env: dict[str, str]) -> None:
        env = {**os.environ, **extra_env}
        if platform == "offscreen":
            env["QT_QPA_PLATFORM"] = "offscreen"
        command = [
            sys.executable,
            "-m",
            "display.main",
            "--database",
            url,
            "--branch",
            BRANCH,
            "--windowed",
            "--size",
            "1920x1080",
            "--print-repaints",
            f"--{audio}",
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1,
        )  # fmt: skip
        self.repaints: queue.Queue[Repaint] = queue.Queue()
        self.log: list[str] = []  # the display's last lines on stderr, for a failure message
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            parts = line.split()
            if len(parts) == 4 and parts[0] == "repaint":
                self.repaints.put(Repaint(int(parts[1]), parts[2], int(parts[3])))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log = [*self.log[-30:], line.rstrip()]

    def wait_for(self, label: str, timeout: float = 30.0, after_event: int = -1) -> Repaint:
        """The first repaint showing `label` (from an event after `after_event`: a recall);
        other lines (blinks, other labels) are skipped."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.process.poll() is not None:
                tail = "\n".join(self.log)
                raise RuntimeError(
                    f"the display (exit {self.process.poll()}) never showed {label}:\n{tail}"
                )
            try:
                repaint = self.repaints.get(timeout=min(left, 1.0))
            except queue.Empty:
                continue
            if repaint.label == label and repaint.event_id > after_event:
                return repaint

    def drain(self) -> None:
        while not self.repaints.empty():
            self.repaints.get_nowait()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


# -- the measurement ---------------------------------------------------------------------------
def measure(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    name = f"antrean_bench_display_{os.getpid()}"
    with fresh_store(kind, args.postgres_admin, name) as store:
        officer_ids = staff_counters(store)
        issue(store, args.warmup + args.calls + COUNTERS)
        display = DisplayProcess(store.url, args.platform, args.audio, {})
        try:
            display.wait_for("-", timeout=60)  # the first board read: nothing called yet
            rng = random.Random(7)
            latencies: list[float] = []
            for n in range(args.warmup + args.calls):
                counter = n % COUNTERS + 1
                officer = officer_ids[counter - 1]
                if n >= COUNTERS:
                    serve_current(store, counter, officer)
                time.sleep(rng.uniform(*args.gap_ms) / 1000)  # the officer turns to the screen
                display.drain()
                called = act(store, calling.call_next, counter, officer)
                committed = time.monotonic_ns()
                shown = display.wait_for(called.label)
                if n >= args.warmup:
                    latencies.append((shown.at_ns - committed) / 1e6)
        finally:
            display.stop()
    p50, p90, p99 = (percentile(latencies, q) for q in (0.5, 0.9, 0.99))
    target = TARGET_MS[kind]
    return {
        "store": kind,
        "calls": len(latencies),
        "p50_ms": round(p50, 2),
        "p90_ms": round(p90, 2),
        "p99_ms": round(p99, 2),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "target_p99_ms": target,
        "met": p99 <= target,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--stores",
        default="postgresql,sqlite",
        help="comma-separated: postgresql, sqlite (default: %(default)s)",
    )
    parser.add_argument("--calls", type=int, default=220, help="measured calls per store")
    parser.add_argument("--warmup", type=int, default=10, help="calls not measured")
    parser.add_argument(
        "--gap-ms",
        type=float,
        nargs=2,
        default=(150.0, 350.0),
        metavar=("MIN", "MAX"),
        help="officer's pause before each call",
    )
    parser.add_argument(
        "--platform",
        choices=("offscreen", "native"),
        default="offscreen",
        help="Qt platform of the display (native: $DISPLAY, e.g. Xvfb)",
    )
    parser.add_argument(
        "--audio",
        choices=("discard-audio", "mute"),
        default="discard-audio",
        help="assemble each announcement and discard it, or skip it",
    )
    parser.add_argument("--postgres-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    results = []
    for kind in [k.strip() for k in args.stores.split(",") if k.strip()]:
        if kind not in TARGET_MS:
            parser.error(f"unknown store {kind!r}")
        result = measure(kind, args)
        results.append(result)
        print(
            f"{kind:10} {result['calls']} calls  p50 {result['p50_ms']:.1f} ms  "
            f"p90 {result['p90_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms  "
            f"max {result['max_ms']:.1f} ms  (target p99 <= {result['target_p99_ms']:.0f} ms: "
            f"{'met' if result['met'] else 'MISSED'})",
            flush=True,
        )
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "benchmark": "call_to_display",
                "load_average": [round(v, 2) for v in load],
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
