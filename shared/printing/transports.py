"""Printers that can answer: TCP (port 9100) and serial, both through python-escpos.

A job on these goes: connect, ask DLE EOT status, refuse to print unless ready, send the
bytes, ask again, close. The answer to the second query proves the printer took every byte
(a dropped connection shows up there, not as a ticket silently lost in a socket buffer) and
catches the roll that ran out during the ticket. Connecting and the first query are bounded by
`timeout` seconds; sending and the second query by `job_seconds(len(job))`, since a printer
reads its buffer only as fast as it prints and answers that query after the ticket's bytes.
"""

from __future__ import annotations

import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Literal

import serial
from escpos.escpos import Escpos
from escpos.printer import Network, Serial

from shared.config.devices import PrinterConfig
from shared.printing.problems import PrinterState, translated_errors
from shared.printing.reservation import PrintedSlip
from shared.printing.status import (
    STATUS_QUERIES,
    STATUS_REPLY_LENGTH,
    decode_status,
    require_printable,
)

FlowControl = Literal["none", "rtscts", "xonxoff"]
# The [printer] settings' defaults, so a printer built by hand matches one built from config.
DEFAULTS = PrinterConfig()

try:
    import termios

    _PORT_ERRORS: tuple[type[Exception], ...] = (OSError, termios.error)
except ImportError:  # Windows: pyserial raises only OSError subclasses there
    _PORT_ERRORS = (OSError,)


def job_seconds(timeout: float, size: int, bytes_per_second: float) -> float:
    """A step's timeout plus the time `size` bytes take at the slowest expected speed."""
    return timeout + size / bytes_per_second


class AnsweringPrinter(ABC):
    """The job and status logic shared by transports that can read the printer's replies."""

    def __init__(
        self,
        name: str,
        timeout: float,
        status_query: bool = DEFAULTS.status_query,
        bytes_per_second: float = DEFAULTS.min_bytes_per_second,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"printer timeout must be positive seconds, not {timeout}")
        if bytes_per_second <= 0:
            raise ValueError(f"printer speed must be positive bytes/s, not {bytes_per_second}")
        self.name = name
        self.timeout = timeout
        self.status_query = status_query
        self.bytes_per_second = bytes_per_second

    def job_seconds(self, size: int) -> float:
        """How long a job of `size` bytes may take from sending to its last status answer."""
        return job_seconds(self.timeout, size, self.bytes_per_second)

    def check(self) -> PrinterState:
        """The printer's state; UNKNOWN when it does not answer within the timeout.

        Raises `PrinterProblem` when the printer cannot be reached at all.
        """
        with self._session() as printer:
            return self._query(printer) if self.status_query else PrinterState.UNKNOWN

    def print_ticket(self, data: bytes, slip: PrintedSlip) -> None:
        with self._session() as printer:
            if self.status_query:
                require_printable(self._query(printer), self.name, "before printing")
            deadline = time.monotonic() + self.job_seconds(len(data))
            with translated_errors(self.name, opening=False):
                self._send(printer, data, deadline)
            if self.status_query:
                require_printable(self._query(printer, deadline), self.name, "after printing")

    def _query(self, printer: Escpos, deadline: float | None = None) -> PrinterState:
        """The printer's state; its answer may come until `deadline` (default: `timeout`)."""
        with translated_errors(self.name, opening=False):
            self._discard_unread(printer)
            printer._raw(STATUS_QUERIES)
            if deadline is None:
                deadline = time.monotonic() + self.timeout
            return decode_status(self._read(printer, STATUS_REPLY_LENGTH, deadline))

    @abstractmethod
    def _send(self, printer: Escpos, data: bytes, deadline: float) -> None:
        """Write the whole job, waiting for a slow printer's buffer until `deadline`."""

    @contextmanager
    def _session(self) -> Iterator[Escpos]:
        with translated_errors(self.name, opening=True):
            printer = self._open()
        failed = True
        try:
            yield printer
            failed = False
        finally:
            self._close(printer, failed)

    @abstractmethod
    def _open(self) -> Escpos: ...

    @abstractmethod
    def _read(self, printer: Escpos, count: int, deadline: float) -> bytes:
        """Up to `count` bytes that arrive before `deadline` (time.monotonic)."""

    def _discard_unread(self, printer: Escpos) -> None:  # noqa: B027 - optional hook
        """Drop stale bytes (a late answer from before) so they are not read as the reply."""

    def _close(self, printer: Escpos, failed: bool) -> None:
        printer.close()


class NetworkPrinter(AnsweringPrinter):
    """An Ethernet printer's raw port (9100), one TCP connection per job."""

    def __init__(
        self,
        host: str,
        port: int = DEFAULTS.port,
        timeout: float = DEFAULTS.timeout_seconds,
        status_query: bool = DEFAULTS.status_query,
        bytes_per_second: float = DEFAULTS.min_bytes_per_second,
    ) -> None:
        super().__init__(f"printer {host}:{port}", timeout, status_query, bytes_per_second)
        self.host = host
        self.port = port

    def _open(self) -> Escpos:
        printer = Network(self.host, self.port, timeout=self.timeout)
        printer.open()
        # The status queries are tiny writes; Nagle's algorithm would hold each one back
        # for the previous ACK and add tens of milliseconds to every ticket.
        printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return printer

    def _send(self, printer: Escpos, data: bytes, deadline: float) -> None:
        connection: socket.socket = printer.device
        # sendall's timeout bounds the whole job, which a slow printer takes in at its speed.
        connection.settimeout(max(deadline - time.monotonic(), self.timeout))
        try:
            printer._raw(data)
        finally:
            connection.settimeout(self.timeout)

    def _read(self, printer: Escpos, count: int, deadline: float) -> bytes:
        connection = printer.device
        received = b""
        while len(received) < count and (remaining := deadline - time.monotonic()) > 0:
            connection.settimeout(remaining)
            try:
                chunk = connection.recv(count - len(received))
            except TimeoutError:
                break
            if not chunk:
                raise ConnectionResetError("the printer closed the connection")
            received += chunk
        connection.settimeout(self.timeout)
        return received


class SerialPrinter(AnsweringPrinter):
    """A printer on an RS-232 port (or a USB-serial adapter, or a pty in tests)."""

    def __init__(
        self,
        device: str,
        baudrate: int = DEFAULTS.baudrate,
        flow_control: FlowControl = DEFAULTS.flow_control,
        timeout: float = DEFAULTS.timeout_seconds,
        status_query: bool = DEFAULTS.status_query,
    ) -> None:
        if flow_control not in ("none", "rtscts", "xonxoff"):
            raise ValueError(f"flow control must be none, rtscts or xonxoff, not {flow_control!r}")
        # Ten bits a byte on the line (start, 8 data, stop): the port's speed bounds the job.
        super().__init__(f"printer {device}", timeout, status_query, baudrate / 10)
        self.device = device
        self.baudrate = baudrate
        self.flow_control = flow_control

    def _open(self) -> Escpos:
        printer = Serial(
            self.device,
            baudrate=self.baudrate,
            timeout=self.timeout,
            xonxoff=self.flow_control == "xonxoff",
            dsrdtr=False,
        )
        printer.open()
        port: serial.Serial = printer.device
        # python-escpos knows no RTS/CTS and no write timeout; without the latter a printer
        # holding CTS low would block the kiosk forever.
        port.rtscts = self.flow_control == "rtscts"
        port.write_timeout = self.timeout
        return printer

    def _send(self, printer: Escpos, data: bytes, deadline: float) -> None:
        port: serial.Serial = printer.device
        port.write_timeout = max(deadline - time.monotonic(), self.timeout)
        try:
            printer._raw(data)
        finally:
            port.write_timeout = self.timeout

    def _read(self, printer: Escpos, count: int, deadline: float) -> bytes:
        port: serial.Serial = printer.device
        received = b""
        while len(received) < count and (remaining := deadline - time.monotonic()) > 0:
            port.timeout = remaining
            received += port.read(count - len(received))
        return received

    def _discard_unread(self, printer: Escpos) -> None:
        port: serial.Serial = printer.device
        port.reset_input_buffer()

    def _close(self, printer: Escpos, failed: bool) -> None:
        port: serial.Serial | None = printer.device
        printer.device = False
        if port is None or not port.is_open:
            return
        if not failed:
            with translated_errors(self.name, opening=False):
                port.close()
            return
        # The job already failed and that problem is the one to report; a port that broke
        # may also fail to reset, and closing it must not wait for output that never drains.
        with suppress(*_PORT_ERRORS):
            port.reset_output_buffer()
        with suppress(*_PORT_ERRORS):
            port.close()
