"""`antrean-display` from the command line: options, a clear refusal, and a real start."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys

import pytest

from display import main as display_main
from shared.clock import ManualClock
from shared.services.setup import apply_branch_config
from shared.store.database import open_store
from tests.support.branches import small_branch
from tests.support.clocks import MONDAY_0900, environment_at


def test_sizes_are_checked() -> None:
    assert display_main.parse_size("1366x768") == (1366, 768)
    assert display_main.parse_size("1080X1920") == (1080, 1920)
    for bad in ("1366", "wide", "10x10", "1366x-1"):
        with pytest.raises(argparse.ArgumentTypeError):
            display_main.parse_size(bad)
    args = display_main.build_parser().parse_args(["--windowed", "--mute", "--size", "800x600"])
    assert (args.windowed, args.mute, args.size, args.branch) == (True, True, (800, 600), None)


def test_an_empty_database_is_refused_plainly(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert display_main.main(["--database", sqlite_url, "--windowed"]) == 2
    assert "no branch yet" in capsys.readouterr().err


def test_an_unreachable_store_without_a_branch_is_refused_plainly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = "postgresql://postgres@127.0.0.1:9/antrean"  # the discard port: nothing listens
    assert display_main.main(["--database", url, "--windowed"]) == 2
    assert "does not answer" in capsys.readouterr().err


def test_starts_shows_the_board_and_ends_cleanly_on_sigterm(sqlite_url: str) -> None:
    # One store is enough here: starting a whole process is what this test is about.
    store = open_store(sqlite_url, clock=ManualClock(MONDAY_0900))
    apply_branch_config(store, small_branch())
    store.dispose()
    # Its own process: as installed, and so its windows and event loop are its own.
    command = [sys.executable, "-m", "display.main", "--database", sqlite_url, "--branch", "TST",
               "--windowed", "--size", "1366x768", "--mute", "--print-repaints"]  # fmt: skip
    env = {**environment_at(), "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as display:  # fmt: skip
        assert display.stdout is not None
        first = display.stdout.readline()  # blocks until the first board is painted
        display.send_signal(signal.SIGTERM)
        _, errors = display.communicate(timeout=60)
    assert first.startswith("repaint 0 - "), errors
    assert display.returncode == 0, errors
