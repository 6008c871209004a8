from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shared.config import PrinterConfig
from shared.printing.printers import (
    FilePrinter,
    NetworkPrinter,
    SerialPrinter,
    UsbPrinter,
    VirtualPrinter,
    make_printer,
)


def printer_config(**section: Any) -> PrinterConfig:
    """The [printer] section as the branch file would give it (validated, defaults filled)."""
    return PrinterConfig.model_validate(section)


def test_virtual(tmp_path: Path) -> None:
    printer = make_printer(printer_config(output_dir=str(tmp_path), paper_mm=58))
    assert isinstance(printer, VirtualPrinter)
    assert (printer.output_dir, printer.paper_mm) == (tmp_path, 58)


def test_a_virtual_printer_without_a_folder_draws_where_it_is_told(tmp_path: Path) -> None:
    printer = make_printer(printer_config(), output_dir=str(tmp_path))
    assert isinstance(printer, VirtualPrinter)
    assert printer.output_dir == tmp_path


def test_a_virtual_printer_needs_some_folder() -> None:
    with pytest.raises(ValueError, match="needs an output_dir"):
        make_printer(printer_config())


def test_network_with_the_settings_defaults_and_irrelevant_options_ignored() -> None:
    printer = make_printer(printer_config(kind="network", host="10.1.2.3", baudrate=9600))
    assert isinstance(printer, NetworkPrinter)
    assert (printer.host, printer.port, printer.timeout, printer.status_query) == (
        "10.1.2.3", 9100, 5.0, True,
    )


def test_network_options() -> None:
    printer = make_printer(printer_config(
        kind="network", host="printer.local", port=9101, timeout_seconds=2.0, status_query=False
    ))
    assert isinstance(printer, NetworkPrinter)
    assert (printer.port, printer.timeout, printer.status_query) == (9101, 2.0, False)


def test_serial() -> None:
    printer = make_printer(printer_config(
        kind="serial", device="/dev/ttyUSB0", baudrate=38400, flow_control="rtscts",
        timeout_seconds=1.5,
    ))
    assert isinstance(printer, SerialPrinter)
    assert (printer.device, printer.baudrate, printer.flow_control, printer.timeout) == (
        "/dev/ttyUSB0", 38400, "rtscts", 1.5,
    )


def test_every_printer_setting_left_out_gets_the_one_default_the_settings_declare() -> None:
    """A default written twice (the factory's or the printer's own) would disagree here."""
    defaults = PrinterConfig()
    serial = make_printer(printer_config(kind="serial", device="/dev/ttyUSB0"))
    assert isinstance(serial, SerialPrinter)
    assert (serial.baudrate, serial.flow_control, serial.timeout, serial.status_query) == (
        defaults.baudrate, defaults.flow_control, defaults.timeout_seconds,
        defaults.status_query,
    )
    by_hand = SerialPrinter("/dev/ttyUSB0")
    assert (by_hand.baudrate, by_hand.flow_control, by_hand.timeout) == (
        serial.baudrate, serial.flow_control, serial.timeout,
    )
    network = NetworkPrinter("10.1.2.3")
    assert (network.port, network.timeout, network.status_query) == (
        defaults.port, defaults.timeout_seconds, defaults.status_query,
    )
    assert FilePrinter("/dev/usb/lp0").timeout == defaults.timeout_seconds
    assert VirtualPrinter("tickets").paper_mm == defaults.paper_mm


def test_usb() -> None:
    printer = make_printer(printer_config(kind="usb", vendor_id="0x0416", product_id=0x5011))
    assert isinstance(printer, UsbPrinter)
    assert (printer.vendor_id, printer.product_id) == (0x0416, 0x5011)


def test_file() -> None:
    printer = make_printer(printer_config(kind="file", device="/dev/usb/lp0", timeout_seconds=3.0))
    assert isinstance(printer, FilePrinter)
    assert (printer.device, printer.timeout) == ("/dev/usb/lp0", 3.0)
