"""DLE EOT answers decoded per the ESC/POS reference, and the fake printer's stream parsing."""

from __future__ import annotations

import pytest

from shared.printing.problems import PrinterProblem, PrinterState
from shared.printing.status import STATUS_QUERIES, decode_status, is_status_byte, require_printable
from tests.support.fake_printer import STATUS_REPLIES, StatusFilter


def test_the_three_queries_go_out_in_one_write() -> None:
    assert STATUS_QUERIES == b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


@pytest.mark.parametrize(
    ("reply", "state"),
    [
        (b"\x12\x12\x12", PrinterState.READY),
        (b"\x12\x12\x1e", PrinterState.PAPER_LOW),  # n=4 bits 2-3: near end
        (b"\x12\x12\x16", PrinterState.PAPER_LOW),  # only one near-end sensor bit
        (b"\x1a\x32\x72", PrinterState.PAPER_OUT),  # offline, stopped at paper end, roll end
        (b"\x12\x12\x52", PrinterState.PAPER_OUT),  # roll end, bit 6 only
        (b"\x12\x12\x32", PrinterState.PAPER_OUT),  # roll end, bit 5 only
        (b"\x12\x12\x1a", PrinterState.PAPER_LOW),  # near end, bit 3 only
        (b"\x1a\x32\x12", PrinterState.PAPER_OUT),  # paper-end stop alone
        (b"\x1a\x16\x12", PrinterState.COVER_OPEN),
        (b"\x1a\x12\x12", PrinterState.OFFLINE),
        (b"\x12\x52\x12", PrinterState.OFFLINE),  # error occurred
        (b"", PrinterState.UNKNOWN),
        (b"\x12\x12", PrinterState.UNKNOWN),  # one query unanswered
        (b"\x12\x12\x93", PrinterState.UNKNOWN),  # bit 7 set: not a status byte
        (b"\x00\x12\x12", PrinterState.UNKNOWN),
    ],
)
def test_replies_decode_to_states(reply: bytes, state: PrinterState) -> None:
    assert decode_status(reply) is state


@pytest.mark.parametrize("mode", sorted(STATUS_REPLIES))
def test_fake_printer_answers_are_well_formed(mode: str) -> None:
    answers = STATUS_REPLIES[mode]
    assert all(is_status_byte(answers[n]) for n in (1, 2, 4))


def test_ready_and_paper_low_may_print() -> None:
    require_printable(PrinterState.READY, "printer X", "before printing")
    require_printable(PrinterState.PAPER_LOW, "printer X", "before printing")


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (PrinterState.PAPER_OUT, "paper_out"),
        (PrinterState.COVER_OPEN, "offline"),
        (PrinterState.OFFLINE, "offline"),
        (PrinterState.UNKNOWN, "timeout"),
    ],
)
def test_other_states_stop_the_job(state: PrinterState, kind: str) -> None:
    with pytest.raises(PrinterProblem) as raised:
        require_printable(state, "printer X", "before printing")
    assert raised.value.kind == kind
    assert raised.value.state is state


def test_status_filter_finds_queries_split_across_chunks() -> None:
    parser = StatusFilter()
    events = parser.feed(b"\x1b@A\x10") + parser.feed(b"\x04") + parser.feed(b"\x04B\x10\x04\x01")
    assert events == [b"\x1b@A", 4, b"B", 1]
    assert parser.feed(b"C\x10") == [b"C"]
    assert parser.flush() == b"\x10"


def test_status_filter_keeps_other_dle_bytes_as_data() -> None:
    assert StatusFilter().feed(b"a\x10\x05b\x10\x04\x02") == [b"a\x10\x05b", 2]
