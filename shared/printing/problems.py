"""What can be wrong with a ticket printer, in words the branch staff can act on."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Literal, get_args

import serial
import usb.core
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

from shared.i18n import Language, Translator, catalog


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

# Every state a kiosk stores for its printer: ready, paper low, "unchecked" (reached, but it
# cannot report), a problem's kind, or "unknown" (a kiosk not heard from yet). Each has words in
# assets/translations/printer.toml ("printer.state.<state>"); the ones staff act on also have
# advice there ("printer.advice.<state>").
HEALTH_STATES: tuple[str, ...] = ("ready", "paper_low", "unchecked", *get_args(ProblemKind),
                                  "unknown")


def state_words(state: str, language: Language = "id") -> str:
    """A kiosk's printer state in `language` (a state from a newer kiosk as it is)."""
    return Translator(language)(f"printer.state.{state}") if state in HEALTH_STATES else state


def staff_advice(state: str, language: Language = "id") -> str:
    """What staff should do about `state`, in `language`; "" when there is nothing to do."""
    key = f"printer.advice.{state}"
    return Translator(language)(key) if key in catalog() else ""


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
        super().__init__(f"{printer}: {staff_advice(kind, 'en')}")

    def staff_message(self, language: Language = "id") -> str:
        return staff_advice(self.kind, language)


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
    return PrinterProblem(problem_kind(error, opening), printer, detail=cause_text(error))


def cause_text(error: BaseException) -> str:
    """The cause on one line, as the OS put it ("Connection refused"): python-escpos wraps
    the OS error in a message of its own that splits across lines and repeats the address."""
    if isinstance(error, DeviceNotFoundError) and isinstance(
        cause := error.__cause__ or error.__context__, OSError
    ):
        error = cause
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return " ".join(text.split())


@contextmanager
def translated_errors(printer: str, opening: bool) -> Iterator[None]:
    """Turn the transport errors raised inside the block into one `PrinterProblem`."""
    try:
        yield
    except (OSError, EscposError, usb.core.NoBackendError) as error:
        raise problem_from_error(error, printer, opening) from error
