"""One web process, 2,000 phones following their tickets live: a call must reach every open
status page within a second (p99), and each open page must cost little memory.

    .venv/bin/python -m bench.live_pages                       # SQLite, 2,000 pages, 10 calls
    .venv/bin/python -m bench.live_pages --store postgresql --pages 2000 --calls 10

A fresh branch (open around the clock, four counters) gets `--calls` + 1 tickets at the head of
one service's queue and then `--pages` tickets behind them. `antrean-web` runs as its own
process, exactly as deployed, and this process opens one status stream per followed ticket
(`GET /t/<token>/events`, the server-sent events the status page itself listens to) on plain
asyncio connections: a phone's browser does nothing more on the wire. Every call at a counter
moves each followed visitor one place up, so every open page must get a new live part saying
so. The latency of a page for a call is from the call's commit (taken here, right after the
service call returned) to the moment that page's event with the new number of people ahead
was read off its socket; the clients run in this same process, so their own reading time is
counted too.

Memory per open page: the web process's resident memory (VmRSS) with one page open, and again
with every page open, the difference divided by the pages.

Prints the figures, the target (p99 <= 1 s) and the load average, then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bench.call_to_display import (
    BRANCH,
    COUNTERS,
    act,
    fresh_store,
    rss_bytes,
    serve_current,
    staff_counters,
)
from shared.domain.labels import format_label
from shared.services import calling
from shared.store.database import Store
from shared.store.models import DailySequence, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
MB = 1024 * 1024
GIVE_UP_SECONDS = 30.0  # a page that has not heard of a call by then counts as missed
AHEAD = re.compile(rb"(?:>(\d+) orang di depan Anda|(Anda berikutnya))")


def queue_tickets(store: Store, count: int) -> list[str]:
    """`count` waiting tickets of the branch's one service, in one INSERT; their tokens in
    queue order."""
    with UnitOfWork(store, BRANCH) as uow:
        now, day = uow.now(), uow.local_now().date()
        service_id = uow.session.scalar(select(Service.id).where(Service.code == "JHT"))
        assert service_id is not None
        tokens = [secrets.token_urlsafe(16) for _ in range(count)]
        uow.session.execute(insert(Ticket), [
            {"branch_id": uow.branch_id, "business_date": day, "issued_service_id": service_id,
             "service_id": service_id, "number": n + 1, "label": format_label("A", n + 1),
             "state": "waiting", "priority": False, "token": token, "issued_at": now,
             "queued_at": now + timedelta(microseconds=n), "kiosk": "bench",
             "ahead_at_issue": n, "call_count": 0}
            for n, token in enumerate(tokens)
        ])
        uow.session.execute(insert(DailySequence).values(
            service_id=service_id, business_date=day, branch_id=uow.branch_id,
            last_number=count))
        uow.session.commit()
    return tokens


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebProcess:
    """`python -m web.main` for the bench branch, on a free port."""

    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"live_pages_{os.getpid()}.log"
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "web.main", "--database", url, "--branch", BRANCH,
             "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, stdout=self._log_file, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the web process exited:\n{self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the web process did not answer within a minute")

    def stop(self, keep_log: bool) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()
        if keep_log:
            print(f"the web process's log: {self.log}")
        else:
            self.log.unlink(missing_ok=True)


class Page:
    """One phone's open status page: its event stream, and when each number ahead arrived."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.heard: dict[int, float] = {}  # people ahead -> monotonic time first shown
        self.opened = asyncio.Event()
        self.writer: asyncio.StreamWriter | None = None

    async def follow(self) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET /t/{self.token}/events HTTP/1.1\r\nHost: bench\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        buffer = b""
        while chunk := await reader.read(65536):
            at = time.monotonic()
            buffer += chunk
            *events, buffer = buffer.split(b"\n\n")
            for event in events:
                found = AHEAD.search(event)
                if found:
                    ahead = int(found.group(1)) if found.group(1) else 0
                    self.heard.setdefault(ahead, at)
                    self.opened.set()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def open_pages(port: int, tokens: list[str], batch: int) -> tuple[list[Page], list[Any]]:
    pages = [Page(port, token) for token in tokens]
    tasks = []
    for start in range(0, len(pages), batch):
        group = pages[start:start + batch]
        tasks += [asyncio.create_task(page.follow()) for page in group]
        await asyncio.wait_for(asyncio.gather(*(p.opened.wait() for p in group)), 60)
    return pages, tasks


async def measure(args: argparse.Namespace, store: Store, web: WebProcess, officers: list[int],
                  tokens: list[str]) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    front = args.calls + 1  # tickets called during the run, ahead of every followed one
    first, *_ = await open_pages(web.port, tokens[front:front + 1], 1)
    await asyncio.sleep(1.0)
    rss_one = rss_bytes(web.process.pid)
    opened = time.monotonic()
    pages, tasks = await open_pages(web.port, tokens[front + 1:], args.batch)
    pages = first + pages
    open_seconds = time.monotonic() - opened
    await asyncio.sleep(2.0)
    rss_all = rss_bytes(web.process.pid)
    print(f"{len(pages)} pages open in {open_seconds:.1f} s; web process "
          f"{rss_one / MB:.1f} MB with one page, {rss_all / MB:.1f} MB with all")

    latencies: list[float] = []
    missed = 0
    cpu_before = cpu_seconds(web.process.pid)
    call_cpu = 0.0  # from each call to its last page reached
    for call in range(1, args.calls + 1):
        counter = (call - 1) % COUNTERS + 1
        if call > COUNTERS:  # the counter's last visitor is served before it calls again
            await loop.run_in_executor(None, serve_current, store, counter,
                                       officers[counter - 1])
            await asyncio.sleep(args.gap)  # the pages repaint windows; then quiet again
        cpu_at_call = cpu_seconds(web.process.pid)
        await loop.run_in_executor(None, act, store, calling.call_next, counter,
                                   officers[counter - 1])
        committed = time.monotonic()
        deadline = committed + GIVE_UP_SECONDS
        # Page j (0-based) had front - call + 1 + j people ahead; now one fewer.
        def expected(j: int, call: int = call) -> int:
            return front - call + j

        while time.monotonic() < deadline:
            if all(expected(j) in page.heard for j, page in enumerate(pages)):
                break
            await asyncio.sleep(0.02)
        call_cpu += cpu_seconds(web.process.pid) - cpu_at_call
        these = [page.heard[expected(j)] - committed
                 for j, page in enumerate(pages) if expected(j) in page.heard]
        missed += len(pages) - len(these)
        latencies += these
        if not these:
            print(f"call {call}: no page heard of it within {GIVE_UP_SECONDS:.0f} s")
            break
        these.sort()
        print(f"call {call:2d} at counter {counter}: {len(these)} pages reached, "
              f"p50 {1000 * these[len(these) // 2]:.0f} ms, last {1000 * these[-1]:.0f} ms")
        await asyncio.sleep(args.gap)

    web_cpu = cpu_seconds(web.process.pid) - cpu_before
    for page in pages:
        page.close()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return {
        "pages": len(pages), "calls": args.calls, "deliveries": len(latencies),
        "missed": missed, "p50_ms": round(1000 * p50, 1), "p99_ms": round(1000 * p99, 1),
        "max_ms": round(1000 * latencies[-1], 1), "target_p99_ms": 1000 * TARGET_SECONDS,
        "met": p99 <= TARGET_SECONDS and missed == 0,
        "rss_one_page_mb": round(rss_one / MB, 1), "rss_all_pages_mb": round(rss_all / MB, 1),
        "kb_per_page": round((rss_all - rss_one) / 1024 / max(1, len(pages) - 1), 1),
        "open_seconds": round(open_seconds, 1),
        # Each call after the first round of counters is three changes (start, finish, call),
        # each repainting what it changes on every page.
        "web_cpu_ms_per_call": round(1000 * web_cpu / args.calls),
        "web_cpu_ms_call_to_last_page": round(1000 * call_cpu / args.calls),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--batch", type=int, default=200, help="pages opened at once")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between calls")
    parser.add_argument("--postgres-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    name = f"antrean_bench_live_{os.getpid()}"
    with fresh_store(args.store, args.postgres_admin, name) as store:
        officers = staff_counters(store)
        tokens = queue_tickets(store, args.calls + 1 + args.pages)
        web = WebProcess(store.url)
        figures: dict[str, Any] = {"missed": None}
        try:
            web.wait_ready()
            figures = asyncio.run(measure(args, store, web, officers, tokens))
        finally:
            web.stop(keep_log=figures["missed"] != 0)
    load_after = os.getloadavg()
    figures |= {"store": args.store, "load_before": [round(x, 2) for x in load_before],
                "load_after": [round(x, 2) for x in load_after]}
    print(f"{figures['deliveries']} deliveries ({figures['missed']} missed): "
          f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
          f"max {figures['max_ms']:.0f} ms (target p99 <= {figures['target_p99_ms']:.0f} ms: "
          f"{'met' if figures['met'] else 'MISSED'})")
    print(f"memory per open page: {figures['kb_per_page']:.1f} kB "
          f"({figures['rss_one_page_mb']} MB -> {figures['rss_all_pages_mb']} MB)")
    print(f"web process CPU per call: {figures['web_cpu_ms_call_to_last_page']} ms from the "
          f"call to its last page, {figures['web_cpu_ms_per_call']} ms with the serve before it")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print(json.dumps(figures))
    return 0 if figures["missed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
