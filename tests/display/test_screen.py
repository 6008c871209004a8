"""The lobby screen's states, on real widgets fed from the test store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from display.window import LobbyWindow
from shared.clock import ManualClock
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.unit_of_work import Change
from tests.conftest import Staff
from tests.display.conftest import Lobby
from tests.support.actions import run

CALL = [Change(1, 0, "ticket.call")]


def test_a_new_call_flashes_for_a_while_then_stays(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    window.show()
    lobby.feed.refresh()
    assert not window.now_calling.flashing
    window.now_calling.set_flash_seconds(0.6)
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    with qtbot.waitSignal(window.now_calling.painted) as painted:
        lobby.feed.on_changed(CALL)
    assert painted.args[1] == "A001"
    assert window.now_calling.flashing and window.now_calling.lit
    qtbot.waitUntil(lambda: not window.now_calling.flashing, timeout=5000)
    assert not window.now_calling.lit
    assert window.now_calling.call is not None
    assert window.now_calling.call.label == "A001"


def test_a_recall_flashes_again_with_its_own_caption(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    lobby.feed.refresh()
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    lobby.feed.on_changed(CALL)
    window.now_calling.stop_flash()
    run(store, calling.recall, 1, open_desks.ani)
    lobby.feed.on_changed([Change(1, 0, "ticket.recall")])
    shown = window.now_calling.call
    assert shown is not None and shown.recall
    assert window.now_calling.flashing
    window.grab()


def test_the_settings_flash_time_zero_means_no_flash(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff
) -> None:
    lobby.feed.refresh()
    window.now_calling.set_flash_seconds(0)
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    lobby.feed.on_changed(CALL)
    assert not window.now_calling.flashing


def test_connection_lost_shows_the_banner_until_recovered(
    window: LobbyWindow, lobby: Lobby, qtbot: QtBot
) -> None:
    window.show()
    lobby.feed.refresh()
    assert not window.banner.isVisible()
    lobby.feed.on_connection_lost()
    assert window.banner.isVisible()
    assert window.banner.lines()[0].startswith("Koneksi ke server terputus")
    assert window.banner.geometry().top() == 0  # over the header, clear of the number
    window.grab()
    lobby.feed.on_reconnected()
    assert not window.banner.isVisible()


def test_no_counter_open_and_no_call_yet(
    window: LobbyWindow, lobby: Lobby, store: Store, staff: Staff
) -> None:
    lobby.feed.refresh()
    assert lobby.counters.rowCount() == 0
    assert window.counters.empty_message == "display.counters.none_open"
    assert window.now_calling.call is None
    window.grab()
    run(store, counters.open_counter, 3, staff.citra)
    lobby.feed.on_changed([Change(1, 0, "counter.opened")])
    assert window.counters.empty_message is None
    assert lobby.counters.value(0, "name") == "Loket 3"


def test_a_closed_service_says_so_and_the_rest_show_waits(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 4, open_desks.citra)
    clock.advance(timedelta(hours=1))  # 09:00: RESET issues tickets 08:00-08:30 only
    run(store, issue_ticket, "JHT")
    lobby.feed.refresh()
    by_code = {lobby.waits.value(r, "code"): r for r in range(lobby.waits.rowCount())}
    assert lobby.waits.value(by_code["RESET"], "waitText") == "Ditutup"
    assert lobby.waits.value(by_code["JHT"], "waitText").endswith("menit")
    assert lobby.waits.value(by_code["JHT"], "waiting") == 1
    window.grab()


def test_running_text_clock_and_information_come_from_the_branch(
    window: LobbyWindow, lobby: Lobby, open_desks: Staff
) -> None:
    window.show()
    lobby.feed.refresh()
    assert window.header.texts() == ("Senin, 23 November 2026", "08:00 WIB")
    assert window.ticker.text == ""  # the test branch has no running text
    window.apply_settings(lobby.feed.settings.__class__(
        display=lobby.feed.settings.display.model_copy(
            update={"running_text_id": "Gratis", "running_text_en": "Free"}
        ),
        opening_hours=lobby.feed.settings.opening_hours,
    ))  # fmt: skip
    assert window.ticker.text.startswith("Gratis") and window.ticker.text.endswith("Free")
    assert window.ticker.running
    titles = [page.title for page in window.info.pages]
    assert titles[:2] == ["Jam layanan hari ini", "Sisa kuota hari ini"]
    # The hours page may come in parts on a small panel; the quota page follows its last.
    hours_parts = window.info.screens()[0].parts
    for _ in range(hours_parts):
        window.info.next_page()
    assert window.info.page is not None
    assert window.info.page.title == "Sisa kuota hari ini"


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1080, 1920)])
def test_every_panel_fits_the_screen_without_overlapping(
    window: LobbyWindow, lobby: Lobby, size: tuple[int, int]
) -> None:
    lobby.feed.refresh()
    window.resize(*size)
    window.arrange()
    screen = QRect(0, 0, *size)
    panels = [window.header, window.now_calling, window.last_calls, window.counters,
              window.waits, window.info, window.ticker]  # fmt: skip
    for panel in panels:
        assert screen.contains(panel.geometry()), panel
        assert panel.height() > 0
    for n, first in enumerate(panels):
        for second in panels[n + 1 :]:
            assert not first.geometry().intersects(second.geometry()), (first, second)
    window.grab()


def _panel_and_tiles_agree(window: LobbyWindow, lobby: Lobby) -> None:
    call = window.now_calling.call
    tiles = {
        lobby.counters.value(r, "number"): (
            lobby.counters.value(r, "state"),
            lobby.counters.value(r, "ticket"),
        )
        for r in range(lobby.counters.rowCount())
    }
    if call is not None:
        assert tiles[call.counter_number] == ("open", call.label), (call, tiles)
    listed = [lobby.calls.value(r, "eventId") for r in window.last_calls.shown_rows(
        window.last_calls.rect().toRectF())]  # fmt: skip
    assert (call.event_id if call else 0) not in listed


def test_the_big_panel_and_the_tiles_always_show_the_same_call(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff
) -> None:
    """Once the panel said "B021 → LOKET 5" while Loket 5's tile showed "–": the officer had
    finished B021 at once. Both now come from one board, and the panel shows a call only while
    its ticket is still at its counter."""
    window.resize(1920, 1080)
    window.arrange()
    lobby.feed.refresh()
    for service in ("JHT", "JHT", "JHT"):
        run(store, issue_ticket, service)
    steps = [
        ("ticket.call", lambda: run(store, calling.call_next, 1, open_desks.ani)),
        ("ticket.call", lambda: run(store, calling.call_next, 2, open_desks.budi)),
        ("ticket.start", lambda: run(store, serving.start, 2, open_desks.budi)),
        # The newest call's ticket leaves its counter: the panel falls back to counter 1's.
        ("ticket.finish", lambda: run(store, serving.finish, 2, open_desks.budi)),
        ("ticket.no_show", lambda: run(store, serving.no_show, 1, open_desks.ani)),
        ("ticket.call", lambda: run(store, calling.call_next, 1, open_desks.ani)),
        ("ticket.recall", lambda: run(store, calling.recall, 1, open_desks.ani)),
        ("ticket.start", lambda: run(store, serving.start, 1, open_desks.ani)),
        ("ticket.finish", lambda: run(store, serving.finish, 1, open_desks.ani)),
    ]
    shown = []
    for kind, step in steps:
        step()
        lobby.feed.on_changed([Change(1, 0, kind)])
        _panel_and_tiles_agree(window, lobby)
        call = window.now_calling.call
        shown.append(f"{call.label}@{call.counter_number}" if call else "-")
        window.grab()
    assert shown == ["A001@1", "A002@2", "A002@2", "A001@1", "-", "A003@1", "A003@1", "A003@1", "-"]


def test_captions_are_indonesian_unless_the_branch_asks_for_english_too(
    window: LobbyWindow, lobby: Lobby, store: Store, open_desks: Staff
) -> None:
    """Every label doubled in English cost the number its height: English is a setting."""
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    lobby.feed.refresh()
    assert not lobby.feed.settings.display.english_captions  # the default
    caption, _number, go_to, _counter = window.now_calling.lines()
    assert (caption.text, go_to.text) == ("NOMOR ANTREAN", "silakan menuju")
    assert window.counters.caption("display.counters.title") == "Loket"
    window.apply_settings(replace(
        lobby.feed.settings,
        display=lobby.feed.settings.display.model_copy(update={"english_captions": True}),
    ))  # fmt: skip
    caption, _number, go_to, _counter = window.now_calling.lines()
    assert (caption.text, go_to.text) == (
        "NOMOR ANTREAN · NOW CALLING",
        "silakan menuju · please go to",
    )
    assert window.counters.caption("display.counters.title") == "Loket · Counters"
    assert all(panel.english for panel in (window.last_calls, window.counters, window.waits))
    window.grab()
