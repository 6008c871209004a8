"""Counter terminals in tests: real windows on the test store, driven by keys and clicks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter.actions import FUNCTION_KEYS, Action
from counter.board_page import BoardPage
from counter.desk import Desk
from counter.desk_page import DeskPage
from counter.devices import CounterDevices
from counter.link import StoreLink
from counter.login_page import NO_COUNTER
from counter.machine import CounterMemory
from counter.todays_report import ReportDelivery
from counter.window import CounterWindow
from shared.clock import ManualClock
from shared.i18n import Translator
from shared.qt.changes import ChangeSignals
from shared.qt.operations import ImmediateRunner, Runner
from shared.services import counters, officers
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from tests.conftest import Staff, secret_for
from tests.support.actions import run
from tests.support.branches import small_branch

JAKARTA = ZoneInfo("Asia/Jakarta")
PIN = "1234"
STAFF = (("ani", "officer"), ("budi", "officer"), ("citra", "officer"), ("sri", "supervisor"))


class HeldRunner:
    """Keeps each piece of work until the test lets it run: what a slow store looks like."""

    pending = 0

    def __init__(self) -> None:
        self.queue: list[tuple[Callable[[], Any], Any, Any]] = []

    def run(self, work: Callable[[], Any], on_done: Any = None, on_error: Any = None) -> None:
        self.queue.append((work, on_done, on_error))

    def run_all(self) -> None:
        while self.queue:
            ImmediateRunner().run(*self.queue.pop(0))

    def shutdown(self) -> None:
        """Nothing runs in the background."""


@dataclass
class Terminal:
    """One counter app: its window, link and store, with the officer's gestures."""

    qtbot: QtBot
    window: CounterWindow
    link: StoreLink

    def sign_in(self, login: str, counter: int, pin: str | None = None) -> None:
        if pin is None:
            pin = secret_for(dict(STAFF).get(login, "officer"))
        page = self.window.login_page
        page.officer.setText(login)
        page.pin.setText(pin)
        index = page.counter.findData(counter)
        assert index >= 0, f"counter {counter} is not offered"
        page.counter.setCurrentIndex(index)
        self.qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)

    @property
    def desk(self) -> Desk:
        assert self.window.desk is not None, "nobody is signed in at a counter"
        return self.window.desk

    @property
    def page(self) -> DeskPage:
        assert self.window.desk_page is not None
        return self.window.desk_page

    def enabled(self) -> set[Action]:
        """What the screen offers, read from the buttons themselves."""
        return {a for a, button in self.page.actions_bar.buttons.items() if button.isEnabled()}

    def press(self, action: Action) -> None:
        """The action's function key, as the officer presses it (in this window)."""
        if not self.window.isActiveWindow():
            self.window.activateWindow()
            self.qtbot.waitUntil(self.window.isActiveWindow)
        key = Qt.Key(int(Qt.Key.Key_F1) + FUNCTION_KEYS[action] - 1)
        self.qtbot.keyClick(self.window, key)

    def current(self) -> str | None:
        view = self.desk.view
        return view.current.label if view and view.current else None


@pytest.fixture
def sqlite_store(sqlite_url: str, clock: ManualClock) -> Iterator[Store]:
    """The test branch on SQLite only, with the same staff as `staff`: for screens whose
    behaviour does not depend on the database (the engine's tests cover both)."""
    store = open_store(sqlite_url, clock=clock)
    apply_branch_config(store, small_branch())
    for login, role in STAFF:
        run(store, officers.add_officer, login, login.title(), role, secret_for(role))
    yield store
    store.dispose()


@pytest.fixture
def sqlite_staff(sqlite_store: Store) -> Staff:
    ids = {o.login: o.id for o in run(sqlite_store, officers.list_officers)}
    return Staff(**{login: ids[login] for login, _ in STAFF})


@pytest.fixture
def tr() -> Translator:
    return Translator("id")


@pytest.fixture
def make_terminal(
    qtbot: QtBot, tmp_path: Path, tr: Translator, clock: ManualClock
) -> Iterator[Callable[..., Terminal]]:
    made: list[Terminal] = []

    def make(
        store: Store,
        runner: Runner | None = None,
        changes: ChangeSignals | None = None,
        devices: CounterDevices | None = None,
        probe_milliseconds: int = 50,
        preselect: int | None = None,
        memory: CounterMemory | None = None,
        reports: ReportDelivery | None = None,
    ) -> Terminal:
        link = StoreLink(store, "TST", runner or ImmediateRunner(), changes, probe_milliseconds)
        memory = memory or CounterMemory(tmp_path / f"state-{len(made)}.json")
        window = CounterWindow(
            tr,
            link,
            memory,
            JAKARTA,
            clock.now,
            changes=changes,
            devices=devices,
            preselect=preselect,
            branch_name="Uji",
            reports=reports,
        )
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        terminal = Terminal(qtbot, window, link)
        made.append(terminal)
        return terminal

    yield make
    for terminal in made:
        terminal.link.stop()


@pytest.fixture
def board(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> BoardPage:
    """The supervisor's board, signed in with counters 1 and 2 open."""
    run(sqlite_store, counters.open_counter, 1, sqlite_staff.ani)
    run(sqlite_store, counters.open_counter, 2, sqlite_staff.budi)
    t = make_terminal(sqlite_store)
    t.sign_in("sri", NO_COUNTER)
    assert t.window.board_page is not None
    return t.window.board_page
