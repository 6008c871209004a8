"""Every officer action from the keyboard, and what the screen allows at each step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from counter.actions import Action
from counter.desk_dialogs import (
    FinishDialog,
    NumberReasonDialog,
    PauseDialog,
    ResumeHeldDialog,
    TransferDialog,
)
from shared.changes import watch_changes
from shared.clock import ManualClock
from shared.qt.changes import ChangeSignals
from shared.services import counters
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.models import Event, Ticket
from tests.conftest import Staff
from tests.counter.conftest import HeldRunner, Terminal
from tests.support.actions import run

A = Action
IDLE = {A.CALL_NEXT, A.CALL_NUMBER, A.PAUSE, A.CLOSE}
CALLED = {A.RECALL, A.START, A.NO_SHOW}
SERVING = {A.FINISH, A.TRANSFER, A.HOLD}


def ticket(store: Store, label: str) -> Ticket:
    with store.sessions() as session:
        found = session.scalar(select(Ticket).where(Ticket.label == label))
        assert found is not None
        return found


def event_count(store: Store, kind: str) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).where(Event.kind == kind)) or 0)


@pytest.fixture
def ani_at_1(store: Store, staff: Staff, make_terminal: Callable[..., Terminal]) -> Terminal:
    terminal = make_terminal(store)
    terminal.sign_in("ani", 1)
    assert terminal.desk.view is not None and terminal.desk.view.state == "open"
    return terminal


def test_a_whole_visit_on_function_keys(
    store: Store, ani_at_1: Terminal, clock: ManualClock
) -> None:
    t = ani_at_1
    assert t.enabled() == {A.PAUSE, A.CLOSE}  # nobody waiting yet
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    assert t.enabled() == IDLE

    t.press(A.CALL_NEXT)
    assert t.current() == "A001" and ticket(store, "A001").state == "called"
    assert t.enabled() == CALLED
    assert t.page.panel.number.text() == "A001"
    assert "ke-1 dari 3" in t.page.panel.calls.text()

    t.press(A.RECALL)
    assert ticket(store, "A001").call_count == 2
    assert "ke-2 dari 3" in t.page.panel.calls.text()

    clock.advance(30)
    t.press(A.START)
    assert ticket(store, "A001").state == "serving"
    assert t.enabled() == SERVING

    t.press(A.FINISH)  # asks for the outcome first
    dialog = t.page.dialog
    assert isinstance(dialog, FinishDialog)
    assert ticket(store, "A001").state == "serving"
    dialog.buttons["referred"].click()
    done = ticket(store, "A001")
    assert (done.state, done.outcome) == ("done", "referred")
    assert t.page.dialog is None
    assert t.enabled() == IDLE
    assert t.desk.view is not None and t.desk.view.figures is not None
    assert t.desk.view.figures.served == 1


def test_disabled_keys_do_nothing(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    for action in (A.RECALL, A.START, A.NO_SHOW, A.HOLD, A.TRANSFER, A.LOG_OUT):
        t.press(action)
    assert ticket(store, "A001").state == "waiting"
    assert t.page.dialog is None
    assert t.window.desk is not None  # F12 did not sign out from an open counter


def test_no_show_frees_the_counter(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NEXT)
    t.press(A.RECALL)
    t.press(A.NO_SHOW)  # after a recall: no question asked
    assert t.page.dialog is None
    assert ticket(store, "A001").state == "no_show"
    assert t.current() is None
    assert t.enabled() == {A.PAUSE, A.CLOSE}


def test_after_the_call_limit_recall_is_off_and_call_next_marks_a_no_show(
    store: Store, ani_at_1: Terminal
) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NEXT)
    t.press(A.RECALL)
    t.press(A.RECALL)
    assert ticket(store, "A001").call_count == 3
    assert t.enabled() == CALLED - {A.RECALL} | {A.CALL_NEXT, A.CALL_NUMBER}
    t.press(A.CALL_NEXT)
    assert ticket(store, "A001").state == "no_show"
    assert t.current() == "A002"


def test_transfer_with_a_note_reaches_the_next_counter(
    store: Store, staff: Staff, ani_at_1: Terminal, make_terminal: Callable[..., Terminal]
) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NEXT)
    t.press(A.START)
    t.press(A.TRANSFER)
    dialog = t.page.dialog
    assert isinstance(dialog, TransferDialog)
    targets = [dialog.service.itemData(i) for i in range(dialog.service.count())]
    assert targets == ["JKM", "RESET"]  # not back into its own service
    dialog.service.setCurrentIndex(0)
    dialog.note.setText("sudah verifikasi dokumen")
    dialog.ok_button.click()
    moved = ticket(store, "A001")
    assert (moved.state, moved.service_id != moved.issued_service_id) == ("waiting", True)
    assert t.current() is None

    other = make_terminal(store)
    other.sign_in("citra", 3)  # counter 3 serves JKM first
    other.press(A.CALL_NEXT)
    assert other.current() == "A001"
    assert "sudah verifikasi dokumen" in other.page.panel.note.text()


def test_hold_then_resume_a_held_ticket(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NEXT)
    t.press(A.START)
    t.press(A.HOLD)
    assert ticket(store, "A001").state == "held"
    assert [h.label for h in t.page.held.rows()] == ["A001"]
    # A held ticket keeps the counter from closing, not from serving others.
    assert t.enabled() == {A.CALL_NEXT, A.CALL_NUMBER, A.RESUME_HELD, A.PAUSE}
    t.press(A.CALL_NEXT)
    assert t.current() == "A002"
    assert A.RESUME_HELD not in t.enabled()  # busy with A002
    t.press(A.START)
    t.press(A.FINISH)
    assert isinstance(t.page.dialog, FinishDialog)
    t.page.dialog.buttons["completed"].click()

    t.press(A.RESUME_HELD)
    dialog = t.page.dialog
    assert isinstance(dialog, ResumeHeldDialog)
    assert dialog.label() == "A001"
    dialog.ok_button.click()
    assert ticket(store, "A001").state == "serving"
    assert t.current() == "A001"
    assert t.page.held.rows() == []


def test_calling_a_number_out_of_turn_needs_a_reason(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NUMBER)
    dialog = t.page.dialog
    assert isinstance(dialog, NumberReasonDialog)
    dialog.number.setCurrentText("A003")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setText("lansia, kursi roda")
    assert dialog.ok_button.isEnabled()
    dialog.ok_button.click()
    assert t.current() == "A003"
    with store.sessions() as session:
        detail = session.scalar(select(Event.detail).where(Event.kind == "ticket.call"))
    assert detail == "lansia, kursi roda"


def test_a_refusal_is_shown_and_changes_nothing(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NUMBER)
    dialog = t.page.dialog
    assert isinstance(dialog, NumberReasonDialog)
    dialog.number.setCurrentText("B077")
    dialog.reason.setText("salah ketik")
    dialog.ok_button.click()
    # In the officer's language, not the engine's English.
    assert t.page.message.text() == "Tidak dapat dilakukan: Tidak ada nomor B077 hari ini."
    assert t.current() is None


def test_break_then_back_then_close_and_sign_out(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.PAUSE)
    dialog = t.page.dialog
    assert isinstance(dialog, PauseDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("prayer"))
    dialog.details.setText("dzuhur")
    dialog.ok_button.click()
    view = t.desk.view
    assert view is not None and (view.state, view.pause_reason) == ("paused", "Sholat: dzuhur")
    assert t.enabled() == {A.PAUSE, A.CLOSE}
    assert "Kembali" in t.page.actions_bar.buttons[A.PAUSE].text()

    t.press(A.PAUSE)  # back from the break, no question asked
    assert t.desk.view is not None and t.desk.view.state == "open"

    t.press(A.CLOSE)
    assert t.desk.view is not None and t.desk.view.state == "closed"
    assert t.enabled() == {A.CLOSE, A.LOG_OUT}
    assert "Buka" in t.page.actions_bar.buttons[A.CLOSE].text()
    t.press(A.CLOSE)  # opens it again
    assert t.desk.view is not None and t.desk.view.state == "open"
    t.press(A.CLOSE)
    t.press(A.LOG_OUT)
    assert t.window.desk is None
    assert t.window.pages.currentWidget() is t.window.login_page
    t.qtbot.wait(10)  # let the old pages go
    t.sign_in("ani", 1)  # the next shift: the link is reused, the old pages are gone
    t.press(A.CALL_NEXT)
    assert t.current() == "A001"


def test_closing_is_off_while_a_visitor_is_at_the_counter(store: Store, ani_at_1: Terminal) -> None:
    t = ani_at_1
    run(store, issue_ticket, "JHT")
    t.desk.refresh()
    t.press(A.CALL_NEXT)
    assert not {A.PAUSE, A.CLOSE, A.LOG_OUT} & t.enabled()
    t.press(A.CLOSE)
    assert t.desk.view is not None and t.desk.view.state == "open"


def test_one_press_one_request_while_the_store_is_slow(
    store: Store, staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    runner = HeldRunner()
    t = make_terminal(store, runner=runner)
    runner.run_all()  # the login page's counter list
    t.sign_in("ani", 1)
    runner.run_all()
    for _ in range(2):
        run(store, issue_ticket, "JHT")
    t.desk.refresh()
    runner.run_all()
    t.press(A.CALL_NEXT)
    assert t.enabled() == set()  # on its way: every key is off
    t.press(A.CALL_NEXT)
    t.qtbot.mouseClick(t.page.actions_bar.buttons[A.CALL_NEXT], Qt.MouseButton.LeftButton)
    runner.run_all()
    assert event_count(store, "ticket.call") == 1
    assert ticket(store, "A002").state == "waiting"
    assert t.current() == "A001"


def test_the_screen_follows_changes_made_elsewhere(
    qtbot: QtBot, store: Store, staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    signals = ChangeSignals(watch_changes(store, "TST")).start()
    try:
        t = make_terminal(store, changes=signals)
        t.sign_in("ani", 1)
        run(store, issue_ticket, "JHT")  # a kiosk, in another process
        qtbot.waitUntil(lambda: t.page.queue.rowCount() == 1, timeout=10_000)
        assert A.CALL_NEXT in t.enabled()
        run(store, counters.pause_counter, 1, staff.sri, "rapat")  # the supervisor
        qtbot.waitUntil(lambda: t.enabled() == {A.PAUSE, A.CLOSE}, timeout=10_000)
        assert t.desk.view is not None and t.desk.view.pause_reason == "rapat"
    finally:
        signals.stop()
