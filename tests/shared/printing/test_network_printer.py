"""NetworkPrinter against a fake printer process on 127.0.0.1 (a free port, never 9100)."""

from __future__ import annotations

import pytest

from shared.printing.layout import layout_ticket
from shared.printing.printers import NetworkPrinter, PrinterProblem, PrinterState
from tests.shared.printing.slips import a_slip
from tests.support.fake_printer import FakePrinterProcess

# Every test here must end in seconds even when the printer never answers.
pytestmark = pytest.mark.timeout(30)
TIMEOUT = 0.5


def printer_for(fake: FakePrinterProcess, status_query: bool = True) -> NetworkPrinter:
    return NetworkPrinter("127.0.0.1", fake.port, timeout=TIMEOUT, status_query=status_query)


def test_printer_receives_exactly_the_layout_bytes() -> None:
    slip = a_slip()
    job = layout_ticket(slip, 80)
    with FakePrinterProcess("ok") as fake:
        printer_for(fake).print_ticket(job, slip)
        fake.wait_for("CLOSE")
        assert fake.jobs() == [job]
        queries = [event.fields["query"] for event in fake.events if event.name == "STATUS"]
        assert queries == ["1", "2", "4", "1", "2", "4"]  # before and after the job


def test_each_ticket_is_its_own_connection() -> None:
    first, second = a_slip(label="A001"), a_slip(label="A002")
    with FakePrinterProcess("ok") as fake:
        printer = printer_for(fake)
        printer.print_ticket(layout_ticket(first, 58), first)
        printer.print_ticket(layout_ticket(second, 58), second)
        fake.wait_for("CLOSE")
        fake.wait_for("CLOSE")
        assert fake.jobs() == [layout_ticket(first, 58), layout_ticket(second, 58)]


@pytest.mark.parametrize(
    ("mode", "state"),
    [
        ("ok", PrinterState.READY),
        ("paper_low", PrinterState.PAPER_LOW),
        ("paper_out", PrinterState.PAPER_OUT),
        ("cover_open", PrinterState.COVER_OPEN),
    ],
)
def test_check_reads_the_status_answers(mode: str, state: PrinterState) -> None:
    with FakePrinterProcess(mode) as fake:
        assert printer_for(fake).check() is state


def test_paper_out_is_reported_before_anything_is_printed() -> None:
    slip = a_slip()
    with FakePrinterProcess("paper_out") as fake:
        with pytest.raises(PrinterProblem) as raised:
            printer_for(fake).print_ticket(layout_ticket(slip, 80), slip)
        assert raised.value.kind == "paper_out"
        assert raised.value.state is PrinterState.PAPER_OUT
        fake.wait_for("CLOSE")
        assert fake.received() == b""


def test_cover_open_stops_the_job_as_offline() -> None:
    slip = a_slip()
    with FakePrinterProcess("cover_open") as fake:
        with pytest.raises(PrinterProblem) as raised:
            printer_for(fake).print_ticket(layout_ticket(slip, 80), slip)
        assert (raised.value.kind, raised.value.state) == ("offline", PrinterState.COVER_OPEN)


def test_paper_low_still_prints() -> None:
    slip = a_slip()
    with FakePrinterProcess("paper_low") as fake:
        printer_for(fake).print_ticket(layout_ticket(slip, 80), slip)
        fake.wait_for("CLOSE")
        assert fake.received() == layout_ticket(slip, 80)


def test_refused_connection() -> None:
    slip = a_slip()
    with FakePrinterProcess("refuse") as fake:
        printer = printer_for(fake)
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(layout_ticket(slip, 80), slip)
        assert raised.value.kind == "refused"
        assert raised.value.state is PrinterState.OFFLINE
        assert f"127.0.0.1:{fake.port}" in str(raised.value)
        with pytest.raises(PrinterProblem) as raised_by_check:
            printer.check()
        assert raised_by_check.value.kind == "refused"


def test_connection_dropped_mid_job() -> None:
    slip = a_slip()
    job = layout_ticket(slip, 80)
    with FakePrinterProcess("drop", drop_after=32) as fake:
        with pytest.raises(PrinterProblem) as raised:
            printer_for(fake).print_ticket(job, slip)
        assert raised.value.kind == "disconnected"
        assert fake.wait_for("DROP").fields["bytes"] == "32"
        assert fake.received() == job[:32]


def test_silent_printer_times_out_without_a_ticket_being_lost() -> None:
    slip = a_slip()
    with FakePrinterProcess("silent") as fake:
        printer = printer_for(fake)
        assert printer.check() is PrinterState.UNKNOWN
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(layout_ticket(slip, 80), slip)
        assert raised.value.kind == "timeout"
        assert raised.value.state is PrinterState.UNKNOWN
        assert raised.value.detail == "no status answer before printing"


def test_without_status_queries_only_the_job_is_sent() -> None:
    slip = a_slip()
    job = layout_ticket(slip, 80)
    with FakePrinterProcess("ok") as fake:
        printer = printer_for(fake, status_query=False)
        assert printer.check() is PrinterState.UNKNOWN
        printer.print_ticket(job, slip)
        fake.wait_for("CLOSE")
        fake.wait_for("CLOSE")
        assert fake.jobs() == [b"", job]
        assert not [event for event in fake.events if event.name == "STATUS"]


def test_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError):
        NetworkPrinter("127.0.0.1", 9100, timeout=0)


def test_a_slow_printer_is_given_the_time_its_job_takes() -> None:
    # 1,504 bytes at 1,000 bytes/s print in 1.5 s, three times the step timeout: the answer
    # to the query after the job comes late, and that is not a failure.
    slip = a_slip()
    job = layout_ticket(slip, 80) * 4
    with FakePrinterProcess("ok", bytes_per_second=1000) as fake:
        printer = NetworkPrinter("127.0.0.1", fake.port, timeout=TIMEOUT, bytes_per_second=800)
        assert printer.job_seconds(len(job)) == pytest.approx(TIMEOUT + len(job) / 800)
        printer.print_ticket(job, slip)
        fake.wait_for("CLOSE")
        assert fake.jobs() == [job]


def test_a_printer_slower_than_the_floor_is_reported_silent() -> None:
    slip = a_slip()
    job = layout_ticket(slip, 80) * 4
    with FakePrinterProcess("ok", bytes_per_second=300) as fake:
        printer = NetworkPrinter("127.0.0.1", fake.port, timeout=TIMEOUT, bytes_per_second=2000)
        with pytest.raises(PrinterProblem) as raised:
            printer.print_ticket(job, slip)
        assert (raised.value.kind, raised.value.detail) == ("timeout",
                                                            "no status answer after printing")


def test_the_speed_floor_must_be_positive() -> None:
    with pytest.raises(ValueError, match="bytes/s"):
        NetworkPrinter("127.0.0.1", 9100, bytes_per_second=0)
