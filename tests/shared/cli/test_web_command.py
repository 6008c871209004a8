"""`antrean web` as a service manager runs it: started, answering, then stopped by a signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shared.services.setup import apply_branch_config
from shared.store.database import open_store
from tests.support.branches import small_branch
from tests.support.clocks import environment_at

pytestmark = pytest.mark.slow  # the web service in a child process

STARTUP_SECONDS = 60.0
STOP_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    """A new server could listen on it (as uvicorn does, with SO_REUSEADDR: connections the
    old one closed may linger in TIME_WAIT, but no listener may)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
        return True


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
            return bool(reply.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _children(pid: int) -> list[int]:
    """The process's children (Linux), so a test that fails leaves no server behind."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text().split()] if found.exists() else []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_web_service_and_frees_its_port(
    sqlite_url: str, stop: signal.Signals
) -> None:
    store = open_store(sqlite_url)
    apply_branch_config(store, small_branch())
    store.dispose()
    port = _free_port()
    command = subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "--database", sqlite_url, "web",
         "--host", "127.0.0.1", "--port", str(port)],
        env=environment_at(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    servers: list[int] = []
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(port):
            assert command.poll() is None, command.stderr.read() if command.stderr else ""
            assert time.monotonic() < deadline, "the web service did not answer in time"
            time.sleep(0.2)
        servers = _children(command.pid)
        command.send_signal(stop)
        assert command.wait(timeout=STOP_SECONDS) == 0
        deadline = time.monotonic() + STOP_SECONDS
        while not _port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _port_is_free(port), "the server outlived `antrean web`"
    finally:
        if command.poll() is None:
            command.kill()
        command.wait(timeout=STOP_SECONDS)
        for pid in servers:  # only if one outlived the command (the failure tested for)
            if _is_web_server(pid):
                os.kill(pid, signal.SIGKILL)


def _is_web_server(pid: int) -> bool:
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        return b"web.main" in cmdline.read_bytes()
    except OSError:  # gone already
        return False
