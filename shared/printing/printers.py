"""The one narrow interface the kiosk prints through, and the factory that builds it from config.

Call these off the GUI thread: every method may wait up to a few times `timeout_seconds`.
"""

from __future__ import annotations

from typing import Literal, Protocol, TypeVar, cast, get_args

from shared.printing.local_printers import FilePrinter, UsbPrinter
from shared.printing.problems import PrinterProblem, PrinterState, ProblemKind
from shared.printing.ticket import TicketSlip
from shared.printing.transports import FlowControl, NetworkPrinter, SerialPrinter
from shared.printing.virtual import VirtualPrinter

__all__ = [
    "FilePrinter",
    "NetworkPrinter",
    "PrinterKind",
    "PrinterProblem",
    "PrinterState",
    "ProblemKind",
    "SerialPrinter",
    "TicketPrinter",
    "UsbPrinter",
    "VirtualPrinter",
    "make_printer",
]

PrinterKind = Literal["virtual", "network", "serial", "usb", "file"]
PRINTER_OPTIONS = frozenset({
    "host", "port", "device", "baudrate", "flow_control", "vendor_id", "product_id",
    "paper_mm", "timeout_seconds", "output_dir", "status_query",
})
DEFAULT_TIMEOUT_SECONDS = 5.0

N = TypeVar("N", int, float)


class TicketPrinter(Protocol):
    def print_ticket(self, data: bytes, slip: TicketSlip) -> None:
        """Print one ticket's ESC/POS job; raise `PrinterProblem` if it was not printed."""

    def check(self) -> PrinterState:
        """How the printer is now; raise `PrinterProblem` if it cannot be reached at all."""


def make_printer(kind: str, **options: object) -> TicketPrinter:
    """The printer that the `[printer]` settings describe.

    Options that do not apply to `kind` are ignored, as are None values, so the whole config
    section can be passed; an unknown option name or a missing required one is a ValueError.
    """
    unknown = set(options) - PRINTER_OPTIONS
    if unknown:
        raise ValueError(f"unknown printer option(s): {', '.join(sorted(unknown))}")
    given = {name: value for name, value in options.items() if value is not None}
    timeout = _number(given, "timeout_seconds", float, DEFAULT_TIMEOUT_SECONDS)
    status_query = bool(given.get("status_query", True))
    if kind == "virtual":
        paper_mm = _number(given, "paper_mm", int, 80)
        if paper_mm not in (58, 80):
            raise ValueError(f"printer option paper_mm must be 58 or 80, not {paper_mm}")
        return VirtualPrinter(_text(given, "output_dir", kind), cast(Literal[58, 80], paper_mm))
    if kind == "network":
        port = _number(given, "port", int, 9100)
        return NetworkPrinter(_text(given, "host", kind), port, timeout, status_query)
    if kind == "serial":
        flow_control = given.get("flow_control", "none")
        if flow_control not in get_args(FlowControl):
            raise ValueError(
                f"printer option flow_control must be none, rtscts or xonxoff, not {flow_control!r}"
            )
        return SerialPrinter(
            _text(given, "device", kind),
            _number(given, "baudrate", int, 9600),
            cast(FlowControl, flow_control),
            timeout,
            status_query,
        )
    if kind == "usb":
        return UsbPrinter(_usb_id(given, "vendor_id"), _usb_id(given, "product_id"), timeout)
    if kind == "file":
        return FilePrinter(_text(given, "device", kind), timeout)
    raise ValueError(
        f"printer kind must be one of {', '.join(get_args(PrinterKind))}; not {kind!r}"
    )


def _text(options: dict[str, object], name: str, kind: str) -> str:
    value = options.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a {kind} printer needs the option {name}")
    return value


def _number(options: dict[str, object], name: str, kind: type[N], default: N) -> N:
    value = options.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"printer option {name} must be a number, not {value!r}")
    try:
        number = kind(value)
    except ValueError:
        raise ValueError(f"printer option {name} must be a number, not {value!r}") from None
    if number <= 0:
        raise ValueError(f"printer option {name} must be positive, not {value!r}")
    return number


def _usb_id(options: dict[str, object], name: str) -> int:
    """A USB id given as 0x0416, "0x0416", "0416" (hex, as lsusb prints it) or 1046."""
    value = options.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    message = f"a usb printer needs the option {name}, e.g. 0x0416 as lsusb shows it"
    if not isinstance(value, str):
        raise ValueError(message)
    try:
        return int(value, 16)
    except ValueError:
        raise ValueError(f"{message}, not {value!r}") from None
