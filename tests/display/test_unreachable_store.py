"""The lobby screen stays alive while its PostgreSQL server does not answer, and recovers.

The server here is a local port that accepts connections and never replies (a hung server or
a half-dead LAN link): setting up the link then waits on the operation runner's worker, and
the GUI thread must go on ticking, painting and saying "connection lost" meanwhile.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url

from display.link import StoreLink
from display.window import LobbyWindow
from shared.clock import ManualClock
from shared.i18n import Translator
from shared.qt.operations import OperationRunner
from shared.services.setup import apply_branch_config
from shared.store import database
from shared.store.database import open_store
from tests.display.conftest import build_lobby
from tests.support.branches import small_branch
from tests.support.silent_server import silent_server

pytestmark = pytest.mark.postgres


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.paints = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_the_screen_keeps_painting_while_the_store_hangs_then_recovers(
    qtbot: QtBot, postgres_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the server's hanging up ends an attempt here, never the connect timeout.
    monkeypatch.setattr(database, "CONNECT_TIMEOUT_SECONDS", 120)
    real = open_store(postgres_url)
    apply_branch_config(real, small_branch())
    real.dispose()
    target = make_url(postgres_url)
    with silent_server() as server:
        store = open_store(
            target.set(host="127.0.0.1", port=server.port).render_as_string(hide_password=False)
        )
        runner = OperationRunner()
        lobby = build_lobby(store, runner)
        window = LobbyWindow(Translator("id"), lobby.counters, lobby.calls, lobby.waits, clock.now)
        window.bind(lobby.feed)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        header, banner = PaintCounter(window.header), PaintCounter(window.banner)
        ticks = [0]
        ticker = QTimer()
        ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
        ticker.start(20)
        link = StoreLink(store, "TST", lobby.feed, runner, retry_ms=50)
        try:
            link.start()
            assert link.connecting  # start() returned: the attempt is on the worker
            qtbot.waitUntil(lambda: server.holding >= 1, timeout=10_000)

            # The worker waits on the silent server; the GUI thread goes on: its timers fire
            # and the clock, when its minute changes, is painted again.
            seen, painted = ticks[0], header.paints
            clock.advance(timedelta(minutes=1))
            qtbot.waitUntil(lambda: header.paints > painted and ticks[0] > seen + 3)
            assert (link.connecting, link.attempts) == (True, 1)

            # The server goes: the screen says so and the link tries again in the background.
            server.hang_up()
            qtbot.waitUntil(lambda: link.attempts >= 2 and server.holding >= 1, timeout=10_000)
            assert banner.paints > 0 and window.banner.isVisible()
            assert not lobby.feed.connected
            seen, painted = ticks[0], banner.paints
            window.banner.update()
            qtbot.waitUntil(lambda: banner.paints > painted and ticks[0] > seen + 3)
            assert link.connecting and link.signals is None

            # The database answers again: the link is set up and the screen reads everything.
            server.forward_to(target.host or "127.0.0.1", target.port or 5432)
            server.hang_up()
            qtbot.waitUntil(lambda: link.signals is not None, timeout=20_000)
            qtbot.waitUntil(lambda: lobby.waits.rowCount() > 0, timeout=20_000)
            assert lobby.feed.connected and not window.banner.isVisible()
        finally:
            ticker.stop()
            link.stop()
            server.hang_up()  # a worker still waiting on the server is let go
            runner.shutdown()
            lobby.announcer.stop()
            store.dispose()
