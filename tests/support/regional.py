"""Branch databases as the central server holds them, one per branch, for the regional board's
tests: the small test branch under another code, and a busy morning at it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from shared.central.board import BranchCopy
from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.domain.survey import QUESTIONS
from shared.services import calling, issuing, officers, roster, serving
from shared.services.counters import open_counter
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.services.survey import answer_survey
from shared.store.database import Store, open_store
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.support import databases
from tests.support.branches import MONDAY_0800, SMALL_BRANCH

T = TypeVar("T")
ALL_GOOD = {question.key: 4 for question in QUESTIONS}


def open_branch(url: str, code: str, clock: ManualClock) -> Store:
    """The small test branch (tests/support/branches.py) as branch `code`, in the database at
    `url` (migrated, empty)."""
    store = open_store(url, clock=clock)
    config = SMALL_BRANCH.replace('code = "TST"', f'code = "{code}"')
    apply_branch_config(store, parse_branch_config(config, f"{code}.toml"))
    return store


def busy_morning(store: Store, code: str, clock: ManualClock) -> None:
    """From Monday 08:00: counter 3 on leave all morning, four JHT visitors; by 08:30 one
    served (and rated all "very good"), one missed, two waiting since 08:00."""
    def run(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return attempt(store, code, lambda uow: action(uow, *args, **kwargs))

    ani = run(officers.add_officer, "ani", "Ani", "officer", "1234").id
    run(roster.add_absence, 3, MONDAY_0800.date(), time(8), time(12), "leave")
    run(open_counter, 1, ani)
    tickets = [run(issuing.issue_ticket, "JHT") for _ in range(4)]
    clock.advance(timedelta(minutes=10))
    run(calling.call_next, 1, ani)
    run(serving.start, 1, ani)
    clock.advance(timedelta(minutes=10))
    run(serving.finish, 1, ani)
    run(answer_survey, token_of(store, code, tickets[0].id), ALL_GOOD)
    run(calling.call_next, 1, ani)
    clock.advance(timedelta(minutes=10))
    run(serving.no_show, 1, ani)


def token_of(store: Store, code: str, ticket_id: int) -> str:
    with UnitOfWork(store, code) as uow:
        ticket = uow.session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.token


def region_of_two(folder: Path, sqlite_template: Path) -> tuple[list[BranchCopy], ManualClock]:
    """SRG after its busy morning and CLG with one JKM visitor waiting, each in a SQLite copy
    of its own under `folder`; the clock at 08:30 that Monday."""
    clock = ManualClock(MONDAY_0800)
    copies = []
    for code in ("SRG", "CLG"):
        (folder / code).mkdir()
        url = databases.fresh_sqlite(sqlite_template, folder / code)
        store = open_branch(url, code, clock)
        if code == "SRG":
            busy_morning(store, code, clock)
        else:
            attempt(store, code, lambda uow: issuing.issue_ticket(uow, "JKM"))
        store.dispose()
        copies.append(BranchCopy(code, url))
    return copies, clock
