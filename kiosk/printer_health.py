"""How the kiosk's printer is, as the kiosk acts on it: fine, or a problem that stops issuing.

Every failure python-escpos and the transports can raise arrives here as a `PrinterProblem`
whose `kind` is the kiosk's state (paper_out, refused, disconnected, timeout, ...); that
state is what the home screen explains and what the store records for the counters.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.printing.printers import PrinterProblem, PrinterState, TicketPrinter, VirtualPrinter
from shared.printing.status import require_printable
from shared.printing.transports import AnsweringPrinter


@dataclass(frozen=True)
class PrinterHealth:
    """`state` is "ready", "paper_low", "unchecked" (a printer that cannot tell), or the
    `PrinterProblem.kind` of what is wrong."""

    state: str
    problem: PrinterProblem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def store_detail(self) -> str:
        """One line naming the printer and its port, then the cause ("printer 10.0.0.9:9100:
        Connection refused"); the board puts the advice for `state` before it in the officer's
        language, so nothing stored is in one language only."""
        if self.problem is None:
            return ""
        cause = " ".join(self.problem.detail.split())
        return f"{self.problem.printer}: {cause}" if cause else self.problem.printer


READY = PrinterHealth("ready")


def answers_status(printer: TicketPrinter) -> bool:
    """Whether `check()` can say more than "reachable" (DLE EOT answers, or a simulation)."""
    if isinstance(printer, AnsweringPrinter):
        return printer.status_query
    return isinstance(printer, VirtualPrinter)


def health_of(problem: PrinterProblem) -> PrinterHealth:
    return PrinterHealth(problem.kind, problem)


def health_after_printing(state: PrinterState = PrinterState.READY) -> PrinterHealth:
    return PrinterHealth("paper_low") if state is PrinterState.PAPER_LOW else READY


def check_printer(printer: TicketPrinter) -> PrinterHealth:
    """Ask the printer how it is; a problem comes back as a health, never raised."""
    try:
        state = printer.check()
        if state is PrinterState.UNKNOWN and not answers_status(printer):
            return PrinterHealth("unchecked")
        require_printable(state, getattr(printer, "name", "printer"), "before issuing")
    except PrinterProblem as problem:
        return health_of(problem)
    return health_after_printing(state)
