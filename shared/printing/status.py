"""Real-time status of an ESC/POS printer: the DLE EOT queries and what their answers mean.

Each query is answered by one byte whose bits 1 and 4 are always set and bits 0 and 7 always
clear (0b0xx1xx10); a byte that breaks that pattern is not a status answer. We ask three:

- n=1 printer status: bit 3 set means offline;
- n=2 offline cause: bit 2 cover open, bit 5 stopped at paper end, bit 6 an error occurred;
- n=4 roll paper sensor: bits 2-3 paper near its end, bits 5-6 no paper.
"""

from __future__ import annotations

from shared.printing.problems import PrinterProblem, PrinterState

DLE_EOT = b"\x10\x04"
QUERY_PRINTER = 1
QUERY_OFFLINE_CAUSE = 2
QUERY_PAPER = 4
# All three queries go out together, so the whole check costs one round trip.
STATUS_QUERIES = b"".join(DLE_EOT + bytes([n]) for n in (QUERY_PRINTER, QUERY_OFFLINE_CAUSE,
                                                           QUERY_PAPER))
STATUS_REPLY_LENGTH = 3

_FIXED_BITS_MASK = 0b1001_0011
_FIXED_BITS = 0b0001_0010
PRINTER_OFFLINE = 0b0000_1000
COVER_OPEN = 0b0000_0100
STOPPED_AT_PAPER_END = 0b0010_0000
ERROR_OCCURRED = 0b0100_0000
PAPER_NEAR_END = 0b0000_1100
PAPER_END = 0b0110_0000


def is_status_byte(value: int) -> bool:
    return value & _FIXED_BITS_MASK == _FIXED_BITS


def decode_status(reply: bytes) -> PrinterState:
    """The printer's state from its answers to `STATUS_QUERIES`, in order.

    A missing or malformed answer gives UNKNOWN: we cannot tell, so we do not guess.
    """
    if len(reply) < STATUS_REPLY_LENGTH or not all(map(is_status_byte, reply)):
        return PrinterState.UNKNOWN
    printer, offline_cause, paper = reply[:STATUS_REPLY_LENGTH]
    if paper & PAPER_END or offline_cause & STOPPED_AT_PAPER_END:
        return PrinterState.PAPER_OUT
    if offline_cause & COVER_OPEN:
        return PrinterState.COVER_OPEN
    if printer & PRINTER_OFFLINE or offline_cause & ERROR_OCCURRED:
        return PrinterState.OFFLINE
    if paper & PAPER_NEAR_END:
        return PrinterState.PAPER_LOW
    return PrinterState.READY


def require_printable(state: PrinterState, printer: str, moment: str) -> None:
    """Raise the `PrinterProblem` that stops a job for `state`; READY and PAPER_LOW pass.

    UNKNOWN stops the job too: a printer that does not answer a status query within the
    timeout is hung, switched off behind a network adapter, or not an ESC/POS printer, and a
    ticket sent to it would be silently lost. Printers that never answer are configured with
    `status_query=False` instead.
    """
    if state in (PrinterState.READY, PrinterState.PAPER_LOW):
        return
    if state is PrinterState.PAPER_OUT:
        raise PrinterProblem("paper_out", printer, f"paper end reported {moment}", state)
    if state is PrinterState.UNKNOWN:
        raise PrinterProblem("timeout", printer, f"no status answer {moment}", state)
    raise PrinterProblem("offline", printer, f"{state.value} reported {moment}", state)
