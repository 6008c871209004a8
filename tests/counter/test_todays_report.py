"""Today's report from the supervisor board: made through the runner, saved, opened."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import func, select

from counter.board_page import BoardPage
from counter.login_page import NO_COUNTER
from counter.todays_report import ReportDelivery
from shared.clock import ManualClock
from shared.i18n import Translator
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.models import Ticket
from tests.conftest import Staff
from tests.counter.conftest import HeldRunner, Terminal
from tests.support.actions import run
from tests.support.branches import MONDAY_0800

TUESDAY = (MONDAY_0800 + timedelta(days=1)).date()


class Browser:
    """Stands in for the system's browser: records each file it is asked to open."""

    def __init__(self, answers: bool = True) -> None:
        self.opened: list[Path] = []
        self.answers = answers

    def open(self, path: Path) -> bool:
        self.opened.append(path)
        return self.answers


@pytest.fixture
def two_days(sqlite_store: Store, sqlite_staff: Staff, clock: ManualClock) -> None:
    """Two tickets on Monday; on Tuesday (today) three, of which Ani serves one."""
    run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, issue_ticket, "JKM")
    clock.set(MONDAY_0800 + timedelta(days=1, minutes=5))
    run(sqlite_store, counters.open_counter, 1, sqlite_staff.ani)
    for code in ("JHT", "JKM", "JHT"):
        run(sqlite_store, issue_ticket, code)
    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    run(sqlite_store, serving.start, 1, sqlite_staff.ani)
    clock.advance(300)
    run(sqlite_store, serving.finish, 1, sqlite_staff.ani)


def board_of(terminal: Terminal, runner: HeldRunner | None = None) -> BoardPage:
    if runner is not None:
        runner.run_all()  # the sign-in page's list of counters
    terminal.sign_in("sri", NO_COUNTER)
    if runner is not None:
        runner.run_all()  # signing in, the board's first read
    page = terminal.window.board_page
    assert page is not None
    return page


def tile(html: str, label: str) -> int:
    found = re.search(rf'<div class="tile"><b>(\d+)</b>{label}<', html)
    assert found is not None, f"no tile {label!r}"
    return int(found.group(1))


@pytest.mark.usefixtures("two_days")
def test_the_supervisor_opens_todays_report(
    sqlite_store: Store,
    make_terminal: Callable[..., Terminal],
    tmp_path: Path,
    tr: Translator,
) -> None:
    browser = Browser()
    runner = HeldRunner()
    folder = tmp_path / "cache" / "reports"
    terminal = make_terminal(sqlite_store, runner, reports=ReportDelivery(folder, browser.open))
    page = board_of(terminal, runner)
    assert page.report_button.isEnabled()

    terminal.qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    # Made on the worker: nothing is opened until the runner has run it.
    assert browser.opened == []
    assert not page.report_button.isEnabled()
    assert page.message.text() == tr("counter.report.making")
    runner.run_all()

    assert len(browser.opened) == 1
    opened = browser.opened[0]
    assert opened.parent == folder and opened.is_file()
    assert opened.name == f"laporan-TST-{TUESDAY:%Y-%m-%d}.html"
    assert page.message.text() == tr("counter.report.opened", path=str(opened))
    assert page.message.property("tone") == "info"
    assert page.report_button.isEnabled()
    with sqlite_store.read_sessions() as session:
        issued_today = session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.business_date == TUESDAY)
        )
    assert issued_today == 3
    html = opened.read_text(encoding="utf-8")
    assert tile(html, "Tiket diterbitkan") == issued_today
    assert tile(html, "Selesai dilayani") == 1
    assert f"{TUESDAY:%d-%m-%Y} s.d. {TUESDAY:%d-%m-%Y}" in html


@pytest.mark.usefixtures("two_days")
def test_today_is_the_branchs_day_not_utcs(
    sqlite_store: Store, make_terminal: Callable[..., Terminal], tmp_path: Path, clock: ManualClock
) -> None:
    browser = Browser()
    terminal = make_terminal(sqlite_store, reports=ReportDelivery(tmp_path, browser.open))
    page = board_of(terminal)
    # Wednesday 06:00 in Jakarta is still Tuesday 23:00 in UTC.
    clock.set(MONDAY_0800 + timedelta(days=1, hours=22))
    page.report_button.click()
    wednesday = TUESDAY + timedelta(days=1)
    assert [p.name for p in browser.opened] == [f"laporan-TST-{wednesday:%Y-%m-%d}.html"]
    assert tile(browser.opened[0].read_text(encoding="utf-8"), "Tiket diterbitkan") == 0


def test_a_report_that_cannot_be_saved_is_explained_on_the_board(
    sqlite_store: Store, make_terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    browser = Browser()
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    terminal = make_terminal(sqlite_store, reports=ReportDelivery(blocked, browser.open))
    page = board_of(terminal)
    page.report_button.click()
    assert browser.opened == []
    assert page.message.text().startswith("Laporan hari ini gagal dibuat: FileExistsError")
    assert page.message.property("tone") == "error"
    assert page.report_button.isEnabled()  # a second try is allowed


def test_a_browser_that_does_not_open_leaves_the_file_named(
    sqlite_store: Store, make_terminal: Callable[..., Terminal], tmp_path: Path, tr: Translator
) -> None:
    browser = Browser(answers=False)
    terminal = make_terminal(sqlite_store, reports=ReportDelivery(tmp_path, browser.open))
    page = board_of(terminal)
    page.report_button.click()
    assert len(browser.opened) == 1 and browser.opened[0].is_file()
    assert page.message.text() == tr("counter.report.not_opened", path=str(browser.opened[0]))


def test_signing_out_while_the_report_is_made_opens_nothing(
    sqlite_store: Store, make_terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    browser = Browser()
    runner = HeldRunner()
    terminal = make_terminal(sqlite_store, runner, reports=ReportDelivery(tmp_path, browser.open))
    page = board_of(terminal, runner)
    page.report_button.click()
    terminal.window.log_out()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    runner.run_all()
    assert browser.opened == []


def test_an_officer_has_no_report_button(
    sqlite_store: Store,
    sqlite_staff: Staff,
    make_terminal: Callable[..., Terminal],
    tmp_path: Path,
) -> None:
    browser = Browser()
    terminal = make_terminal(sqlite_store, reports=ReportDelivery(tmp_path, browser.open))
    terminal.sign_in("ani", 1)
    assert terminal.window.desk_page is not None
    assert terminal.window.board_page is None
    assert terminal.window.findChildren(QPushButton, "board_report") == []
    terminal.window.log_out()
    board_of(terminal)
    assert len(terminal.window.findChildren(QPushButton, "board_report")) == 1
