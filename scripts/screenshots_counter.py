"""Render the counter terminal's screens into docs/screenshots/counter-<screen>-<w>x<h>.png.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m scripts.screenshots_counter

A throw-away SQLite store holds the demo branch at 10:30 on a Monday, with a morning's
tickets, officers at their counters, one on a break, a missed visitor and a kiosk low on
paper. The screens are the real widgets, grabbed offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication

from counter.actions import Action
from counter.link import StoreLink
from counter.machine import CounterMemory
from counter.window import CounterWindow
from shared.clock import ManualClock
from shared.config import load_branch_config
from shared.i18n import Translator
from shared.qt.operations import ImmediateRunner
from shared.services import calling, counters, kiosks, officers, roster, serving
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from shared.store.schema import upgrade_database
from shared.store.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]
# Offscreen unless told otherwise; read when the QApplication is made, not on import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = [(1366, 768), (1920, 1080)]
OUT = ROOT / "docs" / "screenshots"
ZONE = ZoneInfo("Asia/Jakarta")
BRANCH = "SRG"
STAFF = [
    ("ani", "Ani Rahmawati", "officer"),
    ("budi", "Budi Santoso", "officer"),
    ("citra", "Citra Lestari", "officer"),
    ("dedi", "Dedi Kurniawan", "officer"),
    ("sri", "Sri Wahyuni", "supervisor"),
]


def seed(store: Store, clock: ManualClock) -> dict[str, int]:
    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return attempt(store, BRANCH, lambda uow: action(uow, *args, **kwargs))

    ids = {
        login: run(officers.add_officer, login, name, role,
                   "1234" if role == "officer" else "SRI-9999").id
        for login, name, role in STAFF
    }
    for number, login in [(1, "ani"), (2, "budi"), (4, "citra"), (5, "dedi")]:
        run(counters.open_counter, number, ids[login])
    codes = ["JHT", "JHT", "JKM", "JHT", "JKK_JP", "INFO", "JHT", "JKM"]
    for index in range(24):
        run(
            issue_ticket,
            codes[index % len(codes)],
            priority=index == 20,
            kiosk="Anjungan 1",
            admission=Admission.ANY_HOUR,
        )
        clock.advance(timedelta(minutes=3))
    for _ in range(4):  # a morning's work at counters 1, 2 and 4
        for number, login in [(1, "ani"), (2, "budi"), (4, "citra")]:
            if run(calling.call_next, number, ids[login]) is None:
                continue
            clock.advance(40)
            run(serving.start, number, ids[login])
            clock.advance(timedelta(minutes=5))
            run(serving.finish, number, ids[login])
    for index in range(12):  # the last hour's arrivals, for the supervisor's demand figures
        code = codes[index % len(codes)]
        run(issue_ticket, code, kiosk="Anjungan 1", admission=Admission.ANY_HOUR)
        clock.advance(timedelta(minutes=4))
    run(calling.call_next, 5, ids["dedi"])
    for _ in range(2):
        clock.advance(60)
        run(calling.recall, 5, ids["dedi"])
    run(serving.no_show, 5, ids["dedi"])
    run(counters.pause_counter, 5, ids["dedi"], "Sholat")
    run(calling.call_next, 2, ids["budi"])
    run(serving.start, 2, ids["budi"])
    run(kiosks.report_printer, "Anjungan 1", "paper_low", "roll nearly empty")
    return ids


def grab(window: CounterWindow, name: str) -> None:
    app = QApplication.instance()
    assert app is not None
    for width, height in SIZES:
        window.resize(width, height)
        window.show()
        for _ in range(5):
            app.processEvents()
        path = OUT / f"counter-{name}-{width}x{height}.png"
        window.grab().save(str(path))
        print(path.relative_to(ROOT))


def grab_dialog(window: CounterWindow, name: str) -> None:
    """The question an action is asking, at its own size, then answered with Esc."""
    app = QApplication.instance()
    assert app is not None and window.desk_page is not None
    dialog = window.desk_page.dialog
    assert dialog is not None, f"{name}: no dialog open"
    for _ in range(5):
        app.processEvents()
    path = OUT / f"counter-{name}.png"
    dialog.grab().save(str(path))
    print(path.relative_to(ROOT))
    dialog.reject()
    app.processEvents()


def _plan(number: int, day: date, start: time, end: time, reason: str, note: str,
          supervisor: int, uow: UnitOfWork) -> roster.RosterLine:
    return roster.add_absence(uow, number, day, start, end, reason, note, by=supervisor)


def sign_in(window: CounterWindow, login: str, counter: int) -> None:
    page = window.login_page
    page.officer.setText(login)
    page.pin.setText("SRI-9999" if login == "sri" else "1234")
    page.counter.setCurrentIndex(page.counter.findData(counter))
    page.submit()


def main() -> int:
    officers.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="antrean-shots-"))
    clock = ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=ZONE))
    store = open_store(f"sqlite:///{folder / 'antrean.db'}", clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, load_branch_config(ROOT / "assets" / "config" / "demo-branch.toml"))
    ids = seed(store, clock)
    tr = Translator("id")

    def window() -> CounterWindow:
        link = StoreLink(store, BRANCH, ImmediateRunner())
        return CounterWindow(
            tr,
            link,
            CounterMemory(folder / "state.json"),
            ZONE,
            clock.now,
            preselect=1,
            branch_name="BPJS Ketenagakerjaan Kantor Cabang Serang",
        )

    login = window()
    login.login_page.officer.setText("ani")
    grab(login, "login")

    officer = window()
    sign_in(officer, "ani", 1)
    grab(officer, "officer-idle")
    assert officer.desk is not None
    officer.desk.call_next()
    clock.advance(35)
    officer.desk.refresh()
    grab(officer, "officer-called")
    assert officer.desk_page is not None
    officer.desk_page.trigger(Action.NO_SHOW)  # after one call: asked first
    grab_dialog(officer, "dialog-no-show")
    officer.desk.start()
    clock.advance(timedelta(minutes=3, seconds=12))
    officer.desk.refresh()
    grab(officer, "officer-serving")
    officer.desk_page.trigger(Action.FINISH)
    grab_dialog(officer, "dialog-outcome")
    officer.desk.finish("completed")
    officer.desk.refresh()
    grab(officer, "officer-after-visit")

    board = window()
    sign_in(board, "sri", 0)
    grab(board, "board")

    # Today's roster: planned absences and breaks entered by the supervisor on the board.
    today = clock.now().astimezone(ZONE).date()
    for number, day, start, end, reason, note in [
        (4, today, time(12), time(13), "lunch", ""),
        (2, today, time(13, 0), time(15, 0), "training", "Pelatihan JMO"),
        (5, today + timedelta(days=4), time(11, 30), time(13, 0), "prayer", "Jumat"),
        (3, today + timedelta(days=1), time(8), time(16), "leave", "Cuti tahunan"),
    ]:
        attempt(store, BRANCH, partial(_plan, number, day, start, end, reason, note, ids["sri"]))
    assert board.board_page is not None
    board.board_page.board.refresh()
    board.board_page.roster_table.selectRow(1)
    grab(board, "roster")

    # Twenty-five minutes on with nobody calling: the supervisor's alerts.
    clock.advance(timedelta(minutes=25))
    board.board_page.board.refresh()
    grab(board, "alerts")
    app.processEvents()
    store.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
