"""How long `antrean report` takes over a month of a busy branch: 40,000 tickets and their events.

    python -m bench.report [--tickets 40000] [--days 22] [--keep FILE.db]

The history is written straight into a migrated SQLite file with bulk SQLAlchemy core inserts
(the services are not what is measured): the calm-day scenario's branch, tickets spread over
business days with a morning peak, waits and service times drawn at random, 4 % no-shows, 3 %
transfers to the interview service, 1 % cancelled, counters opened, paused for lunch and closed.
Then the report is timed end to end as the command runs it: read the rows, compute the figures,
draw the charts, write the HTML and the CSV tables. The last line printed is one JSON object;
the target is under 10 seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from shared.reporting.export import export_csv
from shared.reporting.figures import compute_report
from shared.reporting.page import render_html
from shared.reporting.reading import read_report_rows
from shared.services.setup import apply_branch_config
from shared.simulation import load_scenario
from shared.simulation.loading import SHIPPED_SCENARIOS
from shared.store.database import Store, open_store
from shared.store.models import Branch, Counter, CounterService, Event, Officer, Service, Ticket
from shared.store.schema import upgrade_database

TARGET_SECONDS = 10.0
FIRST_DAY = date(2026, 11, 2)  # a Monday
# Share of a day's arrivals per local hour: the morning peak of a claims office.
HOURLY = {7: 0.05, 8: 0.2, 9: 0.18, 10: 0.16, 11: 0.13, 12: 0.09, 13: 0.11, 14: 0.08}


def business_days(count: int) -> list[date]:
    days: list[date] = []
    day = FIRST_DAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


class History:
    """Rows of tickets and events, ids assigned here so events can point at their ticket."""

    def __init__(self, branch_id: int, seed: int) -> None:
        self.branch_id = branch_id
        self.random = random.Random(seed)
        self.tickets: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []

    def event(self, at: datetime, kind: str, **fields: Any) -> None:
        self.events.append({"branch_id": self.branch_id, "at": at, "kind": kind,
                            "ticket_id": None, "counter_id": None, "officer_id": None,
                            "service_id": None, "from_state": None, "to_state": None,
                            "detail": "", **fields})


def build_history(store: Store, tickets: int, days: int, seed: int) -> History:
    with store.engine.connect() as connection:
        branch_id, timezone = connection.execute(select(Branch.id, Branch.timezone)).one()
        services = list(connection.execute(
            select(Service.id, Service.code, Service.prefix, Service.mean_service_seconds)
            .where(Service.active)))
        counters = {cid: number for cid, number in connection.execute(
            select(Counter.id, Counter.number))}
        serves: dict[int, list[int]] = {}
        for counter_id, service_id in connection.execute(
                select(CounterService.counter_id, CounterService.service_id)):
            serves.setdefault(service_id, []).append(counter_id)
    zone = ZoneInfo(timezone)
    history = History(branch_id, seed)
    rnd = history.random
    interview = next((s for s in services if s.code == "WAWANCARA"), None)
    kiosk_services = [s for s in services if s.code != "WAWANCARA" and serves.get(s.id)]
    with store.engine.begin() as connection:
        officer_ids = {}
        for cid, number in counters.items():
            officer_ids[cid] = connection.execute(insert(Officer).values(
                branch_id=branch_id, login=f"bench{number}", name=f"Petugas {number}",
                role="officer", secret_hash="-")).inserted_primary_key[0]
    ticket_id = 0
    per_day = tickets // days
    for index, day in enumerate(business_days(days)):
        count = per_day + (tickets - per_day * days if index == days - 1 else 0)
        midnight = datetime.combine(day, datetime.min.time(), zone)
        for cid in counters:
            officer = officer_ids[cid]
            for hour, kind, state in ((7.9, "counter.opened", "open"),
                                      (12.0, "counter.paused", "paused"),
                                      (12.5, "counter.resumed", "open"),
                                      (15.6, "counter.closed", "closed")):
                history.event(midnight + timedelta(hours=hour), kind, counter_id=cid,
                              officer_id=officer, to_state=state)
        numbers: dict[int, int] = {}
        hours = rnd.choices(list(HOURLY), weights=list(HOURLY.values()), k=count)
        for hour in sorted(hours):
            ticket_id += 1
            service = rnd.choice(kiosk_services)
            numbers[service.id] = numbers.get(service.id, 0) + 1
            issued = midnight + timedelta(hours=hour, seconds=rnd.uniform(0, 3600))
            wait = rnd.expovariate(1 / 900)
            estimate = wait * rnd.lognormvariate(0, 0.3)
            row = {"id": ticket_id, "branch_id": branch_id, "business_date": day,
                   "issued_service_id": service.id, "service_id": service.id,
                   "number": numbers[service.id],
                   "label": f"{service.prefix}{numbers[service.id]:03d}", "state": "done",
                   "priority": False, "token": secrets.token_hex(8), "issued_at": issued,
                   "queued_at": issued, "call_count": 1, "kiosk": "K1", "ahead_at_issue": 0,
                   "estimate_seconds": estimate, "window_low_seconds": estimate * 0.6,
                   "window_high_seconds": estimate * 1.5}
            history.tickets.append(row)
            history.event(issued, "ticket.issued", ticket_id=ticket_id, service_id=service.id,
                          to_state="waiting", detail="K1")
            fate = rnd.random()
            if fate < 0.01:
                row["state"] = "cancelled"
                history.event(issued + timedelta(seconds=wait), "ticket.cancel",
                              ticket_id=ticket_id, service_id=service.id, to_state="cancelled")
                continue
            visit_at = issued + timedelta(seconds=wait)
            current = service
            for leg in range(2):
                counter = rnd.choice(serves[current.id])
                officer = officer_ids[counter]
                common = {"ticket_id": ticket_id, "service_id": current.id,
                          "counter_id": counter, "officer_id": officer}
                history.event(visit_at, "ticket.call", to_state="called", **common)
                if leg == 0 and fate < 0.05:
                    row["state"] = "no_show"
                    history.event(visit_at + timedelta(minutes=3), "ticket.no_show",
                                  to_state="no_show", **common)
                    break
                start = visit_at + timedelta(seconds=rnd.uniform(20, 90))
                mean = current.mean_service_seconds
                end = start + timedelta(seconds=rnd.gammavariate(4, mean / 4))
                history.event(start, "ticket.start", to_state="serving", **common)
                if leg == 0 and fate > 0.97 and interview is not None:
                    history.event(end, "ticket.transfer", to_state="waiting",
                                  detail=f"to {interview.code}", **common)
                    row["service_id"] = interview.id
                    current = interview
                    visit_at = end + timedelta(seconds=rnd.expovariate(1 / 300))
                    continue
                history.event(end, "ticket.finish", to_state="done", detail="completed", **common)
                break
    return history


def write_history(store: Store, history: History) -> None:
    with store.engine.begin() as connection:
        for start in range(0, len(history.tickets), 5000):
            connection.execute(insert(Ticket), history.tickets[start : start + 5000])
        for start in range(0, len(history.events), 20000):
            connection.execute(insert(Event), history.events[start : start + 20000])


def time_report(store: Store, first: date, last: date, folder: Path) -> dict[str, float]:
    laps: dict[str, float] = {}
    began = time.perf_counter()
    with store.engine.connect() as connection:
        rows = read_report_rows(connection, branch_code(store), first, last)
    laps["read"] = time.perf_counter() - began
    report = compute_report(rows)
    laps["compute"] = time.perf_counter() - began - sum(laps.values())
    page = render_html(report)
    laps["render"] = time.perf_counter() - began - sum(laps.values())
    (folder / "report.html").write_text(page, encoding="utf-8")
    export_csv(report, folder / "tables")
    laps["write"] = time.perf_counter() - began - sum(laps.values())
    laps["seconds"] = time.perf_counter() - began
    laps["issued_in_report"] = report.issued
    return laps


def branch_code(store: Store) -> str:
    with store.engine.connect() as connection:
        return str(connection.execute(select(Branch.code)).scalar_one())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=40_000)
    parser.add_argument("--days", type=int, default=22)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the SQLite file here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="antrean-report-bench-"))
    path = args.keep or folder / "month.db"
    store = open_store(f"sqlite:///{path}")
    upgrade_database(store.engine)
    apply_branch_config(store, load_scenario(Path(SHIPPED_SCENARIOS) / "calm-day.toml").branch)
    began = time.perf_counter()
    history = build_history(store, args.tickets, args.days, args.seed)
    write_history(store, history)
    filled = time.perf_counter() - began
    print(f"wrote {len(history.tickets)} tickets and {len(history.events)} events "
          f"in {filled:.1f} s to {path}")
    days = business_days(args.days)
    laps = time_report(store, days[0], days[-1], folder)
    store.dispose()
    print("  ".join(f"{k} {v:.2f} s" for k, v in laps.items() if k != "issued_in_report"))
    result = {
        "tickets": len(history.tickets),
        "events": len(history.events),
        "days": args.days,
        "issued_in_report": int(laps["issued_in_report"]),
        "seconds": round(laps["seconds"], 2),
        "target_seconds": TARGET_SECONDS,
        "ok": laps["seconds"] < TARGET_SECONDS,
        "html": str(folder / "report.html"),
    }
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
