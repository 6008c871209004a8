"""Render the regional board into docs/screenshots/regional-board.png.

    .venv/bin/python -m scripts.screenshots_regional

Four branches of the demo configuration, each in a throw-away SQLite file standing for its
copy on the central server: two calm (the calm-day scenario) and two at the Monday peak, one of
them with three counters rostered away. Each had last Monday simulated whole (the forecast's
history) and this Monday until 10:00, through the real services. The replication column is
set by this script (no central server runs here): two branches linked, one silent for twelve
minutes. The board is served by the real app and photographed by Debian's headless Chromium
after signing in through its form.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from playwright.sync_api import sync_playwright

from shared.central import heads
from shared.central.board import BranchCopy, Link, RegionBoard
from shared.central.lending import Region
from shared.clock import ManualClock
from shared.config import BranchConfig
from shared.reporting.pdf import find_chromium
from shared.services import officers
from shared.services.setup import apply_branch_config
from shared.simulation import load_scenario, simulate_day
from shared.simulation.loading import SHIPPED_SCENARIOS
from shared.store.database import create_store_engine, open_store
from shared.store.schema import upgrade_database
from tests.support.browser import launch_chromium
from tests.support.web_server import serve
from web.regional import create_regional_app

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "regional-board.png"
ZONE = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, tzinfo=ZONE).date()
# A few minutes after the day stopped: the simulator stops within a simulated minute of 10:00.
NOW = datetime.combine(MONDAY, clock_time(10, 5), ZONE)
PASSWORD = "kanwil-banten-1"
# code, name, last Monday's scenario, this Monday's, seed
BRANCHES = (
    ("SRG", "Serang", "monday-peak", "peak-three-rostered", 1),
    ("TGR", "Tangerang", "monday-peak", "monday-peak", 2),
    ("CLG", "Cilegon", "calm-day", "calm-day", 3),
    ("PDG", "Pandeglang", "calm-day", "calm-day", 4),
)
TRAVEL = (("SRG", "CLG", 35), ("SRG", "PDG", 50), ("TGR", "CLG", 75), ("TGR", "SRG", 55),
          ("CLG", "PDG", 60))


class _Ten(Exception):
    pass


def _named(config: BranchConfig, code: str, name: str) -> BranchConfig:
    branch = config.branch.model_copy(update={"code": code, "name": f"KC {name}"})
    return config.model_copy(update={"branch": branch})


def _branch(folder: str, code: str, name: str, history: str, today: str, seed: int) -> str:
    """One branch's copy: its database, last Monday whole and this Monday to 10:00."""
    officers.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    url = f"sqlite:///{folder}/{code}.db"
    engine = create_store_engine(url)
    upgrade_database(engine)
    engine.dispose()
    clock = ManualClock(datetime.combine(MONDAY - timedelta(days=8), clock_time(), ZONE))
    store = open_store(url, clock=clock)
    for day, scenario_name, stop in ((MONDAY - timedelta(weeks=1), history, None),
                                     (MONDAY, today, clock_time(10))):
        shipped = load_scenario(SHIPPED_SCENARIOS / f"{scenario_name}.toml")
        scenario = replace(shipped, branch=_named(shipped.branch, code, name))
        if day != MONDAY:
            apply_branch_config(store, scenario.branch)

        def progress(_share: float, local: datetime, stop: clock_time | None = stop) -> None:
            if stop is not None and local.time() >= stop:
                raise _Ten

        with contextlib.suppress(_Ten):  # the morning is over: stop the day there
            simulate_day(scenario, store, seed, clock, progress, business_date=day)
    store.dispose()
    return url


def main() -> int:
    chromium = find_chromium()
    heads.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with tempfile.TemporaryDirectory(prefix="antrean-regional-") as folder:
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            urls = pool.starmap(_branch, [(folder, *branch) for branch in BRANCHES])
        copies = [BranchCopy(branch[0], url) for branch, url in zip(BRANCHES, urls, strict=True)]
        clock = ManualClock(NOW)
        now = clock.now()
        links = {
            "SRG": Link(True, now - timedelta(seconds=2), 0),
            "TGR": Link(True, now - timedelta(seconds=1), 18_432),
            "CLG": Link(False, now - timedelta(minutes=12), None),
            "PDG": Link(True, now - timedelta(seconds=3), 0),
        }
        board = RegionBoard(lambda: copies, Region.from_pairs(TRAVEL, 60), clock,
                            links=lambda: links)
        central = create_store_engine(f"sqlite:///{folder}/central.db")
        heads.set_head(central, "kakanwil", "Kepala Kanwil Banten", PASSWORD)
        app = create_regional_app(board, central, "Kanwil Banten", refresh_seconds=None,
                                  clock=clock, secure_cookie=False)
        with serve(app) as address, sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium)
            page = browser.new_page(base_url=address, viewport={"width": 1920, "height": 600},
                                    device_scale_factor=1)
            page.goto("/login")
            page.fill("#login", "kakanwil")
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#branch-SRG")
            OUT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUT), full_page=True)
            browser.close()
        central.dispose()
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
