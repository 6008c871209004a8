"""One instant, one truth: the kiosk's home and service screens, the printed ticket, the lobby
display and the phone's pages show the same wait for a ticket taken now."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from display.waits_model import ServiceWaitsModel
from kiosk.flow import Screen
from shared.config import parse_branch_config
from shared.estimation.window import WaitEstimate
from shared.services import serving
from shared.services.counters import open_counter
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.services.service_outlook import branch_outlook, call_window, wait_minutes
from tests.conftest import Staff
from tests.kiosk.conftest import BOTH_STORES, KIOSK_BRANCH, KioskFactory
from tests.support.actions import called_next, run
from web.app import create_app

Printed = Callable[[], list[bytes]]
RANGE = re.compile(r"(\d+)–(\d+) menit")


def minutes_in(text: str) -> tuple[int, int]:
    found = RANGE.search(text)
    assert found is not None, text
    return int(found.group(1)), int(found.group(2))


def clock_range(text: str) -> str:
    found = re.search(r"\d\d:\d\d–\d\d:\d\d", text)
    assert found is not None, text
    return found.group(0)


@BOTH_STORES
def test_one_instant_gives_the_same_figures_on_every_surface(
    make_kiosk: KioskFactory, staff: Staff, printed: Printed
) -> None:
    kiosk = make_kiosk()
    store, clock = kiosk.store, kiosk.clock
    start = clock.now()
    # A realistic morning: three counters, two services, visitors served and still waiting.
    for number, officer in ((1, staff.ani), (2, staff.budi), (3, staff.citra)):
        run(store, open_counter, number, officer)
    for minute in range(0, 60, 3):
        clock.set(start + timedelta(minutes=minute))
        run(store, issue_ticket, "JHT" if minute % 9 else "JKM")
        if minute % 12 == 0:
            number, officer = (1, staff.ani) if minute % 24 else (3, staff.citra)
            called_next(store, number, officer)
            run(store, serving.start, number, officer)
            run(store, serving.finish, number, officer)
    clock.set(start + timedelta(hours=1, minutes=13, seconds=20))  # the instant: 09:13:20
    now = clock.now().astimezone(kiosk.settings.timezone)
    kiosk.flow.refresh_offer()

    home = minutes_in(kiosk.window.home.grid.button("JHT").status.text())
    outlook = attempt(store, "TST", branch_outlook, read_only=True)
    display = ServiceWaitsModel()
    display.set_rows(outlook.services)
    row = next(r for r in range(display.rowCount()) if display.value(r, "code") == "JHT")
    lobby = minutes_in(display.value(row, "waitText"))
    config = parse_branch_config(KIOSK_BRANCH, "kiosk-branch.toml")
    with TestClient(create_app(store, config)) as phone:
        web_home = phone.get("/").text
        jht_line = web_home[web_home.index("Klaim JHT"):]
        on_the_phone = minutes_in(jht_line)

        kiosk.tap_service("JHT")  # the service screen, then the ticket
        assert kiosk.flow.screen is Screen.DOCUMENTS
        service_screen = minutes_in(kiosk.window.documents.status.text())
        kiosk.tap(kiosk.window.documents.take_button)
        assert kiosk.flow.screen is Screen.RESULT and kiosk.flow.last_slip is not None
        window_line = kiosk.flow.last_slip.window_line()
        assert window_line is not None
        outcome = kiosk.window.result.outcome
        assert outcome is not None
        status_page = phone.get(f"/t/{outcome.ticket.token}").text

    low, high = home
    assert (low, high) != (0, 0) and high > low
    assert service_screen == lobby == on_the_phone == home
    expected = f"{now + timedelta(minutes=low):%H:%M}–{now + timedelta(minutes=high):%H:%M}"
    assert clock_range(window_line) == expected  # the printed ticket
    assert clock_range(kiosk.window.result.call_window.text()) == expected  # its screen
    assert clock_range(status_page) == expected  # the phone, following the ticket
    assert len(printed()) == 1


def test_the_time_of_a_window_is_the_instant_plus_the_shown_minutes() -> None:
    """The rounding every surface shares: whole minutes of the 80 % window."""
    wait = WaitEstimate(1300.0, 829.0, 2051.0, 2)
    assert wait_minutes(wait) == (14, 34)
    at = datetime(2026, 11, 23, 9, 13, 20)
    assert call_window(at, wait) == (at + timedelta(minutes=14), at + timedelta(minutes=34))
