"""FilePrinter on files and FIFOs, UsbPrinter with pyusb's device lookup replaced."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import usb.core
import usb.util

from shared.printing.layout import layout_ticket
from shared.printing.printers import FilePrinter, PrinterProblem, PrinterState, UsbPrinter
from tests.shared.printing.slips import a_slip

pytestmark = pytest.mark.timeout(30)
VENDOR, PRODUCT = 0x0416, 0x5011


def test_file_printer_appends_exactly_the_job(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    slip = a_slip()
    job = layout_ticket(slip, 80)
    printer = FilePrinter(str(device), timeout=1.0)
    assert printer.check() is PrinterState.UNKNOWN
    printer.print_ticket(job, slip)
    printer.print_ticket(job, slip)
    assert device.read_bytes() == job + job


def test_file_printer_missing_device(tmp_path: Path) -> None:
    printer = FilePrinter(str(tmp_path / "lp9"))
    with pytest.raises(PrinterProblem) as raised:
        printer.print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind == "not_found"
    assert not (tmp_path / "lp9").exists()  # a typo must not become a file
    with pytest.raises(PrinterProblem):
        printer.check()


def test_file_printer_on_a_directory_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(PrinterProblem) as raised:
        FilePrinter(str(tmp_path)).print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind == "io_error"


def test_fifo_without_a_reader_is_not_found(tmp_path: Path) -> None:
    fifo = tmp_path / "printer.fifo"
    os.mkfifo(fifo)
    with pytest.raises(PrinterProblem) as raised:
        FilePrinter(str(fifo), timeout=0.3).print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind == "not_found"


@pytest.fixture
def stalled_fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO whose reader never reads: a printer that stopped taking data."""
    fifo = tmp_path / "stalled.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    yield fifo
    os.close(reader)


def test_stalled_device_times_out(stalled_fifo: Path) -> None:
    larger_than_the_pipe_buffer = b"x" * 1_000_000
    with pytest.raises(PrinterProblem) as raised:
        # Allowed 0.3 s plus 1 MB at 2 MB/s: 0.8 s in all, then the stall is reported.
        FilePrinter(str(stalled_fifo), timeout=0.3, bytes_per_second=2_000_000).print_ticket(
            larger_than_the_pipe_buffer, a_slip()
        )
    assert raised.value.kind == "timeout"
    assert "of 1000000 bytes" in raised.value.detail


class NotLibusb1:
    """python-escpos detaches kernel drivers only on libusb1 backends."""


class FakeUsbDevice:
    """Just what python-escpos' Usb touches on a device."""

    backend = NotLibusb1()

    def __init__(self, write_error: Exception | None = None) -> None:
        self.write_error = write_error
        self.written: list[tuple[int, bytes, int]] = []

    def set_configuration(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def write(self, endpoint: int, data: bytes, timeout: int) -> int:
        if self.write_error is not None:
            raise self.write_error
        self.written.append((endpoint, data, timeout))
        return len(data)


@pytest.fixture
def usb_device(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Whatever the test puts in the list is what pyusb finds (nothing when empty)."""
    found: list[object] = []
    monkeypatch.setattr(usb.core, "find", lambda **match: found[0] if found else None)
    monkeypatch.setattr(usb.util, "dispose_resources", lambda device: None)
    yield found


def test_usb_printer_writes_the_job_with_a_timeout_in_milliseconds(
    usb_device: list[object],
) -> None:
    device = FakeUsbDevice()
    usb_device.append(device)
    printer = UsbPrinter(VENDOR, PRODUCT, timeout=2.5, bytes_per_second=100)
    assert printer.check() is PrinterState.UNKNOWN
    printer.print_ticket(b"\x1b@ticket", a_slip())
    # 2.5 s, and 8 bytes at 100 bytes/s: the transfer waits for a printer as slow as that.
    assert device.written == [(0x01, b"\x1b@ticket", 2580)]


def test_usb_printer_allows_a_big_job_the_time_it_takes(usb_device: list[object]) -> None:
    device = FakeUsbDevice()
    usb_device.append(device)
    logo_sized_job = b"x" * 9000
    UsbPrinter(VENDOR, PRODUCT, timeout=5, bytes_per_second=100).print_ticket(
        logo_sized_job, a_slip()
    )
    assert device.written[0][2] == 95_000


def test_usb_printer_not_plugged_in(usb_device: list[object]) -> None:
    with pytest.raises(PrinterProblem) as raised:
        UsbPrinter(VENDOR, PRODUCT).print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind == "not_found"
    assert "0416:5011" in str(raised.value)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (usb.core.USBTimeoutError("Operation timed out", -7, errno.ETIMEDOUT), "timeout"),
        (usb.core.USBError("No such device", -4, errno.ENODEV), "disconnected"),
    ],
)
def test_usb_write_failures(usb_device: list[object], error: Exception, kind: str) -> None:
    usb_device.append(FakeUsbDevice(write_error=error))
    with pytest.raises(PrinterProblem) as raised:
        UsbPrinter(VENDOR, PRODUCT).print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind == kind


def test_missing_usb_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_backend(**match: object) -> None:
        raise usb.core.NoBackendError("No backend available")

    monkeypatch.setattr(usb.core, "find", no_backend)
    with pytest.raises(PrinterProblem) as raised:
        UsbPrinter(VENDOR, PRODUCT).check()
    assert raised.value.kind == "usb_backend_missing"
    assert "libusb" in str(raised.value)
    assert "libusb" in raised.value.staff_message("id")


def test_this_machine_gives_a_clear_usb_problem() -> None:
    # No printer is plugged in here: without libusb the backend is missing, with it the
    # device is not found. Either way a PrinterProblem, never a raw pyusb error.
    with pytest.raises(PrinterProblem) as raised:
        UsbPrinter(VENDOR, PRODUCT, timeout=1.0).print_ticket(b"\x1b@", a_slip())
    assert raised.value.kind in ("usb_backend_missing", "not_found")


@pytest.mark.parametrize(("vendor", "product"), [(0, PRODUCT), (VENDOR, 0x1_0000)])
def test_usb_ids_must_name_one_device(vendor: int, product: int) -> None:
    with pytest.raises(ValueError, match="USB"):
        UsbPrinter(vendor, product)
