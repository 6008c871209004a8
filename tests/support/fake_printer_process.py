"""Test-side handles: the fake printer as a child process, and a socat pty pair for serial tests."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Self

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


@dataclass(frozen=True)
class FakePrinterEvent:
    """One stdout line of the fake printer, e.g. `STATUS job=1 query=4 reply=72`."""

    name: str
    fields: dict[str, str]

    @classmethod
    def parse(cls, line: str) -> FakePrinterEvent:
        name, *pairs = line.split()
        return cls(name, dict(pair.split("=", 1) for pair in pairs))


def _pump_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


class FakePrinterProcess:
    """Starts `python -m tests.support.fake_printer`, waits until it is ready, stops it after.

    `port=0` lets the process pick a free port and report it (no race with other tests);
    `serial_device` serves a serial device instead of TCP.
    """

    def __init__(
        self,
        mode: str = "ok",
        port: int = 0,
        serial_device: str | None = None,
        lifetime: float = 60.0,
        drop_after: int = 32,
        bytes_per_second: float = 0.0,
    ) -> None:
        self.mode = mode
        self.bytes_per_second = bytes_per_second
        self.port = port
        self.serial_device = serial_device
        self.lifetime = lifetime
        self.drop_after = drop_after
        self.events: list[FakePrinterEvent] = []
        self._lines: queue.Queue[str | None] = queue.Queue()

    def __enter__(self) -> Self:
        self._directory = tempfile.TemporaryDirectory(prefix="fake-printer-")
        self.jobs_dir = Path(self._directory.name)
        command = [sys.executable, "-m", "tests.support.fake_printer", "--mode", self.mode,
                   "--jobs-dir", str(self.jobs_dir), "--lifetime", str(self.lifetime),
                   "--drop-after", str(self.drop_after),
                   "--bytes-per-second", str(self.bytes_per_second)]
        if self.serial_device is not None:
            command += ["--serial", self.serial_device]
        else:
            command += ["--port", str(self.port)]
        self._stderr = open(self.jobs_dir / "stderr.txt", "w")
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=self._stderr, text=True
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=_pump_lines, args=(self.process.stdout, self._lines), daemon=True
        )
        self._reader.start()
        try:
            ready = self.wait_for("READY", START_TIMEOUT)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        if "port" in ready.fields:
            self.port = int(ready.fields["port"])
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _stop(self.process)
        self._reader.join(STOP_TIMEOUT)  # it ends at the dead process's end of output
        if self.process.stdout is not None:
            self.process.stdout.close()
        self._stderr.close()
        self._directory.cleanup()

    def wait_for(self, name: str, timeout: float = 5.0) -> FakePrinterEvent:
        """The next event called `name`; the events before it are kept in `events`."""
        try:
            while (line := self._lines.get(timeout=timeout)) is not None:
                event = FakePrinterEvent.parse(line)
                self.events.append(event)
                if event.name == name:
                    return event
        except queue.Empty:
            raise TimeoutError(f"fake printer did not report {name} in {timeout}s") from None
        stderr = (self.jobs_dir / "stderr.txt").read_text()
        raise RuntimeError(f"fake printer exited before {name}:\n{stderr}")

    def set_mode(self, mode: str) -> None:
        """Change the running printer's state: paper put in or run out, switched off."""
        (self.jobs_dir / "mode").write_text(mode)

    def jobs(self) -> list[bytes]:
        """The print data of each job so far, in order."""
        paths = sorted(self.jobs_dir.glob("job-*.bin"), key=lambda path: int(path.stem[4:]))
        return [path.read_bytes() for path in paths]

    def received(self) -> bytes:
        return b"".join(self.jobs())


class SocatPtyPair:
    """Two linked pseudo-terminals from `socat -d -d pty,raw,echo=0 pty,raw,echo=0`.

    Whatever is written to `near` comes out of `far` and back: the kiosk opens one end,
    the fake printer the other.
    """

    def __enter__(self) -> Self:
        self.process = subprocess.Popen(
            ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        assert self.process.stderr is not None
        lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(
            target=_pump_lines, args=(self.process.stderr, lines), daemon=True
        )
        self._reader.start()
        paths: list[str] = []
        try:
            # socat names each pty as it makes it, then announces the transfer loop.
            while (line := lines.get(timeout=START_TIMEOUT)) is not None:
                if found := re.search(r"PTY is (\S+)", line):
                    paths.append(found.group(1))
                if "starting data transfer loop" in line:
                    break
        except queue.Empty:
            pass
        if len(paths) != 2:
            self.__exit__(None, None, None)
            raise RuntimeError(f"socat did not report two ptys (got {paths})")
        self.near, self.far = paths
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        _stop(self.process)
        self._reader.join(STOP_TIMEOUT)
        if self.process.stderr is not None:
            self.process.stderr.close()
