"""The entry point: its options, a clear error, and a kiosk that starts on a real store."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.main import main, parse_arguments
from shared.store.database import Store
from shared.store.models import Kiosk
from shared.store.unit_of_work import UnitOfWork
from tests.support.clocks import environment_at
from tests.support.fake_printer_process import REPO_ROOT


def test_arguments() -> None:
    arguments = parse_arguments(["--database", "sqlite:///x.db", "--branch", "SRG",
                                 "--kiosk-name", "lobi-2", "--orientation", "landscape",
                                 "--windowed", "--printer-dir", "/tmp/t",
                                 "--hide-service", "wawancara"])
    assert (arguments.branch, arguments.kiosk_name, arguments.orientation) == (
        "SRG", "lobi-2", "landscape")
    assert arguments.windowed and arguments.printer_dir == Path("/tmp/t")
    assert arguments.hide_service == ["wawancara"]
    with pytest.raises(SystemExit):
        parse_arguments(["--orientation", "sideways"])


def test_unknown_branch_is_a_clear_error(
    kiosk_store: Store, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database", sqlite_url, "--branch", "NOPE", "--windowed"]) == 2
    assert "NOPE" in capsys.readouterr().err


def test_starts_windowed_with_a_virtual_printer(
    kiosk_store: Store, sqlite_url: str, tmp_path: Path
) -> None:
    # In its own process: a finished QApplication.exec() would stop this process's timers.
    command = [sys.executable, "-m", "kiosk.main", "--database", sqlite_url, "--kiosk-name",
               "lobi-9", "--windowed", "--orientation", "landscape",
               "--printer-dir", str(tmp_path / "tickets")]
    environment = {**environment_at(), "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr
    lines: queue.Queue[str] = queue.Queue()

    def read_lines() -> None:
        for line in stderr:
            lines.put(line)

    threading.Thread(target=read_lines, daemon=True).start()
    try:
        started = ""
        while "kiosk lobi-9 of branch TST" not in started:
            started = lines.get(timeout=30)
        assert "virtual printer" in started
        checked = ""
        while "printer ready" not in checked:  # its first check, recorded in the store
            checked = lines.get(timeout=30)
        assert process.poll() is None  # running, not crashed after start-up
    finally:
        process.terminate()
        process.wait(10)
    with UnitOfWork(kiosk_store, "TST") as uow:
        row = uow.session.scalar(select(Kiosk).where(Kiosk.name == "lobi-9"))
        assert row is not None and row.printer_state == "ready"
