"""What can be wrong with a ticket printer, in words the branch staff can act on."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Literal

import serial
import usb.core
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError


class PrinterState(Enum):
    READY = "ready"
    PAPER_OUT = "paper_out"
    PAPER_LOW = "paper_low"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    UNKNOWN = "unknown"


ProblemKind = Literal[
    "not_found",
    "refused",
    "disconnected",
    "timeout",
    "paper_out",
    "offline",
    "serial_error",
    "usb_backend_missing",
    "io_error",
]

# What staff should do about each kind: Bahasa Indonesia first, then English.
STAFF_ADVICE: dict[ProblemKind, tuple[str, str]] = {
    "not_found": (
        "Printer tidak ditemukan. Periksa kabel, daya, dan alamat printer.",
        "Printer not found. Check its cable, power and address.",
    ),
    "refused": (
        "Printer menolak sambungan. Pastikan printer menyala dan tidak dipakai perangkat lain.",
        "The printer refused the connection. Make sure it is on and not in use elsewhere.",
    ),
    "disconnected": (
        "Sambungan ke printer terputus saat mencetak. Periksa kabel atau jaringan, "
        "lalu cetak ulang.",
        "The connection to the printer broke while printing. Check the cable or network, "
        "then reprint.",
    ),
    "timeout": (
        "Printer tidak menjawab. Periksa apakah printer menyala dan tidak macet.",
        "The printer does not answer. Check that it is on and not jammed.",
    ),
    "paper_out": (
        "Kertas printer habis. Pasang gulungan kertas baru.",
        "The printer is out of paper. Put in a new roll.",
    ),
    "offline": (
        "Printer offline: tutup terbuka atau printer galat. Periksa printer.",
        "The printer is offline: its cover is open or it reports an error. Check the printer.",
    ),
    "serial_error": (
        "Galat port serial. Periksa kabel dan pengaturan baud rate.",
        "Serial port error. Check the cable and the baud rate setting.",
    ),
    "usb_backend_missing": (
        "Pustaka USB (libusb) belum terpasang di komputer ini.",
        "The USB library (libusb) is not installed on this computer.",
    ),
    "io_error": (
        "Galat saat menulis ke printer. Periksa printer dan izin aksesnya.",
        "Error while writing to the printer. Check the printer and access rights.",
    ),
}

_STATE_OF_KIND: dict[ProblemKind, PrinterState] = {
    "paper_out": PrinterState.PAPER_OUT,
    "timeout": PrinterState.UNKNOWN,
}


class PrinterProblem(Exception):
    """A ticket could not be printed, or the printer could not be asked how it is.

    `str(problem)` names the printer and says what to do, in English; `staff_message("id")`
    gives the advice in Bahasa Indonesia; `detail` keeps the technical cause for the log.
    """

    def __init__(
        self,
        kind: ProblemKind,
        printer: str,
        detail: str = "",
        state: PrinterState | None = None,
    ) -> None:
        self.kind: ProblemKind = kind
        self.printer = printer
        self.detail = detail
        self.state: PrinterState = state or _STATE_OF_KIND.get(kind, PrinterState.OFFLINE)
        super().__init__(f"{printer}: {STAFF_ADVICE[kind][1]}")

    def staff_message(self, language: Literal["id", "en"] = "id") -> str:
        indonesian, english = STAFF_ADVICE[self.kind]
        return indonesian if language == "id" else english


_NOT_THERE = {errno.ENOENT, errno.ENODEV, errno.ENXIO, errno.EHOSTUNREACH,
              errno.ENETUNREACH, errno.EHOSTDOWN}


def problem_kind(error: BaseException, opening: bool) -> ProblemKind:
    """The kind of problem that a python-escpos, pyserial, pyusb or OS error means.

    `opening` tells whether the error came while reaching the printer (a missing device is
    `not_found`) or in the middle of a job (the same error means it went away: `disconnected`).
    """
    if isinstance(error, DeviceNotFoundError):
        # python-escpos wraps the OS error; the wrapped one says what really happened.
        cause = error.__cause__ or error.__context__
        return problem_kind(cause, opening) if isinstance(cause, OSError) else "not_found"
    if isinstance(error, usb.core.NoBackendError):
        return "usb_backend_missing"
    if isinstance(error, serial.SerialTimeoutException | usb.core.USBTimeoutError | TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, BrokenPipeError | ConnectionResetError | ConnectionAbortedError):
        return "disconnected"
    if isinstance(error, socket.gaierror):
        return "not_found"
    if isinstance(error, serial.SerialException):
        return "not_found" if error.errno in _NOT_THERE else "serial_error"
    if isinstance(error, OSError) and error.errno in _NOT_THERE | {errno.EIO}:
        return "not_found" if opening else "disconnected"
    return "io_error"


def problem_from_error(error: BaseException, printer: str, opening: bool) -> PrinterProblem:
    """The `PrinterProblem` for `error`; raise it `from error` to keep the traceback."""
    return PrinterProblem(problem_kind(error, opening), printer, detail=str(error))


@contextmanager
def translated_errors(printer: str, opening: bool) -> Iterator[None]:
    """Turn the transport errors raised inside the block into one `PrinterProblem`."""
    try:
        yield
    except (OSError, EscposError, usb.core.NoBackendError) as error:
        raise problem_from_error(error, printer, opening) from error
