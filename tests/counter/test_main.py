"""antrean-counter's entry point: it starts on a store, and fails plainly on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from counter.machine import CounterMemory, load_machine_settings
from counter.main import build_app, build_parser, main
from shared.store.database import Store


@pytest.fixture
def no_devices(tmp_path: Path) -> Path:
    path = tmp_path / "counter.toml"
    path.write_text("# no devices at this counter\n", encoding="utf-8")
    return path


def test_the_app_is_built_on_a_store(
    qtbot: QtBot, sqlite_store: Store, sqlite_url: str, no_devices: Path, tmp_path: Path
) -> None:
    # The parts main() starts, without entering the event loop (a test shares the app's).
    options = build_parser().parse_args(
        ["--database", sqlite_url, "--counter", "2", "--settings", str(no_devices)]
    )
    app = build_app(options, load_machine_settings(options), CounterMemory(tmp_path / "s.json"))
    try:
        window = app.window
        qtbot.addWidget(window)
        assert window.windowTitle() == "Antrean — Loket"
        assert app.devices is None
        qtbot.waitUntil(lambda: window.login_page.counter.count() == 5, timeout=5000)
        assert window.login_page.counter.currentData() == 2
        assert window.who.text() == "Kantor Cabang Uji"
    finally:
        app.stop()


def test_bad_device_settings_stop_the_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "counter.toml"
    settings.write_text('[keypad]\nport = "/dev/ttyUSB1"\nkeys = { "1" = "dance" }\n')
    assert main(["--database", "sqlite:///unused.db", "--settings", str(settings)]) == 2
    assert "unknown action 'dance'" in capsys.readouterr().err


def test_an_unknown_branch_is_refused(
    sqlite_store: Store, sqlite_url: str, no_devices: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--database", sqlite_url, "--branch", "XYZ", "--settings", str(no_devices)])
    assert code == 2
    assert "branch 'XYZ' is not in this database" in capsys.readouterr().err


def test_the_parser_has_the_documented_options() -> None:
    options = build_parser().parse_args(
        ["--database", "sqlite:///x.db", "--branch", "SRG", "--counter", "3", "--windowed"]
    )
    assert (options.database, options.branch, options.counter, options.windowed) == (
        "sqlite:///x.db",
        "SRG",
        3,
        True,
    )
