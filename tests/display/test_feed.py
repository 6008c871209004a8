"""The feed: change signals in, reads through the runner, models and announcements out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from display import feed as feed_module
from display.feed import LobbyFeed
from display.link import StoreLink
from shared.announcing.call import Call
from shared.clock import ManualClock
from shared.config import DisplayConfig
from shared.qt.operations import Done, Failed, ImmediateRunner, OperationRunner
from shared.services import calling
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.unit_of_work import Change
from tests.conftest import Staff
from tests.display.conftest import Lobby, build_lobby
from tests.support.actions import run

CALL = [Change(1, 0, "ticket.call")]
RECALL = [Change(1, 0, "ticket.recall")]


def shown_calls(lobby: Lobby, qtbot: QtBot, batch: list[Change]) -> list[tuple[Any, bool]]:
    seen: list[tuple[Any, bool]] = []
    lobby.feed.now_calling.connect(lambda call, fresh: seen.append((call, fresh)))
    lobby.feed.on_changed(batch)
    return seen


def test_start_up_fills_every_model_without_news(
    lobby: Lobby, store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    with (
        qtbot.waitSignal(lobby.feed.now_calling) as now,
        qtbot.waitSignal(lobby.feed.settings_changed) as settings,
    ):
        lobby.feed.refresh()
    assert now.args[0].label == "A001"
    assert now.args[1] is False  # called before the display came on: shown, not news
    assert settings.args[0].display.flash_seconds == 5
    assert [lobby.counters.value(r, "number") for r in range(2)] == [1, 2]
    assert lobby.counters.value(0, "ticket") == "A001"
    assert [lobby.waits.value(r, "code") for r in range(3)] == ["JHT", "JKM", "RESET"]
    lobby.announcer.wait_until_idle()
    assert lobby.voice.said == []
    assert lobby.feed.connected


def test_a_call_is_shown_fresh_and_announced_once(
    lobby: Lobby, store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    lobby.feed.refresh()
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 2, open_desks.budi)
    seen = shown_calls(lobby, qtbot, CALL)
    lobby.feed.on_changed(CALL)  # the same news again, e.g. a second notification
    lobby.announcer.wait_until_idle()
    assert [(call.label, call.counter_number, fresh) for call, fresh in seen] == [("A001", 2, True)]
    assert lobby.voice.said == [Call("A001", 2, "Loket 2")]
    assert lobby.voice.played == [(b"A001", 0.8)]


def test_a_recall_is_announced_again(
    lobby: Lobby, store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    lobby.feed.refresh()
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    lobby.feed.on_changed(CALL)
    run(store, calling.recall, 1, open_desks.ani)
    seen = shown_calls(lobby, qtbot, RECALL)
    lobby.announcer.wait_until_idle()
    assert [(call.label, call.recall, fresh) for call, fresh in seen] == [("A001", True, True)]
    assert lobby.voice.said == [Call("A001", 1, "Loket 1"), Call("A001", 1, "Loket 1")]


def test_calls_in_a_burst_are_each_announced_in_order(
    lobby: Lobby, store: Store, open_desks: Staff
) -> None:
    lobby.feed.refresh()
    for _ in range(2):
        run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    run(store, calling.call_next, 2, open_desks.budi)
    lobby.feed.on_changed(CALL + CALL)
    lobby.announcer.wait_until_idle()
    assert lobby.voice.said == [Call("A001", 1, "Loket 1"), Call("A002", 2, "Loket 2")]


def test_muted_shows_the_call_but_says_nothing(
    store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    lobby = build_lobby(store, muted=True)
    try:
        lobby.feed.refresh()
        run(store, issue_ticket, "JHT")
        run(store, calling.call_next, 1, open_desks.ani)
        seen = shown_calls(lobby, qtbot, CALL)
        lobby.announcer.wait_until_idle()
    finally:
        lobby.announcer.stop()
    assert [fresh for _, fresh in seen] == [True]
    assert (lobby.voice.said, lobby.voice.played) == ([], [])


def test_a_branch_without_announcements_says_nothing(store: Store, open_desks: Staff) -> None:
    lobby = build_lobby(store, display=DisplayConfig(announce=False))
    try:
        lobby.feed.refresh()
        run(store, issue_ticket, "JHT")
        run(store, calling.call_next, 1, open_desks.ani)
        lobby.feed.on_changed(CALL)
        lobby.announcer.wait_until_idle()
    finally:
        lobby.announcer.stop()
    assert lobby.voice.said == []


def test_calls_learnt_late_are_shown_but_not_said(
    lobby: Lobby, store: Store, open_desks: Staff, clock: ManualClock, qtbot: QtBot
) -> None:
    lobby.feed.refresh()
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, open_desks.ani)
    clock.advance(timedelta(minutes=5))  # the display was cut off meanwhile
    seen = shown_calls(lobby, qtbot, [])  # the watcher's "read everything again"
    lobby.announcer.wait_until_idle()
    assert [(call.label, fresh) for call, fresh in seen] == [("A001", False)]
    assert lobby.voice.said == []


def test_a_new_ticket_reads_only_the_waits(lobby: Lobby, store: Store) -> None:
    lobby.feed.refresh()
    boards, waits = lobby.feed.board_reads, lobby.feed.waits_reads
    run(store, issue_ticket, "JHT")
    lobby.feed.on_changed([Change(1, 0, "ticket.issued")])
    lobby.feed.on_changed([Change(1, 0, "kiosk.printer")])
    assert (lobby.feed.board_reads, lobby.feed.waits_reads) == (boards, waits + 1)
    assert lobby.waits.value(0, "waiting") == 1


def test_the_watcher_losing_the_store_and_coming_back(lobby: Lobby, qtbot: QtBot) -> None:
    lobby.feed.refresh()
    with qtbot.waitSignal(lobby.feed.connection_changed) as lost:
        lobby.feed.on_connection_lost()
    assert lost.args == [False]
    reads = lobby.feed.board_reads
    with qtbot.waitSignal(lobby.feed.connection_changed) as back:
        lobby.feed.on_reconnected()
    assert back.args == [True]
    assert lobby.feed.board_reads == reads + 1  # everything is read again


class FailingRunner:
    """The store is unreachable for the first `failures` reads."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.inner = ImmediateRunner()

    def run(
        self, work: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        if self.failures > 0:
            self.failures -= 1
            assert on_error is not None
            on_error(OperationalError("SELECT 1", {}, Exception("server closed the connection")))
            return
        self.inner.run(work, on_done, on_error)


def test_failed_reads_show_lost_and_retry_until_the_store_answers(
    store: Store, open_desks: Staff, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed_module, "RETRY_SECONDS", (0.05, 0.1))
    lobby = build_lobby(store, FailingRunner(failures=2))
    changes: list[bool] = []
    lobby.feed.connection_changed.connect(changes.append)
    try:
        lobby.feed.refresh()
        assert changes == [False]
        # A pause between attempts, then a read that succeeds.
        qtbot.waitUntil(lambda: changes == [False, True], timeout=10_000)
    finally:
        lobby.announcer.stop()
    assert lobby.counters.rowCount() == 2


def test_end_to_end_through_the_change_watcher(
    store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    runner = OperationRunner()
    lobby = build_lobby(store, runner)
    link = StoreLink(store, "TST", lobby.feed, runner)
    try:
        link.start()
        qtbot.waitUntil(lambda: lobby.counters.rowCount() == 2, timeout=10_000)
        run(store, issue_ticket, "JHT")
        run(store, calling.call_next, 1, open_desks.ani)
        with qtbot.waitSignal(lobby.feed.now_calling, timeout=10_000) as now:
            pass
        lobby.announcer.wait_until_idle()
    finally:
        link.stop()
        runner.shutdown()
        lobby.announcer.stop()
    assert (now.args[0].label, now.args[1]) == ("A001", True)
    assert lobby.voice.said == [Call("A001", 1, "Loket 1")]


def test_after_a_call_the_waits_follow_the_board(
    store: Store, open_desks: Staff, qtbot: QtBot
) -> None:
    voice_lobby = build_lobby(store)
    feed = LobbyFeed(
        store, "TST", ImmediateRunner(), voice_lobby.counters, voice_lobby.calls,
        voice_lobby.waits, None, waits_after_board_ms=50,
    )  # fmt: skip
    try:
        feed.refresh()
        boards, waits = feed.board_reads, feed.waits_reads
        run(store, issue_ticket, "JHT")
        run(store, calling.call_next, 1, open_desks.ani)
        feed.on_changed(CALL)
        # The called number is on the board first; the slower estimate read comes after.
        assert (feed.board_reads, feed.waits_reads) == (boards + 1, waits)
        assert voice_lobby.calls.value(0, "ticket") == "A001"
        qtbot.waitUntil(lambda: feed.waits_reads == waits + 1, timeout=5000)
    finally:
        voice_lobby.announcer.stop()
