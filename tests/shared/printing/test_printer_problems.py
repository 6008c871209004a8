"""Every transport failure maps to one problem kind, with words for the staff."""

from __future__ import annotations

import errno
import socket
from typing import get_args

import pytest
import serial
import usb.core
from escpos.exceptions import DeviceNotFoundError

from shared.i18n import catalog
from shared.printing.problems import (
    HEALTH_STATES,
    PrinterProblem,
    PrinterState,
    ProblemKind,
    problem_from_error,
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
    for kind in get_args(ProblemKind):
        problem = PrinterProblem(kind, "printer P")
        indonesian, english = problem.staff_message("id"), problem.staff_message("en")
        assert indonesian and english and indonesian != english
        assert str(problem) == f"printer P: {english}"


def test_every_stored_state_has_words_in_both_languages() -> None:
    words = catalog()
    for state in HEALTH_STATES:
        entry = words[f"printer.state.{state}"]
        assert entry["id"] and entry["en"] and entry["id"] != entry["en"]
    assert set(get_args(ProblemKind)) < set(HEALTH_STATES)


def test_escpos_wrapped_os_errors_become_one_clean_line() -> None:
    try:
        try:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
        except OSError as error:
            # python-escpos' own wording: two lines, the address cut after its colon
            raise DeviceNotFoundError(f"Could not open socket for 10.0.0.9:\n{error}") from error
    except DeviceNotFoundError as wrapped:
        problem = problem_from_error(wrapped, "printer 10.0.0.9:9100", opening=True)
    assert (problem.kind, problem.detail) == ("refused", "Connection refused")


def test_states_follow_the_kind_unless_given() -> None:
    assert PrinterProblem("paper_out", "p").state is PrinterState.PAPER_OUT
    assert PrinterProblem("timeout", "p").state is PrinterState.UNKNOWN
    assert PrinterProblem("refused", "p").state is PrinterState.OFFLINE
    assert PrinterProblem("offline", "p", state=PrinterState.COVER_OPEN).state is (
        PrinterState.COVER_OPEN
    )
