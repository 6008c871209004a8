"""A caller keypad on a serial line: key bytes in, action names out, on a thread of its own.

Most keypads send one byte per key; some send a short code ending in a terminator (e.g.
"K1\\r"). Unknown keys are logged and ignored. A missing or unplugged keypad is reported
through `on_status` and opened again every `retry_seconds`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from shared.devices.port import DeviceProblem, DeviceStatus, Port

log = logging.getLogger(__name__)


class KeyDecoder:
    """Turns the byte stream into action names, across reads of any size."""

    def __init__(self, keys: dict[bytes, str], terminator: bytes = b"") -> None:
        self._keys = keys
        self._terminator = terminator
        self._pending = b""

    def feed(self, data: bytes) -> list[str]:
        if self._terminator:
            self._pending += data
            *tokens, self._pending = self._pending.split(self._terminator)
            self._pending = self._pending[-64:]  # noise without a terminator must not pile up
            tokens = [token.strip() for token in tokens]
        else:
            tokens = [bytes([byte]) for byte in data]
        return [action for token in tokens if (action := self._action(token))]

    def _action(self, key: bytes) -> str:
        action = self._keys.get(key, "")
        if not action and key.strip():
            log.info("keypad: no action for key %r", key)
        return action


class KeypadReader:
    def __init__(
        self,
        name: str,
        open_port: Callable[[], Port],
        decoder: KeyDecoder,
        on_action: Callable[[str], None],
        on_status: Callable[[DeviceStatus], None],
        retry_seconds: float = 5.0,
    ) -> None:
        self.name = name
        self._open_port = open_port
        self._decoder = decoder
        self._on_action = on_action
        self._on_status = on_status
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._status: DeviceStatus | None = None
        self._thread = threading.Thread(target=self._run, name="antrean-keypad", daemon=True)

    def start(self) -> KeypadReader:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                port = self._open_port()
            except DeviceProblem as problem:
                self._report(DeviceStatus("keypad", self.name, problem.kind, str(problem)))
                self._stop.wait(self._retry)
                continue
            self._report(DeviceStatus("keypad", self.name))
            try:
                self._read(port)
            except OSError as error:  # serial.SerialException is an OSError: unplugged
                self._report(DeviceStatus("keypad", self.name, "io_error", f"{self.name}: {error}"))
                self._stop.wait(self._retry)
            finally:
                port.close()

    def _read(self, port: Port) -> None:
        # The port's read timeout bounds each wait, so stop() is noticed promptly.
        while not self._stop.is_set():
            data = port.read(1)
            if data and port.in_waiting:
                data += port.read(port.in_waiting)
            for action in self._decoder.feed(data):
                self._on_action(action)

    def _report(self, status: DeviceStatus) -> None:
        if status != self._status:
            self._status = status
            if not status.ok:
                log.warning("counter keypad: %s", status.detail)
            self._on_status(status)
