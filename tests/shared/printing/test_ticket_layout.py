"""The ESC/POS job, byte by byte: what a real printer would do with each part of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from shared.printing.layout import (
    PAPER_DOTS,
    PaperWidth,
    generic_profile,
    label_magnification,
    layout_ticket,
    print_area_dots,
)
from tests.shared.printing.slips import STATUS_URL, a_slip

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
PC437 = ESC + b"t\x00"
CENTER, LEFT = ESC + b"a\x01", ESC + b"a\x00"
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
FEED_AND_PARTIAL_CUT = ESC + b"d\x06" + GS + b"V\x01"
# 58 mm: left margin 16 dots (GS L), print area 352 dots (GS W), 2 mm in from each edge.
MARGINS_58 = GS + b"L\x10\x00" + GS + b"W\x60\x01"


def qr_store(content: bytes) -> bytes:
    """GS ( k <fn 180>: store `content` in the QR symbol (pL pH count cn fn m and the data)."""
    size = len(content) + 3
    return GS + b"(k" + bytes([size % 256, size // 256]) + b"1P0" + content


def test_complete_58mm_ticket_byte_for_byte() -> None:
    slip = a_slip(
        branch_name="Kantor Cabang Serang", label="B007", people_ahead=0, window=None,
        status_url="https://a.id/s/1", documents=(), footer="",
    )
    normal_size = (ESC + b"!\x00") * 3
    expected = b"".join([
        INIT, PC437, MARGINS_58, CENTER,
        BOLD_ON, b"Kantor Cabang Serang\n",
        (ESC + b"!\x00") * 2 + ESC + b"!\x10", BOLD_OFF, b"Klaim JHT\n",  # double height
        normal_size, b"\n",
        b"Nomor antrean\n",
        GS + b"!\x55", BOLD_ON, b"B007\n",  # 6x6, bold
        GS + b"!\x00", BOLD_OFF, b"\n",
        b"Senin, 3 Maret 2025 09:12\n",
        b"Orang di depan Anda: 0\n",
        b"\n",
        GS + b"(k\x04\x001A2\x00",  # model 2
        GS + b"(k\x03\x001C\x05",  # 5-dot modules
        GS + b"(k\x03\x001E1",  # error correction M
        qr_store(b"https://a.id/s/1"),
        GS + b"(k\x03\x001Q0",  # print the symbol
        b"\n",
        b"Pindai untuk status & survei\n",
        FEED_AND_PARTIAL_CUT,
    ])
    assert layout_ticket(slip, 58) == expected


def test_job_starts_with_reset_and_forced_code_page() -> None:
    assert layout_ticket(a_slip(), 58).startswith(INIT + PC437 + MARGINS_58 + CENTER)
    assert layout_ticket(a_slip(), 80).startswith(INIT + PC437 + CENTER)  # the roll's own


def test_no_58mm_text_line_reaches_the_edge_dots() -> None:
    slip = a_slip(footer="Terima kasih. Simpan tiket ini sampai dipanggil petugas di loket.",
                  documents=("Kartu Tanda Penduduk elektronik asli dan fotokopinya",))
    job = layout_ticket(slip, 58)
    widest = max(len(line) for line in job.split(b"\n") if not line.startswith((GS, ESC)))
    assert widest * 12 <= 384 - 2 * 16  # Font A, inside the margins


def test_label_is_bold_at_8x8_on_80mm_and_6x6_on_58mm() -> None:
    assert GS + b"!\x77" + BOLD_ON + b"A012\n" + GS + b"!\x00" in layout_ticket(a_slip(), 80)
    assert GS + b"!\x55" + BOLD_ON + b"A012\n" + GS + b"!\x00" in layout_ticket(a_slip(), 58)


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_four_character_labels_fit_the_paper(paper_mm: PaperWidth) -> None:
    size = label_magnification("A012", paper_mm)
    assert size * 12 * 4 <= print_area_dots(paper_mm) <= PAPER_DOTS[paper_mm]


def test_long_labels_shrink_to_fit() -> None:
    assert label_magnification("PRIO123", 58) == 4
    job = layout_ticket(a_slip(label="PRIO123"), 58)
    assert GS + b"!\x33" + BOLD_ON + b"PRIO123\n" in job


def test_qr_carries_exactly_the_status_url_natively() -> None:
    job = layout_ticket(a_slip(), 80)
    assert job.count(GS + b"(k") == 5
    assert job.count(b"1P0") == 1
    assert qr_store(STATUS_URL.encode()) + GS + b"(k\x03\x001Q0" in job
    assert GS + b"(k\x03\x001C\x07" in job  # 7-dot modules on 80 mm


def test_job_ends_with_feed_and_partial_cut() -> None:
    job = layout_ticket(a_slip(), 80)
    assert job.endswith(FEED_AND_PARTIAL_CUT)
    assert job.count(GS + b"V") == 1


def test_indonesian_lines_print_as_plain_pc437_text() -> None:
    job = layout_ticket(a_slip(service_name="Klaim JHT – Jaminan Hari Tua"), 80)
    for line in [
        b"Nomor antrean\n",
        b"Klaim JHT - Jaminan Hari Tua\n",
        b"Senin, 3 Maret 2025 09:12\n",
        b"Orang di depan Anda: 5\n",
        b"Perkiraan dipanggil: 09:40-10:05\n",
        b"Pindai untuk status & survei\n",
        b"Terima kasih\n",
    ]:
        assert line in job
    assert "–".encode() not in job
    assert b"?" not in job
    assert job.count(ESC + b"t") == 1  # no code page switching behind our back


def test_english_ticket() -> None:
    job = layout_ticket(a_slip(language="en"), 80)
    assert b"Queue number\n" in job
    assert b"People ahead of you: 5\n" in job
    assert b"Estimated call: 09:40-10:05\n" in job
    assert LEFT + b"Bring documents:\n" in job


def test_documents_are_listed_left_aligned_after_their_heading() -> None:
    job = layout_ticket(a_slip(documents=("KTP", "Kartu peserta BPJS")), 58)
    expected = (BOLD_ON + LEFT + b"Bawa dokumen:\n" + BOLD_OFF
                + b"- KTP\n- Kartu peserta BPJS\n" + CENTER)
    assert expected in job


def test_long_text_wraps_at_the_paper_columns() -> None:
    footer = "Simpan tiket ini sampai layanan selesai dan isi survei kepuasan kami"
    job = layout_ticket(a_slip(footer=footer), 58)
    assert b"Simpan tiket ini sampai\nlayanan selesai dan isi\nsurvei kepuasan kami\n" in job


def test_priority_is_printed_inverted_only_for_priority_visitors() -> None:
    invert_on = GS + b"B\x01"
    assert invert_on + b" Prioritas \n" in layout_ticket(a_slip(priority=True), 80)
    assert invert_on not in layout_ticket(a_slip(priority=False), 80)


def test_a_booking_is_marked_like_priority_and_after_it() -> None:
    invert_on = GS + b"B\x01"
    booked = layout_ticket(a_slip(booked=True), 80)
    assert invert_on + b" Antrean online \n" in booked
    both = layout_ticket(a_slip(priority=True, booked=True), 80)
    assert both.index(b" Prioritas ") < both.index(b" Antrean online ")
    english = layout_ticket(a_slip(booked=True, language="en"), 80)
    assert b" Booked online \n" in english


def test_window_and_notice_lines() -> None:
    assert b"Perkiraan" not in layout_ticket(a_slip(window=None), 80)
    assert b"Kertas" not in layout_ticket(a_slip(notice="Kertas printer habis"), 80)


def test_service_name_cannot_inject_commands() -> None:
    job = layout_ticket(a_slip(service_name="JHT\x1dV\x00"), 80)
    assert job.count(GS + b"V") == 1


def test_logo_is_a_centred_raster_image(tmp_path: Path) -> None:
    logo_path = tmp_path / "logo.png"
    Image.new("RGBA", (800, 200), (0, 0, 0, 255)).save(logo_path)
    job = layout_ticket(a_slip(logo_path=str(logo_path)), 80)
    # GS v 0, normal density, 72 bytes (576 dots) wide after centring, 120 dots tall
    assert GS + b"v0\x00" + bytes([72, 0, 120, 0]) in job


def test_profiles_know_the_paper() -> None:
    assert generic_profile(58).get_columns("a") == 29  # 352 dots inside the margins
    assert generic_profile(80).get_columns("a") == 48
    assert generic_profile(80).profile_data["media"]["width"]["pixels"] == 576
    assert generic_profile(58).supports("paperPartCut")
