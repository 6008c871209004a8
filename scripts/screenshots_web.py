"""Render the visitor's phone pages into docs/screenshots/web-<page>-360x740.png.

    .venv/bin/python -m scripts.screenshots_web

A demo Monday morning at the Serang branch (assets/config/demo-branch.toml) on a throw-away
SQLite file, served by the real web service (uvicorn on 127.0.0.1) and photographed whole by
Debian's headless Chromium at a cheap phone's size (360×740 CSS pixels, drawn at 2×):

- home, home-english:   the branch's start page (book, or find a booking)
- book-services:        the services that can be booked, with the documents to bring
- book-slots:           JHT on Tuesday: 09:00 chosen, NIK and phone typed
- book-refused:         the same with a NIK one digit short: the message, the form kept
- booking:              the booking made: its code and the QR the kiosk scans
- status-waiting:       a JHT ticket at 08:40: people ahead and the expected call window
- status-called:        the same page once a counter calls it (changed live, not reloaded)
- status-called-english
- survey:               a finished visit's survey of the nine elements, partly answered
- survey-thanks:        after sending it
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from playwright.sync_api import Page, expect, sync_playwright

from shared.clock import ManualClock
from shared.config import load_branch_config
from shared.reporting.pdf import find_chromium
from shared.services import calling, counters, officers, serving
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.services.views import TicketView
from shared.store.database import create_store_engine, open_store
from shared.store.schema import upgrade_database
from shared.store.unit_of_work import UnitOfWork
from tests.support.browser import launch_chromium
from tests.support.web_server import serve
from web.app import create_app

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
BRANCH = "SRG"
JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=JAKARTA)
WIDTH, HEIGHT = 360, 740
OPEN = (1, 2, 3, 4, 5, 6)  # counters staffed this morning
ARRIVALS = ["JHT", "JHT", "JKM", "JHT", "JKK_JP", "JHT", "JKM", "JHT"]  # repeated, one per 2 min


class Morning:
    """The demo store and its clock: counters open at 08:00, visitors until 08:40."""

    def __init__(self, folder: Path) -> None:
        url = f"sqlite:///{folder / 'web-demo.db'}"
        engine = create_store_engine(url)
        upgrade_database(engine)
        engine.dispose()
        self.clock = ManualClock(MONDAY)
        self.store = open_store(url, clock=self.clock)
        self.config = load_branch_config(ROOT / "assets" / "config" / "demo-branch.toml")
        apply_branch_config(self.store, self.config)
        officers.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        self.officers = {
            n: self.act(lambda uow, n=n: officers.add_officer(
                uow, f"petugas{n}", f"Petugas {n}", "officer", "1234")).id
            for n in OPEN
        }
        self.serving: set[int] = set()  # counters with a visitor at the desk
        self.finished: list[TicketView] = []
        self.last_jht: TicketView | None = None

    def act(self, action: Callable[[UnitOfWork], T]) -> T:
        return attempt(self.store, BRANCH, action)

    def run(self) -> None:
        for number in OPEN:
            self.act(lambda uow, n=number: counters.open_counter(uow, n, self.officers[n]))
        for index in range(20):
            self.clock.set(MONDAY + timedelta(minutes=2 * index + 1))
            code = ARRIVALS[index % len(ARRIVALS)]
            ticket = self.act(lambda uow, c=code: issue_ticket(uow, c, kiosk="lobi-1"))
            if code == "JHT":
                self.last_jht = ticket
            if index % 8 == 5:  # the officers fall behind the morning rush
                for number in OPEN:
                    if self.next_visitor(number) is not None:
                        self.start(number)
        self.clock.set(MONDAY.replace(minute=40))

    def next_visitor(self, number: int) -> TicketView | None:
        """Finish whoever is at the desk and call the next visitor."""
        officer = self.officers[number]
        if number in self.serving:
            self.finished.append(self.act(lambda uow: serving.finish(uow, number, officer)))
            self.serving.discard(number)
        return self.act(lambda uow: calling.call_next(uow, number, officer))

    def start(self, number: int) -> None:
        self.act(lambda uow: serving.start(uow, number, self.officers[number]))
        self.serving.add(number)

    def call_until(self, label: str) -> int:
        """JHT's counters work through the queue until `label` is called; its counter."""
        for _ in range(40):
            for number in (1, 2, 3):
                called = self.next_visitor(number)
                if called is not None and called.label == label:
                    return number
                if called is not None:
                    self.start(number)
        raise RuntimeError(f"{label} was never called")


def shoot(page: Page, name: str) -> Path:
    path = OUT / f"web-{name}-{WIDTH}x{HEIGHT}.png"
    page.mouse.move(0, 0)  # no hover left on whatever scrolled under the last click
    page.screenshot(path=str(path), full_page=True)
    return path


def photograph(page: Page, morning: Morning) -> list[Path]:
    saved = []
    page.goto("/")
    saved.append(shoot(page, "home"))
    page.goto("/?lang=en")
    saved.append(shoot(page, "home-english"))
    page.goto("/book")
    saved.append(shoot(page, "book-services"))

    page.goto("/book/JHT")
    page.get_by_role("link", name="Sel 24 Nov").click()
    page.locator("input[name=time][value='09:00']").check()
    page.locator("#nik").fill("3604011203850001")
    page.locator("#phone").fill("0812 3456 7890")
    saved.append(shoot(page, "book-slots"))
    page.locator("#nik").fill("360401120385000")  # one digit short
    page.get_by_role("button", name="Pesan", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    saved.append(shoot(page, "book-refused"))
    page.locator("#nik").fill("3604011203850001")
    page.get_by_role("button", name="Pesan", exact=True).click()
    expect(page.locator(".qr")).to_be_visible()
    saved.append(shoot(page, "booking"))

    mine = morning.last_jht
    assert mine is not None
    page.goto(f"/t/{mine.token}")
    expect(page.locator("#live")).to_contain_text("Menunggu dipanggil")
    saved.append(shoot(page, "status-waiting"))
    morning.call_until(mine.label)
    expect(page.locator("#live .called")).to_be_visible()  # sent by the server: no reload
    saved.append(shoot(page, "status-called"))
    page.goto(f"/t/{mine.token}?lang=en")
    saved.append(shoot(page, "status-called-english"))

    done = morning.finished[0]
    page.goto(f"/t/{done.token}/survey")
    for key, rating in (("requirements", 4), ("procedure", 3), ("speed", 2)):
        page.locator(f"input[name='{key}'][value='{rating}']").check()
    page.locator("#comment").fill("Petugas ramah, tetapi ruang tunggu panas.")
    saved.append(shoot(page, "survey"))
    for key in ("cost", "product", "competence", "conduct", "complaints", "facilities"):
        page.locator(f"input[name='{key}'][value='4']").check()
    page.get_by_role("button", name="Kirim penilaian").click()
    expect(page.locator(".card.ok")).to_be_visible()
    saved.append(shoot(page, "survey-thanks"))
    return saved


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="web-shots-") as folder:
        morning = Morning(Path(folder))
        morning.run()
        app = create_app(morning.store, morning.config)
        with serve(app) as address, sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium)
            context = browser.new_context(
                base_url=address, viewport={"width": WIDTH, "height": HEIGHT},
                device_scale_factor=2, locale="id-ID",
            )
            context.set_default_timeout(10_000)
            try:
                saved = photograph(context.new_page(), morning)
            finally:
                context.close()  # ends the status page's event stream before the server stops
                browser.close()
        morning.store.dispose()
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
