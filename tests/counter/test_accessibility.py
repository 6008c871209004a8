"""The counter's windows read by a screen reader: the window, every page and every question
name each control."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog

from counter.actions import Action
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from tests.conftest import Staff
from tests.counter.conftest import Terminal
from tests.support.accessibility import Found, controls, unnamed
from tests.support.actions import run

A = Action


def _dialog_gaps(t: Terminal, action: Action) -> list[Found]:
    t.press(action)
    dialog = t.page.dialog
    assert isinstance(dialog, QDialog), action
    t.qtbot.waitExposed(dialog)
    gaps = unnamed(dialog)
    assert controls(dialog)[0].name  # the question names the dialog
    dialog.reject()
    t.qtbot.waitUntil(lambda: t.page.dialog is None)
    return gaps


def test_login_desk_dialogs_and_board_name_every_control(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    t = make_terminal(sqlite_store)
    missing: dict[str, list[Found]] = {}
    missing["login"] = unnamed(t.window)
    t.sign_in("sri", 1)  # a supervisor: desk and board
    for _ in range(3):
        run(sqlite_store, issue_ticket, "JHT")
    t.desk.refresh()
    missing["desk"] = unnamed(t.window)
    missing["call a number"] = _dialog_gaps(t, A.CALL_NUMBER)
    missing["break"] = _dialog_gaps(t, A.PAUSE)
    t.press(A.CALL_NEXT)
    missing["no-show question"] = _dialog_gaps(t, A.NO_SHOW)
    t.press(A.START)
    missing["outcome"] = _dialog_gaps(t, A.FINISH)
    missing["transfer"] = _dialog_gaps(t, A.TRANSFER)
    t.press(A.HOLD)
    missing["resume held"] = _dialog_gaps(t, A.RESUME_HELD)
    assert t.window.show_board()
    missing["board"] = unnamed(t.window)
    assert {name: gaps for name, gaps in missing.items() if gaps} == {}
    assert controls(t.window)[0].name  # the window itself
