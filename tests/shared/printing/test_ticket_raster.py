"""The ticket as a picture: the right width, and a QR that a real decoder reads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageFont

from shared.printing import raster
from shared.printing.layout import PaperWidth, render_ticket_image
from tests.shared.printing.slips import STATUS_URL, a_slip


def decoded_qr(image: Image.Image, folder: Path) -> str:
    path = folder / "ticket.png"
    image.save(path)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(("paper_mm", "width"), [(58, 384), (80, 576)])
def test_picture_is_as_wide_as_the_print_head(paper_mm: PaperWidth, width: int) -> None:
    image = render_ticket_image(a_slip(), paper_mm)
    assert image.mode == "L"
    assert image.width == width
    assert image.height > width  # a ticket is taller than wide


@pytest.mark.parametrize("paper_mm", [58, 80])
def test_qr_decodes_to_the_status_url(paper_mm: PaperWidth, tmp_path: Path) -> None:
    image = render_ticket_image(a_slip(priority=True), paper_mm)
    assert decoded_qr(image, tmp_path) == STATUS_URL


def test_without_dejavu_pillows_own_font_is_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(raster, "DEJAVU_DIR", tmp_path / "no-fonts-here")
    raster.ticket_font.cache_clear()
    try:
        image = render_ticket_image(a_slip(), 80)
        assert decoded_qr(image, tmp_path) == STATUS_URL
        # the built-in font has no en dash: the same stand-in as on paper
        (row,) = raster._wrapped("09:40–10:05", raster.ticket_font(20), 500)
        assert isinstance(row, raster._Text)
        assert row.text == "09:40-10:05"
    finally:
        raster.ticket_font.cache_clear()


def test_notice_is_drawn_below_the_ticket() -> None:
    plain = render_ticket_image(a_slip(), 80)
    noticed = render_ticket_image(a_slip(notice="Kertas printer habis"), 80)
    assert noticed.height > plain.height
    assert noticed.crop((0, 0, plain.width, plain.height - 60)).tobytes() == (
        plain.crop((0, 0, plain.width, plain.height - 60)).tobytes()
    )


def test_dejavu_keeps_the_en_dash() -> None:
    (row,) = raster._wrapped("09:40–10:05", raster.ticket_font(20), 500)
    assert isinstance(row, raster._Text)
    dejavu = (raster.DEJAVU_DIR / "DejaVuSans.ttf").is_file()
    assert row.text == ("09:40–10:05" if dejavu else "09:40-10:05")


def test_label_is_drawn_large() -> None:
    image = render_ticket_image(a_slip(), 80)
    font = raster._label_font("A012", 576 - 2 * 24)
    assert isinstance(font, ImageFont.FreeTypeFont) and font.size >= 120
    assert image.getextrema() == (0, 255)


def test_logo_goes_on_top(tmp_path: Path) -> None:
    logo_path = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), "black").save(logo_path)
    image = render_ticket_image(a_slip(logo_path=str(logo_path)), 58)
    assert image.getpixel((image.width // 2, 24 + 50)) == 0  # inside the black logo
    assert decoded_qr(image, tmp_path) == STATUS_URL
