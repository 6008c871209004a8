"""Per-machine settings: the device file, command-line overrides, the remembered counter."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from counter.machine import CounterMemory, load_machine_settings
from counter.main import build_parser
from shared.config import ConfigError


def options(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["--database", "sqlite:///unused.db", *argv])


def test_no_file_and_no_options_means_no_devices(tmp_path: Path) -> None:
    settings = load_machine_settings(options("--settings", str(write(tmp_path, ""))))
    assert settings.display is None and settings.keypad is None


def write(folder: Path, text: str) -> Path:
    path = folder / "counter.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_with_the_command_line_on_top(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[display]
port = "/dev/ttyUSB0"
protocol = "modbus"
unit = 3
number_register = 10

[keypad]
port = "/dev/ttyUSB1"
keys = { "A" = "call_next", "B" = "finish" }
""",
    )
    settings = load_machine_settings(
        options("--settings", str(path), "--modbus-unit", "4", "--keypad-keys", "7=recall")
    )
    assert settings.display is not None and settings.keypad is not None
    assert (settings.display.port, settings.display.unit) == ("/dev/ttyUSB0", 4)
    assert settings.display.number_register == 10
    assert settings.keypad.keys == {"7": "recall"}


def test_options_alone_configure_a_text_display(tmp_path: Path) -> None:
    settings = load_machine_settings(
        options(
            "--settings",
            str(write(tmp_path, "")),
            "--display-port",
            "/dev/ttyS0",
            "--display-template",
            r"{counter}:{label}\r",
        )
    )
    assert settings.display is not None
    assert settings.display.template == "{counter}:{label}\r"


def test_a_bad_file_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[display]\nport = "/dev/ttyUSB0"\ntemplate = "{ticket}"\n')
    with pytest.raises(ConfigError) as raised:
        load_machine_settings(options("--settings", str(path)))
    assert str(path) in str(raised.value)
    assert "display.template" in str(raised.value)
    assert "{ticket}" in str(raised.value)
    with pytest.raises(ConfigError, match="file not found"):
        load_machine_settings(options("--settings", str(tmp_path / "none.toml")))
    broken = write(tmp_path, "[display\n")
    with pytest.raises(ConfigError, match="cannot be read"):
        load_machine_settings(options("--settings", str(broken)))


def test_the_counter_is_remembered_per_machine(tmp_path: Path) -> None:
    memory = CounterMemory(tmp_path / "config" / "counter-state.json")
    assert memory.counter() is None
    memory.remember(5)
    assert CounterMemory(memory.path).counter() == 5
    memory.path.write_text("not json", encoding="utf-8")
    assert memory.counter() is None  # a damaged file is ignored, not fatal
