"""Process bodies for the concurrency tests: a counter that serves until the queue is empty, and a
kiosk that issues tickets until it is killed.

They run in children started with the "spawn" method, so they take only picklable values and
open their own store; nothing is inherited from the parent's engine.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Barrier
from multiprocessing.synchronize import Event as EventFlag
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.clock import ManualClock
from shared.services.calling import call_next
from shared.services.runner import attempt
from shared.services.serving import finish, start
from shared.store.database import open_store

# Long enough that only the parent's SIGKILL ends a held transaction.
HOLD_SECONDS = 120.0
# How long a counter waits at the start line before deciding the parent is gone.
START_LINE_SECONDS = 600.0


def serve_until_empty(
    url: str,
    branch_code: str,
    counter_number: int,
    officer_id: int,
    ready: Barrier,
    results: Queue[tuple[int, list[int]]],
) -> None:
    """One counter: call next, start, finish, until call next finds nobody; report the calls."""
    store = open_store(url)  # the parent's timeline, from ANTREAN_CLOCK
    try:
        with store.engine.connect():
            pass  # connect before the start line, so every counter starts on equal terms
        ready.wait(START_LINE_SECONDS)
        called: list[int] = []
        while True:
            ticket = attempt(store, branch_code, lambda uow: call_next(uow, counter_number,
                                                                          officer_id))
            if ticket is None:
                break
            called.append(ticket.id)
            attempt(store, branch_code, lambda uow: start(uow, counter_number, officer_id))
            attempt(store, branch_code, lambda uow: finish(uow, counter_number, officer_id))
        results.put((counter_number, called))
    finally:
        store.dispose()


def issue_until_killed(
    url: str,
    branch_code: str,
    service_code: str,
    clock_start: datetime,
    hold_after: int | None,
    issuing: EventFlag,
    holding: EventFlag,
    backend_pid: Synchronized[int],
) -> None:
    """A kiosk issuing as fast as it can, with a test-only pause before each commit.

    The pause (a `before_commit` listener) keeps the transaction open, its number taken and its
    ticket row written, so a kill often lands inside it. With `hold_after=k`, the (k+1)th issue
    stops there for good and sets `holding`: the parent's kill then surely lands mid-transaction.
    """
    # Imported here, so the twenty counter processes start without the issuing modules.
    from shared.services.issuing import Admission, issue_ticket

    store = open_store(url, clock=ManualClock(clock_start))
    commits = 0

    def pause_before_commit(_session: Session) -> None:
        if hold_after is not None and commits >= hold_after:
            holding.set()
            time.sleep(HOLD_SECONDS)
        time.sleep(0.002)

    def note_backend(dbapi_connection: Any, _record: Any) -> None:
        # PostgreSQL only: which server process the parent must see go away after the kill.
        info = getattr(dbapi_connection, "info", None)
        backend_pid.value = int(getattr(info, "backend_pid", 0) or 0)

    event.listen(store.sessions, "before_commit", pause_before_commit)
    event.listen(store.engine, "connect", note_backend)
    parent = os.getppid()
    while os.getppid() == parent:  # an orphan (its test died) stops by itself
        attempt(
            store,
            branch_code,
            lambda uow: issue_ticket(
                uow, service_code, kiosk="kiosk-1", admission=Admission.ANY_HOUR
            ),
        )
        commits += 1
        issuing.set()
