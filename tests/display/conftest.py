"""The lobby display's parts, built as display.main builds them, on the test store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from display.announcer import LobbyAnnouncer
from display.calls_model import LastCallsModel
from display.counters_model import CountersModel
from display.feed import LobbyFeed
from display.waits_model import ServiceWaitsModel
from display.window import LobbyWindow
from shared.announcing.call import Call
from shared.clock import ManualClock
from shared.config import DisplayConfig
from shared.i18n import Translator
from shared.qt.operations import ImmediateRunner, Runner
from shared.services import counters
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run


@dataclass
class RecordingVoice:
    """Stands in for the voice and the loudspeaker: what was said, and what was played."""

    said: list[Call] = field(default_factory=list)
    played: list[tuple[bytes, float]] = field(default_factory=list)

    def render(self, call: Call) -> bytes:
        self.said.append(call)
        return call.label.encode()

    def play(self, data: bytes, volume: float) -> None:
        self.played.append((data, volume))


@dataclass
class Lobby:
    feed: LobbyFeed
    counters: CountersModel
    calls: LastCallsModel
    waits: ServiceWaitsModel
    voice: RecordingVoice
    announcer: LobbyAnnouncer


def build_lobby(
    store: Store,
    runner: Runner | None = None,
    *,
    muted: bool = False,
    display: DisplayConfig | None = None,
) -> Lobby:
    voice = RecordingVoice()
    announcer = LobbyAnnouncer(voice.play, display, muted=muted, render=voice.render)
    models = CountersModel(), LastCallsModel(), ServiceWaitsModel()
    # Waits read straight after the board, so tests see both at once (the delay has its test).
    feed = LobbyFeed(
        store, "TST", runner or ImmediateRunner(), *models, announcer, waits_after_board_ms=0
    )
    return Lobby(feed, *models, voice, announcer)


@pytest.fixture
def lobby(store: Store) -> Iterator[Lobby]:
    built = build_lobby(store)
    yield built
    built.announcer.stop()


@pytest.fixture
def window(qtbot: QtBot, lobby: Lobby, clock: ManualClock) -> LobbyWindow:
    shown = LobbyWindow(Translator("id"), lobby.counters, lobby.calls, lobby.waits, clock.now)
    shown.bind(lobby.feed)
    qtbot.addWidget(shown)
    shown.resize(1920, 1080)
    return shown


@pytest.fixture
def open_desks(store: Store, staff: Staff) -> Staff:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    return staff
