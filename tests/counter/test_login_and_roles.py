"""Signing in, the remembered counter, and who may reach the supervisor board."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from counter.board import Board
from counter.login_page import NO_COUNTER
from counter.machine import CounterMemory
from shared.qt.operations import OperationRunner
from shared.services import counters
from shared.store.database import Store
from tests.conftest import Staff
from tests.counter.conftest import Terminal
from tests.support.actions import run


def test_wrong_pin_is_refused_without_saying_which_part(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    t.sign_in("ani", 1, pin="9999")
    assert t.window.login_page.message.text() == "ID petugas atau PIN salah."
    assert t.window.desk is None
    t.sign_in("nobody", 1)
    assert t.window.login_page.message.text() == "ID petugas atau PIN salah."
    assert t.window.login_page.pin.text() == ""


def test_sign_in_opens_the_counter_and_it_is_remembered(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    page = t.window.login_page
    offered = [page.counter.itemData(i) for i in range(page.counter.count())]
    assert offered == [1, 2, 3, 4, NO_COUNTER]
    t.sign_in("budi", 2)
    assert t.desk.view is not None
    assert (t.desk.view.state, t.desk.view.officer_name) == ("open", "Budi")
    assert t.window.memory.counter() == 2

    again = make_terminal(sqlite_store, memory=t.window.memory)  # the same PC, the next morning
    assert again.window.login_page.counter.currentData() == 2


class ThreadNotingMemory(CounterMemory):
    """Notes which thread saved the counter."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.saved_on: list[str] = []

    def remember(self, number: int) -> None:
        self.saved_on.append(threading.current_thread().name)
        super().remember(number)


def test_the_counter_is_saved_on_the_worker_not_the_gui_thread(
    sqlite_store: Store,
    sqlite_staff: Staff,
    make_terminal: Callable[..., Terminal],
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    runner = OperationRunner(name="counter-worker")
    memory = ThreadNotingMemory(tmp_path / "state.json")
    try:
        t = make_terminal(sqlite_store, runner=runner, memory=memory)
        qtbot.waitUntil(lambda: t.window.login_page.counter.count() > 1)
        t.sign_in("budi", 2)
        qtbot.waitUntil(lambda: memory.counter() == 2)
    finally:
        runner.shutdown()
    assert len(memory.saved_on) == 1
    assert memory.saved_on[0].startswith("counter-worker")


def test_preselected_counter_from_the_command_line(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store, preselect=3)
    assert t.window.login_page.counter.currentData() == 3


def test_a_counter_open_under_someone_else_is_refused(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    run(sqlite_store, counters.open_counter, 1, sqlite_staff.budi)
    t = make_terminal(sqlite_store)
    t.sign_in("ani", 1)
    assert t.window.desk is None
    assert "Loket 1 sudah dibuka oleh petugas lain" in t.window.login_page.message.text()


def test_an_officer_cannot_reach_the_supervisor_board(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    t.sign_in("ani", NO_COUNTER)
    assert t.window.login_page.message.text() == "Pilih loket tempat Anda bertugas."
    assert t.window.officer is None
    t.sign_in("ani", 1)
    assert t.window.board_page is None and t.window.board is None
    assert not t.window.switch.isVisible()
    assert t.window.show_board() is False
    assert t.window.pages.currentWidget() is t.window.desk_page
    assert t.window.officer is not None
    with pytest.raises(PermissionError):
        Board(t.link, t.window.officer)


def test_a_supervisor_switches_between_counter_and_board(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    t.sign_in("sri", 4)
    assert t.window.pages.currentWidget() is t.window.desk_page
    assert t.window.switch.isVisible()
    t.qtbot.mouseClick(t.window.switch, Qt.MouseButton.LeftButton)
    assert t.window.pages.currentWidget() is t.window.board_page
    t.qtbot.mouseClick(t.window.switch, Qt.MouseButton.LeftButton)
    assert t.window.pages.currentWidget() is t.window.desk_page


def test_a_supervisor_may_sign_in_to_the_board_alone(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    t.sign_in("sri", NO_COUNTER)
    assert t.window.desk is None
    assert t.window.pages.currentWidget() is t.window.board_page
    assert t.window.sign_out.isVisible()
    t.qtbot.mouseClick(t.window.sign_out, Qt.MouseButton.LeftButton)
    assert t.window.pages.currentWidget() is t.window.login_page
    assert t.window.board is None
