"""Keep a counter's LED display showing the latest number, whatever the cable does.

One thread owns the port. `show()` only records what should be shown (the latest wins, so a
burst of calls never queues stale numbers) and wakes the thread. A missing or unplugged
display is reported through `on_status` and tried again every `retry_seconds`; the number
that could not be shown is sent as soon as the display is back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from shared.devices.number_display import DisplayProtocol, Shown
from shared.devices.port import DeviceProblem, DeviceStatus, Port, read_exactly

log = logging.getLogger(__name__)

StatusCallback = Callable[[DeviceStatus], None]


class DisplayFeed:
    def __init__(
        self,
        name: str,
        open_port: Callable[[], Port],
        protocol: DisplayProtocol,
        on_status: StatusCallback,
        retry_seconds: float = 5.0,
        answer_timeout: float = 0.5,
    ) -> None:
        self.name = name
        self._open_port = open_port
        self._protocol = protocol
        self._on_status = on_status
        self._retry = retry_seconds
        self._answer_timeout = answer_timeout
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._wanted: Shown | None = None
        self._sent: Shown | None = None
        self._port: Port | None = None
        self._status: DeviceStatus | None = None
        self._thread = threading.Thread(target=self._run, name="antrean-display", daemon=True)

    def start(self) -> DisplayFeed:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._close()

    def show(self, shown: Shown) -> None:
        with self._lock:
            self._wanted = shown
        self._wake.set()

    # -- the thread ------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except DeviceProblem as problem:
                self._close()
                self._report(DeviceStatus("display", self.name, problem.kind, str(problem)))
                # Retry after the pause, or at once when a new number arrives meanwhile.
                self._wake.wait(self._retry)
                continue
            self._wake.wait()
        self._close()

    def _step(self) -> None:
        self._wake.clear()
        if self._port is None:
            self._port = self._open_port()
            self._sent = None  # a display that was off shows nothing it was sent before
            self._report(DeviceStatus("display", self.name))
        with self._lock:
            wanted = self._wanted
        if wanted is None or wanted == self._sent:
            return
        for frame in self._protocol.frames(wanted):
            self._send(frame)
        self._sent = wanted

    def _send(self, frame: bytes) -> None:
        port = self._port
        assert port is not None
        expected = self._protocol.answer_length(frame)
        try:
            if expected:
                port.reset_input_buffer()  # a late answer to an earlier frame is not this one's
            port.write(frame)
            answer = read_exactly(port, expected, self._answer_timeout) if expected else b""
        except OSError as error:  # serial.SerialException is an OSError
            raise DeviceProblem("io_error", f"{self.name}: {error}") from None
        self._protocol.check_answer(frame, answer, self.name)

    def _report(self, status: DeviceStatus) -> None:
        if status != self._status:
            self._status = status
            if not status.ok:
                log.warning("counter display: %s", status.detail)
            self._on_status(status)

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except OSError as error:
                log.info("closing %s: %s", self.name, error)
