"""The one narrow interface the kiosk prints through, and the factory that builds it from config.

Call these off the GUI thread: every method may wait up to a few times `timeout_seconds`.
"""

from __future__ import annotations

from typing import Protocol

from shared.config.devices import PrinterConfig
from shared.printing.local_printers import FilePrinter, UsbPrinter
from shared.printing.problems import PrinterProblem, PrinterState, ProblemKind
from shared.printing.reservation import PrintedSlip
from shared.printing.transports import NetworkPrinter, SerialPrinter
from shared.printing.virtual import VirtualPrinter

__all__ = [
    "FilePrinter",
    "NetworkPrinter",
    "PrinterProblem",
    "PrinterState",
    "ProblemKind",
    "SerialPrinter",
    "TicketPrinter",
    "UsbPrinter",
    "VirtualPrinter",
    "make_printer",
]


class TicketPrinter(Protocol):
    def print_ticket(self, data: bytes, slip: PrintedSlip) -> None:
        """Print one ticket's ESC/POS job; raise `PrinterProblem` if it was not printed."""

    def check(self) -> PrinterState:
        """How the printer is now; raise `PrinterProblem` if it cannot be reached at all."""


def make_printer(config: PrinterConfig, output_dir: str | None = None) -> TicketPrinter:
    """The printer that the `[printer]` settings describe (the config model has checked that
    each kind has what it needs); `output_dir` is where a virtual printer without its own
    `output_dir` draws its tickets."""
    timeout = config.timeout_seconds
    speed = config.min_bytes_per_second
    match config.kind:
        case "virtual":
            folder = config.output_dir or output_dir
            if not folder:
                raise ValueError("a virtual printer needs an output_dir")
            return VirtualPrinter(folder, config.paper_mm)
        case "network":
            return NetworkPrinter(
                config.host, config.port, timeout, config.status_query, speed
            )
        case "serial":
            return SerialPrinter(
                config.device, config.baudrate, config.flow_control, timeout, config.status_query
            )
        case "usb":
            assert config.vendor_id is not None and config.product_id is not None
            return UsbPrinter(config.vendor_id, config.product_id, timeout, speed)
        case "file":
            return FilePrinter(config.device, timeout, speed)
