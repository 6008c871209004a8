"""Tickets read off the paper: the job's bytes printed dot for dot by tests/support/escpos_paper."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from shared.printing.layout import PaperWidth, layout_reservation, layout_ticket
from shared.printing.reservation import ReservationSlip
from shared.printing.ticket import TicketSlip
from tests.shared.printing.slips import ISSUED_AT, STATUS_URL, a_slip
from tests.support.escpos_paper import print_on_paper

EDGE_DOTS = 16  # 2 mm at 203 dpi, which cheap 58 mm heads may not print


def ink_columns(image: Image.Image) -> tuple[int, int]:
    """The first and last dot columns that carry any ink."""
    box = Image.eval(image, lambda value: 255 - value).getbbox()
    assert box is not None, "nothing was printed"
    return box[0], box[2] - 1


def a_wide_slip() -> TicketSlip:
    return a_slip(
        footer="Terima kasih. Simpan tiket ini sampai dipanggil petugas di loket kami.",
        documents=("Kartu Tanda Penduduk elektronik asli dan fotokopinya", "Kartu peserta"),
    )


def test_a_58mm_ticket_keeps_off_the_edge_dots(tmp_path: Path) -> None:
    slip = a_wide_slip()
    paper = print_on_paper(layout_ticket(slip, 58), 58)
    paper.image.save(tmp_path / "ticket-58mm.png")  # to look at when this fails
    first, last = ink_columns(paper.image)
    assert first >= EDGE_DOTS and last < 384 - EDGE_DOTS, (first, last)
    assert paper.qr_contents == (STATUS_URL,)


def test_a_58mm_reservation_keeps_off_the_edge_dots() -> None:
    slip = ReservationSlip(
        branch_name="BPJS Ketenagakerjaan Cabang Serang", service_name="Klaim JHT",
        code="ABCDE-FGHJK", slot_start=ISSUED_AT + timedelta(days=1),
        slot_end=ISSUED_AT + timedelta(days=1, minutes=30),
        check_in_from=ISSUED_AT + timedelta(days=1, minutes=-60),
        check_in_until=ISSUED_AT + timedelta(days=1, minutes=15),
        link="https://antrean.example.id/b/ABCDEFGHJK", footer="Terima kasih", language="id",
    )  # fmt: skip
    paper = print_on_paper(layout_reservation(slip, 58), 58)
    first, last = ink_columns(paper.image)
    assert first >= EDGE_DOTS and last < 384 - EDGE_DOTS, (first, last)
    assert paper.qr_contents == (slip.link,)


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_the_printed_lines_say_what_the_slip_says(paper_mm: PaperWidth) -> None:
    paper = print_on_paper(layout_ticket(a_slip(), paper_mm), paper_mm)
    assert "A012" in paper.lines and "Nomor antrean" in paper.lines


def test_text_is_read_in_the_forced_code_page() -> None:
    paper = print_on_paper(layout_ticket(a_slip(footer="Loket 1 · Terima kasih"), 80), 80)
    assert "Loket 1 · Terima kasih" in paper.lines
