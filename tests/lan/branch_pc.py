"""One branch PC in the LAN test, driving the real services over the network: run as
`python -m tests.lan.branch_pc ROLE URL OUT [options]` inside the PC's network namespace.

Each action is retried with the same request id until the server answers, as the apps'
operation runner does, so a request lost with the link is done once when it comes back.
Every outcome is a JSON line in OUT: the test reads them to check no ticket was lost or called
twice and that every PC got through the outage.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError

from shared.services import calling, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.snapshot import live_snapshot
from shared.store.database import Store, open_store
from shared.store.unit_of_work import UnitOfWork

T = TypeVar("T")
BRANCH = "SRG"


class Journal:
    def __init__(self, path: Path) -> None:
        self._file = path.open("a", encoding="utf-8", buffering=1)

    def write(self, kind: str, **fields: object) -> None:
        self._file.write(json.dumps({"kind": kind, "at": time.monotonic(), **fields}) + "\n")


def until_done(
    store: Store, journal: Journal, action: Callable[[UnitOfWork], T], read_only: bool = False
) -> T:
    """The action, retried until the database answers; each failure is journaled."""
    failing = False
    while True:
        try:
            result = attempt(store, BRANCH, action, read_only=read_only, tries=1)
        except DBAPIError as error:
            if not failing:
                journal.write("lost", error=str(error.orig or error).splitlines()[0][:200])
            failing = True
            time.sleep(0.5)
            continue
        if failing:
            journal.write("back")
        return result


def run_kiosk(store: Store, journal: Journal, tickets: int, pause: float) -> None:
    for _ in range(tickets):
        request = str(uuid.uuid4())
        issue = partial(
            issue_ticket, service_code="JHT", kiosk="lan-kiosk", request_id=request,
            admission=Admission.ANY_HOUR,
        )
        view = until_done(store, journal, issue)
        journal.write("issued", label=view.label)
        time.sleep(pause)
    journal.write("finished")


def run_counter(
    store: Store, journal: Journal, counter: int, officer: int, stop: Path, pause: float
) -> None:
    while True:
        request = str(uuid.uuid4())
        call = partial(calling.call_next, counter_number=counter, officer_id=officer,
                       request_id=request)
        view = until_done(store, journal, call)
        if view is None:
            if stop.exists():
                journal.write("finished")
                return
            time.sleep(pause)
            continue
        journal.write("called", label=view.label)
        for step in (serving.start, serving.finish):
            act = partial(step, counter_number=counter, officer_id=officer,
                          request_id=str(uuid.uuid4()))
            until_done(store, journal, act)
            time.sleep(pause / 2)
        journal.write("served", label=view.label)


def run_display(store: Store, journal: Journal, stop: Path, pause: float) -> None:
    while not stop.exists():
        snapshot = until_done(store, journal, live_snapshot, read_only=True)
        journal.write("shown", waiting=sum(s.waiting for s in snapshot.services))
        time.sleep(pause)
    journal.write("finished")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["kiosk", "counter", "display"])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--tickets", type=int, default=30)
    parser.add_argument("--counter", type=int, default=1)
    parser.add_argument("--officer", type=int, default=0)
    parser.add_argument("--stop", type=Path, help="the file whose existence ends the day")
    parser.add_argument("--pause", type=float, default=0.3)
    args = parser.parse_args()
    store = open_store(args.url, role=args.role)
    journal = Journal(args.out)
    journal.write("started")
    try:
        if args.role == "kiosk":
            run_kiosk(store, journal, args.tickets, args.pause)
        elif args.role == "counter":
            run_counter(store, journal, args.counter, args.officer, args.stop, args.pause)
        else:
            run_display(store, journal, args.stop, args.pause)
    finally:
        store.dispose()


if __name__ == "__main__":
    main()
