"""The regional board's figures, read from two branch databases as the central holds them.

Each test branch is the small test branch under its own code, in a database of its own (one
per branch, as on the central server), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from shared.central.board import (
    BranchCopy,
    Link,
    RegionBoard,
    central_copies,
    learn_forecast,
    subscription_links,
)
from shared.central.lending import Region
from shared.clock import ManualClock
from shared.services import issuing
from shared.services.runner import attempt
from shared.services.turn_aways import note_turned_away
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from tests.shared.central.replicas import Replicated
from tests.support import databases
from tests.support.branches import MONDAY_0800
from tests.support.regional import busy_morning, open_branch


@dataclass
class Region2:
    copies: list[BranchCopy]
    stores: dict[str, Store]
    clock: ManualClock


def _urls(kind: str, tmp_path: Path, sqlite_template: Path) -> list[str]:
    urls = []
    for code in ("SRG", "CLG"):
        if kind == "sqlite":
            folder = tmp_path / code
            folder.mkdir()
            urls.append(databases.fresh_sqlite(sqlite_template, folder))
        else:
            name = f"{databases.TEST_DATABASE}_branch_{code.lower()}"
            urls.append(databases.create_postgres_database(name))
    return urls


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_branches(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Region2]:
    if request.param == "postgres":
        databases.postgres_or_skip()
    clock = ManualClock(MONDAY_0800)
    urls = _urls(request.param, tmp_path, sqlite_template)
    stores = {code: open_branch(url, code, clock) for code, url in zip(("SRG", "CLG"), urls,
                                                                        strict=True)}
    yield Region2([BranchCopy(code, url) for code, url in zip(stores, urls, strict=True)],
                  stores, clock)
    for store in stores.values():
        store.dispose()
    if request.param == "postgres":
        for code in stores:
            databases.drop_postgres_database(f"{databases.TEST_DATABASE}_branch_{code.lower()}")


def test_the_board_shows_each_branch_from_its_own_database(two_branches: Region2) -> None:
    clock = two_branches.clock
    busy_morning(two_branches.stores["SRG"], "SRG", clock)
    attempt(two_branches.stores["CLG"], "CLG", lambda uow: issuing.issue_ticket(uow, "JKM"))
    for reason in ("capacity", "unserved"):  # two visitors the kiosk sent away
        with UnitOfWork(two_branches.stores["CLG"], "CLG") as uow:
            note_turned_away(uow, "JKM", reason, "lobi-1")
    contact = clock.now()
    board = RegionBoard(
        lambda: two_branches.copies, Region.from_pairs([("SRG", "CLG", 40)], 60), clock,
        links=lambda: {"SRG": Link(True, contact, 512)},
    )
    view = board.refresh()
    board.close()

    assert [row.code for row in view.rows] == ["CLG", "SRG"]
    clg, srg = (row.picture for row in view.rows)
    assert srg is not None and clg is not None
    assert (srg.now.waiting, srg.now.longest_wait_minutes) == (2, 30)
    assert (srg.now.counters_open, srg.now.counters_rostered, srg.now.absences) == (1, 3, 1)
    assert (srg.today.served, srg.today.no_shows, srg.today.turned_away) == (1, 1, 0)
    assert srg.month.served == 1
    assert srg.now.ikm == pytest.approx(100.0)
    assert srg.now.survey_responses == 1
    assert (clg.now.waiting, clg.now.counters_open, clg.now.absences) == (1, 0, 0)
    assert clg.today.served == 0 and clg.now.ikm is None
    assert (clg.today.turned_away, clg.today.reservations, clg.month.turned_away) == (2, 0, 2)
    assert view.rows[1].link == Link(True, contact, 512)
    assert view.rows[0].link is None  # nothing known of CLG's replication


def test_a_copy_that_cannot_be_read_is_named_not_fatal(two_branches: Region2) -> None:
    copies = [*two_branches.copies, BranchCopy("BAD", "sqlite:////nonexistent/dir/x.db")]
    board = RegionBoard(lambda: copies, Region({}, 60), two_branches.clock)
    view = board.refresh()
    board.close()

    bad = next(row for row in view.rows if row.code == "BAD")
    assert bad.picture is None and bad.problem
    assert all(row.picture is not None for row in view.rows if row.code != "BAD")


def test_the_forecast_is_the_same_weekday_of_past_weeks(two_branches: Region2) -> None:
    store, clock = two_branches.stores["CLG"], two_branches.clock
    for _ in range(6):  # last Monday 08:00: six JKM visitors
        attempt(store, "CLG", lambda uow: issuing.issue_ticket(uow, "JKM"))
    clock.advance(timedelta(days=1))  # Tuesday: three, not a Monday, not counted
    for _ in range(3):
        attempt(store, "CLG", lambda uow: issuing.issue_ticket(uow, "JKM"))
    clock.set(MONDAY_0800 + timedelta(weeks=1))
    with UnitOfWork(store, "CLG", read_only=True) as uow:
        forecast = learn_forecast(uow, uow.local_now().date())
    assert dict(forecast.arrivals) == {"JKM": {8: 6.0}}


def test_the_board_reads_a_replicated_copy_and_its_link(replicated: Replicated) -> None:
    """A real branch cluster publishing into a real central one: the board finds the copy on
    the central server, shows the branch's queue from it, and the link as streaming."""
    busy_morning(replicated.store, replicated.code, replicated.clock)
    replicated.caught_up()
    copies = central_copies(replicated.central_url)
    links = subscription_links(replicated.central_url)
    assert [copy.code for copy in copies] == ["TST"]
    assert links["TST"].connected and links["TST"].last_contact is not None
    assert links["TST"].lag_bytes is not None and links["TST"].lag_bytes >= 0

    board = RegionBoard(lambda: copies, Region({}, 60), replicated.clock,
                        links=lambda: subscription_links(replicated.central_url))
    view = board.refresh()
    board.close()
    (row,) = view.rows
    assert row.picture is not None, row.problem
    assert (row.picture.now.waiting, row.picture.now.absences) == (2, 1)
    assert (row.picture.today.served, row.picture.today.no_shows) == (1, 1)
    assert row.link is not None and row.link.connected
