"""The ticket as a picture: same layout as the ESC/POS job, for the virtual printer and screens."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import qrcode
from PIL import Image, ImageDraw, ImageFont

from shared.printing.codepage import printable_text
from shared.printing.reservation import ReservationSlip
from shared.printing.ticket import TicketSlip

RASTER_WIDTH: dict[Literal[58, 80], int] = {58: 384, 80: 576}
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
LOGO_MAX_HEIGHT = 120

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=32)
def ticket_font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans when installed, else Pillow's built-in font at the same size."""
    path = DEJAVU_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class _Text:
    text: str
    font: Font
    align: Literal["left", "center"] = "center"
    inverted: bool = False


@dataclass(frozen=True)
class _Picture:
    image: Image.Image


@dataclass(frozen=True)
class _Gap:
    height: int


_Row = _Text | _Picture | _Gap


def render_ticket_image(slip: TicketSlip, paper_mm: Literal[58, 80]) -> Image.Image:
    """A black-and-white ('L' mode) picture of the ticket, as wide as the paper's print head."""
    width = RASTER_WIDTH[paper_mm]
    margin = width // 24
    usable = width - 2 * margin
    body = ticket_font(width // 24)
    bold = ticket_font(width // 24, bold=True)
    rows: list[_Row] = [_Gap(margin)]
    if slip.logo_path:
        rows += [_Picture(_logo(slip.logo_path, usable)), _Gap(margin // 2)]
    rows += _wrapped(slip.branch_name, bold, usable)
    rows += _wrapped(slip.service_name, ticket_font(width // 16, bold=True), usable)
    rows += [_Gap(margin), *_wrapped(slip.words.queue_number, body, usable)]
    rows.append(_Text(slip.label, _label_font(slip.label, usable)))
    rows += [_Text(f" {mark} ", bold, inverted=True) for mark in slip.marks]
    rows.append(_Gap(margin))
    rows += _wrapped(slip.issued_line(), body, usable)
    rows += _wrapped(slip.people_ahead_line(), body, usable)
    window = slip.window_line()
    if window is not None:
        rows += _wrapped(window, body, usable)
    rows += [_Gap(margin), _Picture(qr_image(slip.status_url, usable // 2))]
    rows += _wrapped(slip.scan_caption, body, usable)
    if slip.documents:
        rows += [_Gap(margin), *_wrapped(slip.words.bring_documents, bold, usable, "left")]
        for document in slip.documents:
            rows += _wrapped(f"- {document}", body, usable, "left")
    if slip.footer:
        rows += [_Gap(margin), *_wrapped(slip.footer, body, usable)]
    if slip.notice:
        rows += [_Gap(margin), *_wrapped(slip.notice, bold, usable - 2 * margin)]
    rows.append(_Gap(2 * margin))
    return _paint(rows, width, margin)


def render_reservation_image(slip: ReservationSlip, paper_mm: Literal[58, 80]) -> Image.Image:
    """A picture of the reservation slip, laid out as `layout_reservation` prints it."""
    width = RASTER_WIDTH[paper_mm]
    margin = width // 24
    usable = width - 2 * margin
    body = ticket_font(width // 24)
    bold = ticket_font(width // 24, bold=True)
    rows: list[_Row] = [_Gap(margin), *_wrapped(slip.branch_name, bold, usable)]
    large = ticket_font(width // 16, bold=True)
    rows += _wrapped(slip.words.title, large, usable) + _wrapped(slip.service_name, large, usable)
    rows += [_Gap(margin), *_wrapped(slip.when_line(), bold, usable)]
    rows += _wrapped(slip.come_line(), body, usable)
    rows += [_Gap(margin), *_wrapped(slip.words.code, body, usable)]
    rows.append(_Text(slip.code, _label_font(slip.code, usable)))
    rows += [_Gap(margin), _Picture(qr_image(slip.link, usable // 2))]
    rows += _wrapped(slip.words.scan, body, usable)
    if slip.footer:
        rows += [_Gap(margin), *_wrapped(slip.footer, body, usable)]
    if slip.notice:
        rows += [_Gap(margin), *_wrapped(slip.notice, bold, usable - 2 * margin)]
    rows.append(_Gap(2 * margin))
    return _paint(rows, width, margin)


def qr_image(content: str, target_width: int) -> Image.Image:
    """A QR code made by `qrcode`, with whole-pixel modules, about `target_width` wide."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(content)
    code.make(fit=True)
    modules = code.modules_count + 2 * code.border
    code.box_size = max(2, target_width // modules)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def _label_font(label: str, usable: int) -> Font:
    """The biggest bold font (up to a third of the width tall) in which the label fits."""
    size = usable // 3
    font = ticket_font(size, bold=True)
    while size > 12 and font.getlength(label) > usable:
        size -= 4
        font = ticket_font(size, bold=True)
    return font


def _wrapped(
    text: str, font: Font, usable: int, align: Literal["left", "center"] = "center"
) -> list[_Row]:
    """`text` broken at spaces into lines no wider than `usable` pixels."""
    if not (isinstance(font, ImageFont.FreeTypeFont) and font.getname()[0] == "DejaVu Sans"):
        text = printable_text(text)  # Pillow's own font lacks the en dash and friends
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= usable:
            lines[-1] = candidate
        else:
            lines.append(word)
    return [_Text(line, font, align) for line in lines]


def _line_height(font: Font) -> int:
    _, top, _, bottom = font.getbbox("ÅgjyQ|")
    return int(bottom) + max(2, int(bottom - top) // 5)


def _height(row: _Row) -> int:
    if isinstance(row, _Gap):
        return row.height
    if isinstance(row, _Picture):
        return row.image.height
    return _line_height(row.font)


def _paint(rows: list[_Row], width: int, margin: int) -> Image.Image:
    canvas = Image.new("L", (width, sum(_height(row) for row in rows)), 255)
    draw = ImageDraw.Draw(canvas)
    y = 0
    for row in rows:
        if isinstance(row, _Picture):
            canvas.paste(row.image, ((width - row.image.width) // 2, y))
        elif isinstance(row, _Text):
            text_width = int(row.font.getlength(row.text))
            x = margin if row.align == "left" else (width - text_width) // 2
            if row.inverted:
                draw.rectangle((x, y, x + text_width, y + _height(row) - 1), fill=0)
            draw.text((x, y), row.text, font=row.font, fill=255 if row.inverted else 0)
        y += _height(row)
    return canvas


def _logo(logo_path: str, usable: int) -> Image.Image:
    with Image.open(logo_path) as original:
        logo = original.convert("RGBA")
    flattened = Image.alpha_composite(Image.new("RGBA", logo.size, "white"), logo)
    picture = flattened.convert("L")
    picture.thumbnail((usable, LOGO_MAX_HEIGHT))
    return picture
