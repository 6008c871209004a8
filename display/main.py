"""`antrean-display`: the lobby screen. Builds the parts and passes them in; no globals."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from display.announcer import LobbyAnnouncer
from display.calls_model import LastCallsModel
from display.counters_model import CountersModel
from display.feed import CONNECTION_ERRORS, LobbyFeed
from display.link import StoreLink
from display.waits_model import ServiceWaitsModel
from display.window import LobbyWindow
from shared.announcing.player import Player, default_player
from shared.cli.context import CommandContext, CommandError
from shared.i18n import Translator
from shared.qt.operations import OperationRunner
from shared.qt.placement import add_geometry_argument, place
from shared.store.database import default_database_url, open_store


def parse_size(text: str) -> tuple[int, int]:
    """'1366x768' -> (1366, 768)."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1920x1080")
    size = int(width), int(height)
    if not all(320 <= v <= 8192 for v in size):
        raise argparse.ArgumentTypeError(f"{text!r}: each side must be 320 to 8192 pixels")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="antrean-display", description="Antrean lobby display (layar antrean)."
    )
    parser.add_argument("--database", default=None, help="store URL (default: %(default)s)")
    parser.add_argument("--branch", default=None, help="branch code (default: the only one)")
    parser.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    add_geometry_argument(parser)
    parser.add_argument(
        "--size", type=parse_size, default=(1920, 1080), help="window size WxH with --windowed"
    )
    parser.add_argument("--mute", action="store_true", help="show calls without announcing them")
    parser.add_argument(
        "--discard-audio",
        action="store_true",
        help="assemble each announcement but play nothing (benchmarks, PCs without speakers)",
    )
    parser.add_argument(
        "--print-repaints",
        action="store_true",
        help="print 'repaint EVENT TICKET MONOTONIC_NS' after each paint of the big panel",
    )
    return parser


def discard(_wav: bytes, _volume: float) -> None:
    """A player for a display without speakers."""


def print_repaint(event_id: int, label: str) -> None:
    # One write per line: the benchmark reads these while the display runs.
    sys.stdout.write(f"repaint {event_id} {label or '-'} {time.monotonic_ns()}\n")
    sys.stdout.flush()


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    # No ping before each read: it costs a round trip on every refresh, and a read that finds
    # its connection dead is retried by the feed anyway (the pool then starts afresh).
    store = open_store(args.database or default_database_url(), role="display",
                       pool_pre_ping=False)
    context = CommandContext(store.url, args.branch, store)
    try:
        # Needs the store only without --branch; with it, the screen can wait for the store.
        branch = context.branch_code()
    except CommandError as error:
        print(f"antrean-display: {error}", file=sys.stderr)
        store.dispose()
        return 2
    except CONNECTION_ERRORS as error:
        print(
            f"antrean-display: the store does not answer ({error}); start with --branch CODE "
            "to show the screen and wait for it",
            file=sys.stderr,
        )
        store.dispose()
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    tr = Translator("id")
    player: Player = discard if args.discard_audio else default_player()
    announcer = LobbyAnnouncer(player, muted=args.mute)
    runner = OperationRunner()
    counters, calls, waits = CountersModel(), LastCallsModel(), ServiceWaitsModel()
    feed = LobbyFeed(store, branch, runner, counters, calls, waits, announcer)
    feed.settings_changed.connect(lambda settings: announcer.configure(settings.display))
    window = LobbyWindow(tr, counters, calls, waits)
    window.bind(feed)
    if args.print_repaints:
        window.now_calling.painted.connect(lambda event_id, label: print_repaint(event_id, label))
    link = StoreLink(store, branch, feed, runner)
    # Ctrl+C and SIGTERM end the event loop cleanly; the timer lets Python see the signal.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
    if args.windowed:
        window.resize(*args.size)
        place(window, args.geometry)
        window.show()
    else:
        window.showFullScreen()
    link.start()
    try:
        return app.exec()
    finally:
        link.stop()
        runner.shutdown()
        announcer.stop()
        store.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
