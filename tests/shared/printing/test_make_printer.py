from __future__ import annotations

from pathlib import Path

import pytest

from shared.printing.printers import (
    FilePrinter,
    NetworkPrinter,
    SerialPrinter,
    UsbPrinter,
    VirtualPrinter,
    make_printer,
)

# Every field of the [printer] config section, as the config layer would pass it.
UNSET: dict[str, object] = {
    "host": None, "port": None, "device": None, "baudrate": None, "flow_control": None,
    "vendor_id": None, "product_id": None, "paper_mm": None, "timeout_seconds": None,
    "output_dir": None,
}


def test_virtual(tmp_path: Path) -> None:
    printer = make_printer("virtual", **{**UNSET, "output_dir": str(tmp_path), "paper_mm": 58})
    assert isinstance(printer, VirtualPrinter)
    assert (printer.output_dir, printer.paper_mm) == (tmp_path, 58)


def test_network_with_defaults_and_irrelevant_options_ignored() -> None:
    printer = make_printer("network", **{**UNSET, "host": "10.1.2.3", "baudrate": 9600})
    assert isinstance(printer, NetworkPrinter)
    assert (printer.host, printer.port, printer.timeout, printer.status_query) == (
        "10.1.2.3", 9100, 5.0, True,
    )


def test_network_options() -> None:
    printer = make_printer("network", host="printer.local", port="9101", timeout_seconds=2,
                           status_query=False)
    assert isinstance(printer, NetworkPrinter)
    assert (printer.port, printer.timeout, printer.status_query) == (9101, 2.0, False)


def test_serial() -> None:
    printer = make_printer("serial", device="/dev/ttyUSB0", baudrate=19200,
                           flow_control="rtscts", timeout_seconds=1.5)
    assert isinstance(printer, SerialPrinter)
    assert (printer.device, printer.baudrate, printer.flow_control, printer.timeout) == (
        "/dev/ttyUSB0", 19200, "rtscts", 1.5,
    )


@pytest.mark.parametrize(("vendor", "product"), [(0x0416, 0x5011), ("0x0416", "5011")])
def test_usb_ids_as_numbers_or_lsusb_hex(vendor: object, product: object) -> None:
    printer = make_printer("usb", vendor_id=vendor, product_id=product)
    assert isinstance(printer, UsbPrinter)
    assert (printer.vendor_id, printer.product_id) == (0x0416, 0x5011)


def test_file() -> None:
    printer = make_printer("file", device="/dev/usb/lp0", timeout_seconds=3)
    assert isinstance(printer, FilePrinter)
    assert (printer.device, printer.timeout) == ("/dev/usb/lp0", 3.0)


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("laser", {}, "printer kind must be one of virtual, network, serial, usb, file"),
        ("network", {}, "needs the option host"),
        ("network", {"host": "  "}, "needs the option host"),
        ("network", {"host": "h", "hots": "h"}, "unknown printer option"),
        ("network", {"host": "h", "port": "ninety"}, "port must be a number"),
        ("network", {"host": "h", "timeout_seconds": 0}, "timeout_seconds must be positive"),
        ("serial", {"device": "/dev/ttyS0", "flow_control": "dsrdtr"}, "flow_control"),
        ("serial", {}, "needs the option device"),
        ("usb", {"vendor_id": "0x0416"}, "needs the option product_id"),
        ("usb", {"vendor_id": "zz", "product_id": 1}, "needs the option vendor_id"),
        ("file", {}, "needs the option device"),
        ("virtual", {}, "needs the option output_dir"),
        ("virtual", {"output_dir": "/tmp/t", "paper_mm": 76}, "paper_mm must be 58 or 80"),
    ],
)
def test_bad_settings_say_what_is_wrong(
    kind: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_printer(kind, **options)
