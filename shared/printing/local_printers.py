"""Printers plugged into the kiosk PC that we only write to: raw USB and a device file.

Neither answers DLE EOT here, so `check()` can only tell whether the printer is reachable:
it returns UNKNOWN when it is and raises `PrinterProblem` when it is not.
"""

from __future__ import annotations

import os
import select
import time

from escpos.printer import Usb

from shared.printing.problems import PrinterProblem, PrinterState, translated_errors
from shared.printing.reservation import PrintedSlip
from shared.printing.transports import DEFAULTS, job_seconds


class UsbPrinter:
    """A printer spoken to over USB bulk transfers through pyusb (needs libusb)."""

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        timeout: float = DEFAULTS.timeout_seconds,
        bytes_per_second: float = DEFAULTS.min_bytes_per_second,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"printer timeout must be positive seconds, not {timeout}")
        if bytes_per_second <= 0:
            raise ValueError(f"printer speed must be positive bytes/s, not {bytes_per_second}")
        for name, value in (("vendor_id", vendor_id), ("product_id", product_id)):
            # 0 would make python-escpos match any USB device at all.
            if not 0 < value <= 0xFFFF:
                raise ValueError(f"USB {name} must be between 0x0001 and 0xffff, not {value}")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.timeout = timeout
        self.bytes_per_second = bytes_per_second
        self.name = f"USB printer {vendor_id:04x}:{product_id:04x}"

    def check(self) -> PrinterState:
        printer = self._open()
        printer.close()
        return PrinterState.UNKNOWN

    def print_ticket(self, data: bytes, slip: PrintedSlip) -> None:
        printer = self._open()
        try:
            # One bulk transfer carries the job; a slow printer takes it in as it prints.
            printer.timeout = _milliseconds(job_seconds(self.timeout, len(data),
                                                        self.bytes_per_second))
            with translated_errors(self.name, opening=False):
                printer._raw(data)
        finally:
            printer.close()

    def _open(self) -> Usb:
        printer = Usb(self.vendor_id, self.product_id, timeout=_milliseconds(self.timeout))
        with translated_errors(self.name, opening=True):
            printer.open()
        if printer.device is None:  # python-escpos only asserts this, and -O drops asserts
            raise PrinterProblem("not_found", self.name, "no such USB device")
        return printer


class FilePrinter:
    """A printer behind a device file such as /dev/usb/lp0 (or any file, for debugging).

    python-escpos' File printer opens and writes in blocking mode, and a stalled printer
    would then hold the kiosk forever; here both are non-blocking and bounded by `timeout`.
    """

    def __init__(
        self,
        device: str,
        timeout: float = DEFAULTS.timeout_seconds,
        bytes_per_second: float = DEFAULTS.min_bytes_per_second,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"printer timeout must be positive seconds, not {timeout}")
        if bytes_per_second <= 0:
            raise ValueError(f"printer speed must be positive bytes/s, not {bytes_per_second}")
        self.device = device
        self.timeout = timeout
        self.bytes_per_second = bytes_per_second
        self.name = f"printer {device}"

    def check(self) -> PrinterState:
        os.close(self._open())
        return PrinterState.UNKNOWN

    def print_ticket(self, data: bytes, slip: PrintedSlip) -> None:
        descriptor = self._open()
        try:
            with translated_errors(self.name, opening=False):
                self._write_all(descriptor, data)
        finally:
            os.close(descriptor)

    def _open(self) -> int:
        # O_APPEND keeps earlier jobs when the "device" is a plain file; no O_CREAT, so a
        # mistyped device path is reported instead of quietly becoming a new file.
        flags = os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
        with translated_errors(self.name, opening=True):
            return os.open(self.device, flags)

    def _write_all(self, descriptor: int, data: bytes) -> None:
        allowed = job_seconds(self.timeout, len(data), self.bytes_per_second)
        deadline = time.monotonic() + allowed
        pending = memoryview(data)
        while pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                sent = len(data) - len(pending)
                raise TimeoutError(f"printer took {sent} of {len(data)} bytes in {allowed:.0f}s")
            _, writable, _ = select.select([], [descriptor], [], remaining)
            if not writable:
                continue
            try:
                written = os.write(descriptor, pending)
            except BlockingIOError:
                continue
            pending = pending[written:]


def _milliseconds(seconds: float) -> int:
    """pyusb counts its timeout in milliseconds; python-escpos passes it through as is."""
    return int(seconds * 1000)
