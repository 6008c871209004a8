"""Render the lobby display's screens into docs/screenshots/display-<screen>-<w>x<h>.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m scripts.screenshots_display

A demo morning at the Serang branch (assets/config/demo-branch.toml) on a throw-away SQLite
file, read through the same feed and models the app uses, at each supported screen size:

- flash:         09:12, eight counters open (one on a break), a call just made: flash lit
- busy:          the same, once the flash is over
- recall:        the same number called again (flash lit)
- lost:          the store has gone away: the red banner over the last known state
- morning:       07:55, no counter open yet, no call yet
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication

from display.calls_model import LastCallsModel
from display.counters_model import CountersModel
from display.feed import LobbyFeed
from display.waits_model import ServiceWaitsModel
from display.window import LobbyWindow
from shared.clock import ManualClock
from shared.config import load_branch_config
from shared.i18n import Translator
from shared.qt.operations import ImmediateRunner
from shared.services import calling, counters, officers, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, create_store_engine, open_store
from shared.store.schema import upgrade_database
from shared.store.unit_of_work import Change, UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
# Offscreen unless told otherwise; read when the QApplication is made, not on import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = [(1920, 1080), (1366, 768), (1080, 1920)]
OUT = ROOT / "docs" / "screenshots"
BRANCH = "SRG"
JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 23, 7, 55, tzinfo=JAKARTA)


class Scene:
    """A demo store and a clock; `act` runs one service call as the apps do."""

    def __init__(self, folder: Path) -> None:
        url = f"sqlite:///{folder / 'display-demo.db'}"
        engine = create_store_engine(url)
        upgrade_database(engine)
        engine.dispose()
        self.clock = ManualClock(MONDAY)
        self.store: Store = open_store(url, clock=self.clock)
        apply_branch_config(self.store, load_branch_config(ROOT / "assets/config/demo-branch.toml"))
        self.officers = [
            self.act(officers.add_officer, f"petugas{n}", f"Petugas {n}", "officer", "1111").id
            for n in range(1, 10)
        ]

    def act(self, action: Callable[..., object], *args: object, **kwargs: object) -> object:
        return attempt(self.store, BRANCH, lambda uow: action(uow, *args, **kwargs))

    def officer(self, counter: int) -> int:
        return self.officers[counter - 1]

    def busy_morning(self) -> None:
        self.clock.set(MONDAY.replace(hour=8, minute=0))
        for number in range(1, 9):
            self.act(counters.open_counter, number, self.officer(number))
        plan = ["JHT", "JHT", "JKM", "JHT", "JMO", "JKK_JP", "JHT", "INFO", "JMO", "JHT"]
        for n in range(64):
            self.clock.advance(25)
            self.act(issue_ticket, plan[n % len(plan)], admission=Admission.ANY_HOUR)
        # Forty minutes of work: every few minutes each counter finishes and calls the next.
        for _ in range(6):
            self.clock.advance(5 * 60)
            for number in range(1, 9):
                self.next_visitor(number)
        attempt(self.store, BRANCH, lambda uow: _finish_if_serving(uow, 6, self.officer(6)))
        self.act(counters.pause_counter, 6, self.officer(6), "Istirahat sholat")
        self.clock.advance(90)

    def next_visitor(self, number: int) -> object:
        """Finish whoever is at the counter, call the next one and start serving them."""
        officer = self.officer(number)
        attempt(self.store, BRANCH, lambda uow: _finish_if_serving(uow, number, officer))
        called = self.act(calling.call_next, number, officer)
        if called is not None:
            self.clock.advance(20)
            self.act(serving.start, number, officer)
        return called


def _finish_if_serving(uow: UnitOfWork, number: int, officer: int) -> None:
    from shared.services.access import load_counter
    from shared.store.models import Ticket

    counter = load_counter(uow, number)
    if counter.current_ticket_id is None:
        return
    if uow.session.get_one(Ticket, counter.current_ticket_id).state == "serving":
        serving.finish(uow, number, officer)


def build(scene: Scene, tr: Translator) -> tuple[LobbyWindow, LobbyFeed]:
    models = CountersModel(), LastCallsModel(), ServiceWaitsModel()
    feed = LobbyFeed(scene.store, BRANCH, ImmediateRunner(), *models)
    window = LobbyWindow(tr, *models, now=scene.clock.now)
    window.bind(feed)
    window.ticker.hide()  # still: a screenshot cannot show it move
    return window, feed


def shoot(window: LobbyWindow, name: str, size: tuple[int, int]) -> Path:
    window.resize(*size)
    window.ticker.show()
    window.arrange()
    window.ticker.rewind()
    path = OUT / f"display-{name}-{size[0]}x{size[1]}.png"
    window.grab().save(str(path))
    return path


def main() -> int:
    app = QApplication.instance() or QApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    tr = Translator("id")
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as folder:
        scene = Scene(Path(folder))
        window, feed = build(scene, tr)
        feed.refresh()
        for size in SIZES:
            written.append(shoot(window, "morning", size))
        scene.busy_morning()
        feed.refresh()
        # The next call arrives while the display watches: it is news, so it flashes.
        attempt(scene.store, BRANCH, lambda uow: _finish_if_serving(uow, 3, scene.officer(3)))
        called = scene.act(calling.call_next, 3, scene.officer(3))
        assert called is not None
        feed.on_changed([Change(0, 1, "ticket.call")])
        for size in SIZES:
            written.append(shoot(window, "flash", size))
        window.now_calling.stop_flash()
        for size in SIZES:
            written.append(shoot(window, "busy", size))
        scene.clock.advance(45)
        scene.act(calling.recall, 3, scene.officer(3))
        feed.on_changed([Change(0, 2, "ticket.recall")])
        for size in SIZES:
            written.append(shoot(window, "recall", size))
        feed.on_connection_lost()
        for size in SIZES:
            written.append(shoot(window, "lost", size))
        scene.store.dispose()
    for path in written:
        print(path.relative_to(ROOT))
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
