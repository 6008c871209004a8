"""The notify worker's service unit: it runs `antrean notify` on the server PC once the
database answers, and is started again after a crash or a kill."""

from __future__ import annotations

import shlex
import tomllib
from pathlib import Path

from tests.deploy.test_deploy_files import DEPLOY, ROOT, _unit


def test_the_notify_unit_waits_for_the_database_then_runs_the_worker() -> None:
    service = _unit(DEPLOY / "systemd" / "antrean-notify.service")["Service"]
    before = shlex.split(service["ExecStartPre"])
    assert Path(before[0]).name == "antrean" and before[1:3] == ["doctor", "--role"]
    assert before[3] == "server" and "--database-only" in before and "--wait" in before
    command = shlex.split(service["ExecStart"])
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert Path(command[0]).name == "antrean" and "antrean" in scripts
    assert command[1:] == ["notify"]
    assert service["Restart"] == "always" and service["RestartSec"] == "5"
    assert service["EnvironmentFile"] == "/etc/antrean/antrean.env"
    assert service["User"] == _unit(DEPLOY / "systemd" / "antrean-web.service")["Service"]["User"]
