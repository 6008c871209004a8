"""What belongs to this PC rather than the branch: its serial devices and its last counter.

Device settings live in `counter.toml` in the user's config folder (or `--settings PATH`);
command-line options override them key by key. The branch file has no place for them yet.
Example::

    [display]
    port = "/dev/ttyUSB0"
    protocol = "modbus"     # or "text", with template = "{label} -> {counter}\\r\\n"
    unit = 1
    number_register = 0

    [keypad]
    port = "/dev/ttyUSB1"
    keys = { "1" = "call_next", "2" = "recall", "3" = "start", "4" = "finish", "5" = "no_show" }

The counter last signed in at is remembered in `counter-state.json` next to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import tomllib
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir
from pydantic import BaseModel, ConfigDict, ValidationError

from shared.config import ConfigError
from shared.config.problems import describe_errors
from shared.devices.settings import KeypadSettings, LedDisplaySettings

log = logging.getLogger(__name__)

SETTINGS_FILE = "counter.toml"
STATE_FILE = "counter-state.json"


class MachineSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    display: LedDisplaySettings | None = None
    keypad: KeypadSettings | None = None


def config_folder() -> Path:
    return Path(user_config_dir("antrean", appauthor=False))


def add_device_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("counter devices (override the settings file)")
    group.add_argument(
        "--settings",
        type=Path,
        help=f"device settings file (default: {SETTINGS_FILE} in the user config folder)",
    )
    group.add_argument("--display-port", help="serial port of the LED number display")
    group.add_argument("--display-protocol", choices=["text", "modbus"])
    group.add_argument(
        "--display-template", help=r'text sent per call, e.g. "{label} -> {counter}\r\n"'
    )
    group.add_argument("--display-baudrate", type=int)
    group.add_argument("--modbus-unit", type=int, help="Modbus slave address of the display")
    group.add_argument("--modbus-register", type=int, help="holding register of the number")
    group.add_argument("--keypad-port", help="serial port of the caller keypad")
    group.add_argument("--keypad-baudrate", type=int)
    group.add_argument(
        "--keypad-keys", help='e.g. "1=call_next,2=recall,3=start,4=finish,5=no_show"'
    )


_DISPLAY_OPTIONS = {
    "display_port": "port",
    "display_protocol": "protocol",
    "display_template": "template",
    "display_baudrate": "baudrate",
    "modbus_unit": "unit",
    "modbus_register": "number_register",
}
_KEYPAD_OPTIONS = {"keypad_port": "port", "keypad_baudrate": "baudrate"}


def load_machine_settings(options: argparse.Namespace) -> MachineSettings:
    """The settings file (if any) with the command line on top; ConfigError says what is wrong."""
    path: Path = options.settings or config_folder() / SETTINGS_FILE
    data: dict[str, Any] = {}
    if options.settings is not None or path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError([f"{path}: file not found"]) from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ConfigError([f"{path}: cannot be read: {error}"]) from None
    for section, names in (("display", _DISPLAY_OPTIONS), ("keypad", _KEYPAD_OPTIONS)):
        given = {key: getattr(options, name) for name, key in names.items()}
        given = {key: value for key, value in given.items() if value is not None}
        if given:
            data[section] = {**data.get(section, {}), **given}
    if options.keypad_keys:
        keys = dict(pair.split("=", 1) for pair in options.keypad_keys.split(",") if "=" in pair)
        data["keypad"] = {**data.get("keypad", {}), "keys": keys}
    try:
        return MachineSettings.model_validate(data)
    except ValidationError as error:
        source = str(path) if path.exists() else "command line"
        raise ConfigError(describe_errors(error, source, data, MachineSettings)) from None


class CounterMemory:
    """The counter this PC was last used at, so the login offers it first."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_folder() / STATE_FILE

    def counter(self) -> int | None:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8")).get("counter")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, AttributeError) as error:
            log.warning("ignoring %s: %s", self.path, error)
            return None
        return value if isinstance(value, int) and value > 0 else None

    def remember(self, number: int) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"counter": number}), encoding="utf-8")
        except OSError as error:  # a read-only profile must not stop the officer working
            log.warning("cannot remember the counter in %s: %s", self.path, error)
