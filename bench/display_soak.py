"""The lobby display over a simulated day of 2,000 calls: its memory must not grow (docs/design.md:
growth < 20 MB).

    .venv/bin/python -m bench.display_soak                   # SQLite, 2,000 calls
    .venv/bin/python -m bench.display_soak --store postgresql --calls 2000

The display runs as its own process (`python -m display.main --windowed --print-repaints
--discard-audio`: every announcement is assembled from the voice clips, then dropped instead of
played). This process plays a busy branch at full speed: four counters take turns to finish
their visitor, call the next one (every seventh call is followed by a recall), with tickets
issued as the queue runs low, so the display handles the same changes a day brings: calls,
recalls, starts, finishes, new tickets. Each call is driven only once the display has painted
the previous one, so every call goes through the whole path (change signal, reads, models,
announcement, paint) rather than being folded into a later read.

The display's resident memory (VmRSS) is read from /proc after a warm-up of --warmup calls
(caches filled, every code path taken) and every 100 calls after; growth = last - warm-up.
Prints the samples, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench.call_to_display import (
    COUNTERS,
    DisplayProcess,
    act,
    fresh_store,
    issue,
    rss_bytes,
    serve_current,
    staff_counters,
)
from shared.services import calling

TARGET_MB = 20.0
MB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--postgres-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    name = f"antrean_bench_soak_{os.getpid()}"
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    with fresh_store(args.store, args.postgres_admin, name) as store:
        officer_ids = staff_counters(store)
        display = DisplayProcess(store.url, "offscreen", "discard-audio", {})
        try:
            display.wait_for("-", timeout=60)
            start_mb = rss_bytes(display.pid) / MB
            waiting = 0
            for n in range(1, args.calls + 1):
                if waiting < COUNTERS:
                    issue(store, 50)
                    waiting += 50
                counter = (n - 1) % COUNTERS + 1
                officer = officer_ids[counter - 1]
                if n > COUNTERS:
                    serve_current(store, counter, officer)
                called = act(store, calling.call_next, counter, officer)
                waiting -= 1
                shown = display.wait_for(called.label)
                if n % 7 == 0:
                    act(store, calling.recall, counter, officer)
                    display.wait_for(called.label, after_event=shown.event_id)
                if n >= args.warmup and (n - args.warmup) % args.sample_every == 0:
                    samples.append((n, rss_bytes(display.pid) / MB))
                    print(f"after {n:5} calls: display RSS {samples[-1][1]:7.1f} MB", flush=True)
            if samples[-1][0] != args.calls:
                samples.append((args.calls, rss_bytes(display.pid) / MB))
        finally:
            display.stop()
    baseline = samples[0][1]
    growth = samples[-1][1] - baseline
    result = {
        "benchmark": "display_soak",
        "store": args.store,
        "calls": args.calls,
        "recalls": args.calls // 7,
        "seconds": round(time.monotonic() - started, 1),
        "rss_start_mb": round(start_mb, 1),
        "rss_after_warmup_mb": round(baseline, 1),
        "rss_end_mb": round(samples[-1][1], 1),
        "rss_peak_mb": round(max(mb for _, mb in samples), 1),
        "growth_mb": round(growth, 1),
        "target_growth_mb": TARGET_MB,
        "met": growth < TARGET_MB,
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
    print(
        f"growth after warm-up: {growth:.1f} MB over {args.calls - samples[0][0]} calls "
        f"(target < {TARGET_MB:.0f} MB: {'met' if result['met'] else 'MISSED'})"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
