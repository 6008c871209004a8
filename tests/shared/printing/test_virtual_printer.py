from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from shared.printing.layout import layout_ticket
from shared.printing.printers import PrinterProblem, PrinterState, VirtualPrinter
from tests.shared.printing.slips import STATUS_URL, a_slip


def test_ticket_is_saved_as_png_with_its_job_beside_it(tmp_path: Path) -> None:
    slip = a_slip()
    job = layout_ticket(slip, 58)
    printer = VirtualPrinter(tmp_path / "tickets", paper_mm=58)
    assert printer.check() is PrinterState.READY
    printer.print_ticket(job, slip)
    image_path = printer.last_image_path
    assert image_path == tmp_path / "tickets" / "A012-20250303T091200.png"
    with Image.open(image_path) as image:
        assert image.format == "PNG"
        assert image.width == 384
    assert image_path.with_suffix(".bin").read_bytes() == job
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(image_path)],
                             capture_output=True, text=True, timeout=30)
    assert decoded.stdout.strip() == STATUS_URL


def test_a_reprint_does_not_overwrite_the_first(tmp_path: Path) -> None:
    slip = a_slip(label="B/07")
    printer = VirtualPrinter(tmp_path)
    printer.print_ticket(b"", slip)
    first = printer.last_image_path
    printer.print_ticket(b"", slip)
    assert first == tmp_path / "B_07-20250303T091200.png"
    assert printer.last_image_path == tmp_path / "B_07-20250303T091200-2.png"
    assert first.exists()


def test_simulated_paper_out_prints_nothing(tmp_path: Path) -> None:
    printer = VirtualPrinter(tmp_path)
    printer.simulated_state = PrinterState.PAPER_OUT
    assert printer.check() is PrinterState.PAPER_OUT
    with pytest.raises(PrinterProblem) as raised:
        printer.print_ticket(b"", a_slip())
    assert raised.value.kind == "paper_out"
    assert list(tmp_path.iterdir()) == []
    assert printer.last_image_path is None


def test_unwritable_output_is_a_printer_problem(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(PrinterProblem) as raised:
        VirtualPrinter(blocker / "tickets").print_ticket(b"", a_slip())
    assert raised.value.kind == "io_error"


def test_paper_width_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        VirtualPrinter(tmp_path, paper_mm=76)  # type: ignore[arg-type]  # refused
