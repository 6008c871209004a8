"""The service units and autostart entries in deploy/: they start commands the package really
installs, wait for the database first, restart after a failure; antrean-session does so too."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"
SCRIPTS = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"])


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


@pytest.mark.parametrize("role", ["web", "kiosk", "counter", "display"])
def test_each_unit_waits_for_the_database_then_runs_an_installed_command(role: str) -> None:
    unit = _unit(DEPLOY / "systemd" / f"antrean-{role}.service")
    service = unit["Service"]
    before = shlex.split(service["ExecStartPre"])
    assert Path(before[0]).name == "antrean" and before[1] == "doctor"
    assert "--wait" in before and "--database-only" in before
    assert f"antrean-{role}" in service["ExecStart"] and f"antrean-{role}" in SCRIPTS
    assert service["Restart"] in ("always", "on-failure") and service["RestartSec"] == "5"
    assert service["EnvironmentFile"] == "/etc/antrean/antrean.env"
    doctor_role = "server" if role == "web" else role
    assert before[before.index("--role") + 1] == doctor_role


@pytest.mark.parametrize("role", ["kiosk", "counter", "display"])
def test_each_autostart_entry_starts_the_session_for_its_role(role: str) -> None:
    entry = _unit(DEPLOY / "autostart" / f"antrean-{role}.desktop")["Desktop Entry"]
    command = shlex.split(entry["Exec"])
    assert Path(command[0]).name == "antrean-session" and command[1:] == [role]
    assert entry["Type"] == "Application"


def _fake_bin(folder: Path, doctor_failures: int, app_statuses: list[int]) -> Path:
    """`antrean doctor` failing a few times (no database yet), then an app ending with the
    given statuses in turn; every call is written to calls.log."""
    folder.mkdir()
    log = folder / "calls.log"
    (folder / "antrean").write_text(
        "#!/bin/sh\n"
        f'echo "antrean $*" >> {log}\n'
        f'n=$(grep -c "^antrean doctor" {log})\n'
        f'[ "$n" -gt {doctor_failures} ]\n'
    )
    statuses = " ".join(map(str, app_statuses))
    (folder / "antrean-kiosk").write_text(
        "#!/bin/sh\n"
        f'echo "antrean-kiosk $*" >> {log}\n'
        f'n=$(grep -c "^antrean-kiosk" {log})\n'
        f'set -- {statuses}\nshift $((n - 1))\n'
        '[ "$1" = sleep ] && exec sleep 60\n'
        'exit "$1"\n'
    )
    for name in ("antrean", "antrean-kiosk"):
        (folder / name).chmod(0o755)
    return log


def _session_env(tmp_path: Path, fake: Path) -> dict[str, str]:
    env_file = tmp_path / "antrean.env"
    env_file.write_text('ANTREAN_APP_OPTIONS="--kiosk-name kiosk-1"\n')
    return {
        **os.environ,
        "ANTREAN_ENV_FILE": str(env_file),
        "ANTREAN_BIN": str(fake),
        "ANTREAN_RESTART_SECONDS": "0",
    }


def test_the_session_waits_for_the_database_and_restarts_a_crashed_app(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    log = _fake_bin(fake, doctor_failures=2, app_statuses=[1, 0])
    result = subprocess.run(
        [str(DEPLOY / "antrean-session"), "kiosk"],
        env=_session_env(tmp_path, fake), capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    doctor = "antrean doctor --role kiosk --database-only --wait 600"
    app = "antrean-kiosk --kiosk-name kiosk-1"
    assert calls == [doctor, doctor, doctor, app, doctor, app]
    assert "ended with status 1" in result.stderr


def test_stopping_the_session_stops_its_app(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    log = _fake_bin(fake, doctor_failures=0, app_statuses=[0])
    (fake / "antrean-kiosk").write_text(f"#!/bin/sh\necho started >> {log}\nexec sleep 60\n")
    session = subprocess.Popen(
        [str(DEPLOY / "antrean-session"), "kiosk"], env=_session_env(tmp_path, fake)
    )
    deadline = time.monotonic() + 10
    while not (log.exists() and "started" in log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    children = Path(f"/proc/{session.pid}/task/{session.pid}/children").read_text().split()
    assert len(children) == 1
    session.send_signal(signal.SIGTERM)
    assert session.wait(timeout=10) == 0
    assert not Path(f"/proc/{children[0]}").exists()


def test_the_session_refuses_an_unknown_role(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(DEPLOY / "antrean-session"), "printer"],
        env=_session_env(tmp_path, tmp_path), capture_output=True, text=True, timeout=10,
    )
    assert result.returncode == 2 and "role must be" in result.stderr
