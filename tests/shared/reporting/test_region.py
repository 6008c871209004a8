"""The same report for several branches: each branch's figures as its own report gives them,
and the combined figures computed from all their rows (ids collide across branches)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.reporting.building import build_report
from shared.reporting.region import (
    read_region_rows,
    region_report,
    render_region_html,
    within_target,
)
from shared.services import calling, counters, issuing, officers, serving
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from tests.support import databases
from tests.support.branches import MONDAY_0800, SMALL_BRANCH

T = TypeVar("T")


def branch_day(url: str, code: str, visitors: int, minutes_each: int) -> Store:
    """A branch under `code` where `visitors` JHT visitors are served one after another."""
    clock = ManualClock(MONDAY_0800)
    store = open_store(url, clock=clock)
    config = SMALL_BRANCH.replace('code = "TST"', f'code = "{code}"')
    apply_branch_config(store, parse_branch_config(config, f"{code}.toml"))

    def run(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return attempt(store, code, lambda uow: action(uow, *args, **kwargs))

    officer = run(officers.add_officer, "ani", "Ani", "officer", "1234")
    run(counters.open_counter, 1, officer.id)
    for _ in range(visitors):
        run(issuing.issue_ticket, "JHT", kiosk="K1")
    for _ in range(visitors):
        clock.advance(timedelta(minutes=minutes_each))
        assert run(calling.call_next, 1, officer.id) is not None
        run(serving.start, 1, officer.id)
        clock.advance(timedelta(minutes=minutes_each))
        run(serving.finish, 1, officer.id)
    run(issuing.issue_ticket, "JKM", kiosk="K1")
    return store


def test_each_branch_as_its_own_report_and_the_region_from_all_rows(
    sqlite_template: Path, tmp_path: Path
) -> None:
    urls, stores = {}, []
    for code, visitors, minutes_each in (("SRG", 3, 5), ("CLG", 4, 9)):
        folder = tmp_path / code
        folder.mkdir()
        urls[code] = databases.fresh_sqlite(sqlite_template, folder)
        stores.append(branch_day(urls[code], code, visitors, minutes_each))
    day = MONDAY_0800.date()
    now = MONDAY_0800 + timedelta(hours=3)
    region = region_report(read_region_rows(urls, day, day, now))

    srg, clg = region.branches
    assert (srg.branch_code, clg.branch_code) == ("SRG", "CLG")
    for report, store in zip(region.branches, stores, strict=True):
        alone = build_report(store, report.branch_code, day, day)
        assert (report.issued, report.served, report.waits.values) == (
            alone.issued, alone.served, alone.waits.values)
    combined = region.combined
    assert (combined.issued, combined.served) == (4 + 5, 3 + 4)
    assert sorted(combined.waits.values) == sorted(srg.waits.values + clg.waits.values)
    # Services of the same code are one service in the region.
    by_code = {s.code: s for s in combined.services}
    assert by_code["JHT"].issued == 7 and by_code["JKM"].issued == 2
    assert sorted(t.name for t in combined.officers) == ["CLG · Ani", "SRG · Ani"]
    # Waits of 5, 15, 25 min at SRG and 9, 27, 45, 63 at CLG against JHT's 30 minutes.
    assert within_target(combined) == pytest.approx(5 / 7)

    page = render_region_html(region)
    assert "SRG" in page and "CLG" in page and "Gabungan" in page
    for store in stores:
        store.dispose()
