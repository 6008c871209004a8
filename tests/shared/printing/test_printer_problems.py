"""Every transport failure maps to one problem kind, with words for the staff."""

from __future__ import annotations

import errno
import socket

import pytest
import serial
import usb.core
from escpos.exceptions import DeviceNotFoundError

from shared.printing.problems import (
    STAFF_ADVICE,
    PrinterProblem,
    PrinterState,
    problem_kind,
    translated_errors,
)


def wrapped_by_escpos(error: OSError) -> DeviceNotFoundError:
    """What python-escpos raises: its own error, raised while handling the OS error."""
    wrapped = DeviceNotFoundError("Could not open socket")
    wrapped.__context__ = error
    return wrapped


@pytest.mark.parametrize(
    ("error", "opening", "kind"),
    [
        (ConnectionRefusedError(errno.ECONNREFUSED, "refused"), True, "refused"),
        (socket.gaierror(-2, "Name or service not known"), True, "not_found"),
        (OSError(errno.EHOSTUNREACH, "No route to host"), True, "not_found"),
        (TimeoutError("timed out"), True, "timeout"),
        (BrokenPipeError(errno.EPIPE, "Broken pipe"), False, "disconnected"),
        (ConnectionResetError(errno.ECONNRESET, "reset"), False, "disconnected"),
        (FileNotFoundError(errno.ENOENT, "No such file"), True, "not_found"),
        (OSError(errno.ENODEV, "No such device"), True, "not_found"),
        (OSError(errno.ENODEV, "No such device"), False, "disconnected"),
        (OSError(errno.EIO, "Input/output error"), False, "disconnected"),
        (PermissionError(errno.EACCES, "Permission denied"), True, "io_error"),
        (serial.SerialException(errno.ENOENT, "could not open port"), True, "not_found"),
        (serial.SerialException("device reports readiness to read but returned no data"),
         False, "serial_error"),
        (serial.SerialTimeoutException("Write timeout"), False, "timeout"),
        (usb.core.NoBackendError("No backend available"), True, "usb_backend_missing"),
        (usb.core.USBTimeoutError("timeout", -7, errno.ETIMEDOUT), False, "timeout"),
        (usb.core.USBError("Access denied", -3, errno.EACCES), True, "io_error"),
        (DeviceNotFoundError("not found"), True, "not_found"),
        (wrapped_by_escpos(ConnectionRefusedError(errno.ECONNREFUSED, "x")), True, "refused"),
        (wrapped_by_escpos(TimeoutError("timed out")), True, "timeout"),
    ],
)
def test_errors_map_to_kinds(error: BaseException, opening: bool, kind: str) -> None:
    assert problem_kind(error, opening) == kind


def test_translated_errors_raise_a_problem_from_the_cause() -> None:
    cause = BrokenPipeError(errno.EPIPE, "Broken pipe")
    with pytest.raises(PrinterProblem) as raised, translated_errors("printer P", opening=False):
        raise cause
    problem = raised.value
    assert problem.__cause__ is cause
    assert problem.kind == "disconnected"
    assert problem.state is PrinterState.OFFLINE
    assert str(problem).startswith("printer P: The connection to the printer broke")
    assert "Broken pipe" in problem.detail


def test_programming_errors_are_not_disguised_as_printer_problems() -> None:
    with pytest.raises(KeyError), translated_errors("printer P", opening=True):
        raise KeyError("bug")


def test_every_kind_has_staff_advice_in_both_languages() -> None:
    for kind, (indonesian, english) in STAFF_ADVICE.items():
        problem = PrinterProblem(kind, "printer P")
        assert problem.staff_message("id") == indonesian
        assert problem.staff_message("en") == english
        assert indonesian and english and indonesian != english


def test_states_follow_the_kind_unless_given() -> None:
    assert PrinterProblem("paper_out", "p").state is PrinterState.PAPER_OUT
    assert PrinterProblem("timeout", "p").state is PrinterState.UNKNOWN
    assert PrinterProblem("refused", "p").state is PrinterState.OFFLINE
    assert PrinterProblem("offline", "p", state=PrinterState.COVER_OPEN).state is (
        PrinterState.COVER_OPEN
    )
