"""SerialPrinter through a socat pty pair, the fake printer on the far end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.printing.layout import layout_ticket
from shared.printing.printers import PrinterProblem, PrinterState, SerialPrinter
from shared.printing.transports import FlowControl
from tests.shared.printing.slips import a_slip
from tests.support.fake_printer import FakePrinterProcess
from tests.support.fake_printer_process import SocatPtyPair

pytestmark = pytest.mark.timeout(30)
TIMEOUT = 0.5


@pytest.fixture
def ptys() -> Iterator[SocatPtyPair]:
    with SocatPtyPair() as pair:
        yield pair


@pytest.mark.parametrize("flow_control", ["none", "rtscts", "xonxoff"])
def test_printer_receives_exactly_the_layout_bytes(
    ptys: SocatPtyPair, flow_control: FlowControl
) -> None:
    slip = a_slip()
    job = layout_ticket(slip, 58)
    with FakePrinterProcess("ok", serial_device=ptys.far) as fake:
        printer = SerialPrinter(ptys.near, 19200, flow_control, TIMEOUT)
        assert printer.check() is PrinterState.READY
        printer.print_ticket(job, slip)
        # The answer to the query after the job came after the fake stored the job.
        assert fake.received() == job


def test_paper_out_is_reported_before_anything_is_printed(ptys: SocatPtyPair) -> None:
    slip = a_slip()
    with FakePrinterProcess("paper_out", serial_device=ptys.far) as fake:
        printer = SerialPrinter(ptys.near, timeout=TIMEOUT)
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(layout_ticket(slip, 58), slip)
        assert raised.value.kind == "paper_out"
        fake.wait_for("STATUS")
        assert fake.received() == b""


def test_silent_printer_times_out(ptys: SocatPtyPair) -> None:
    slip = a_slip()
    with FakePrinterProcess("silent", serial_device=ptys.far):
        printer = SerialPrinter(ptys.near, timeout=TIMEOUT)
        assert printer.check() is PrinterState.UNKNOWN
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(layout_ticket(slip, 58), slip)
        assert (raised.value.kind, raised.value.state) == ("timeout", PrinterState.UNKNOWN)


def test_line_cut_mid_job_is_noticed(ptys: SocatPtyPair) -> None:
    # A serial line cannot tell a cut cable from a dead printer: the answer after the job
    # never comes, so the ticket is reported as not printed.
    slip = a_slip()
    with FakePrinterProcess("drop", serial_device=ptys.far) as fake:
        printer = SerialPrinter(ptys.near, timeout=TIMEOUT)
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(layout_ticket(slip, 58), slip)
        assert raised.value.kind == "timeout"
        assert raised.value.detail == "no status answer after printing"
        assert fake.wait_for("DROP").fields["bytes"] == "32"


def test_missing_serial_device() -> None:
    printer = SerialPrinter("/dev/ttyUSB-antrean-missing", timeout=TIMEOUT)
    with pytest.raises(PrinterProblem) as raised:
        printer.check()
    assert raised.value.kind == "not_found"
    assert "/dev/ttyUSB-antrean-missing" in str(raised.value)


def test_unknown_flow_control_is_refused() -> None:
    with pytest.raises(ValueError, match="flow control"):
        SerialPrinter("/dev/ttyS0", flow_control="dtrdsr")  # type: ignore[arg-type]  # refused


def test_a_slow_job_is_allowed_the_time_its_baud_rate_takes(ptys: SocatPtyPair) -> None:
    # 1,504 bytes take 1.57 s at 9,600 baud (960 bytes/s); the printer prints at 1,000 bytes/s.
    slip = a_slip()
    job = layout_ticket(slip, 58) * 4
    with FakePrinterProcess("ok", serial_device=ptys.far, bytes_per_second=1000) as fake:
        printer = SerialPrinter(ptys.near, 9600, "none", TIMEOUT)
        assert printer.job_seconds(len(job)) == pytest.approx(TIMEOUT + len(job) / 960)
        printer.print_ticket(job, slip)
        assert fake.received() == job
