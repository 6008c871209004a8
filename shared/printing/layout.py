"""The ticket as ESC/POS bytes: pure layout code, tested against the bytes it produces."""

from __future__ import annotations

import copy
import textwrap
from functools import lru_cache
from typing import Literal

from escpos.capabilities import CAPABILITIES, Profile
from escpos.constants import QR_ECLEVEL_M
from escpos.printer import Dummy
from PIL import Image

from shared.printing.codepage import TICKET_CODE_PAGE, printable_text
from shared.printing.raster import render_ticket_image
from shared.printing.reservation import ReservationSlip
from shared.printing.ticket import TicketSlip

__all__ = [
    "GenericProfile",
    "PaperWidth",
    "generic_profile",
    "label_magnification",
    "layout_reservation",
    "layout_ticket",
    "print_area_dots",
    "render_ticket_image",
]

PaperWidth = Literal[58, 80]

# Printable dots across the roll at 203 dpi: 72 mm of an 80 mm roll, 48 mm of a 58 mm roll.
PAPER_DOTS: dict[PaperWidth, int] = {58: 384, 80: 576}
FONT_A_DOTS = 12  # width of one Font A character cell
# Cheap 58 mm heads often lose a few dots at each edge, so text and pictures keep 2 mm (16 dots)
# off both sides there: GS L moves the left margin in and GS W narrows the print area to match.
# 80 mm paper already has 4 mm of roll beyond each end of its 72 mm head.
SIDE_MARGIN_DOTS: dict[PaperWidth, int] = {58: 16, 80: 0}
# The label's GS ! magnification: 8×8 is the most ESC/POS allows; on 58 mm 6×6 leaves a margin
# (4 characters take 288 of 384 dots) because cheap 58 mm heads often lose a few edge dots.
LABEL_MAGNIFICATION: dict[PaperWidth, int] = {58: 6, 80: 8}
QR_MODULE_DOTS: dict[PaperWidth, int] = {58: 5, 80: 7}
LOGO_MAX_HEIGHT_DOTS = 120
FEED_LINES_BEFORE_CUT = 6  # the cutter sits a few lines above the print head


class GenericProfile(Profile):
    """python-escpos' standards-compliant default profile, told the real paper width.

    The 58 mm profiles in escpos-printer-db claim neither partial cut nor QR, although the
    generic printers we meet do both; the width is what we need from a profile.
    """

    def __init__(self, paper_mm: PaperWidth) -> None:
        dots = print_area_dots(paper_mm)
        data = copy.deepcopy(CAPABILITIES["profiles"]["default"])
        data["name"] = f"Generic {paper_mm} mm"
        data["media"] = {"dpi": 203, "width": {"mm": paper_mm, "pixels": dots}}
        data["fonts"] = {
            "0": {"name": "Font A", "columns": dots // FONT_A_DOTS},
            "1": {"name": "Font B", "columns": dots // 9},
        }
        self.profile_data = data
        super().__init__(columns=dots // FONT_A_DOTS, features=data["features"])


@lru_cache(maxsize=2)
def generic_profile(paper_mm: PaperWidth) -> GenericProfile:
    return GenericProfile(paper_mm)


def print_area_dots(paper_mm: PaperWidth) -> int:
    """Dots across that the ticket uses: the head's, less the side margins."""
    return PAPER_DOTS[paper_mm] - 2 * SIDE_MARGIN_DOTS[paper_mm]


def columns(paper_mm: PaperWidth) -> int:
    return print_area_dots(paper_mm) // FONT_A_DOTS


def print_area(paper_mm: PaperWidth) -> bytes:
    """GS L and GS W for the side margins; nothing where the paper needs none."""
    margin = SIDE_MARGIN_DOTS[paper_mm]
    if not margin:
        return b""
    return (b"\x1dL" + margin.to_bytes(2, "little")
            + b"\x1dW" + print_area_dots(paper_mm).to_bytes(2, "little"))


def label_magnification(label: str, paper_mm: PaperWidth) -> int:
    """The GS ! size for the label: the paper's usual size, smaller if the label is long."""
    fitting = print_area_dots(paper_mm) // (FONT_A_DOTS * max(len(label), 1))
    return max(1, min(LABEL_MAGNIFICATION[paper_mm], fitting))


def layout_ticket(slip: TicketSlip, paper_mm: PaperWidth) -> bytes:
    """The complete ESC/POS job for one ticket, from reset to partial cut."""
    printer = Dummy(profile=generic_profile(paper_mm))
    width = columns(paper_mm)
    printer.hw("INIT")  # ESC @: forget whatever the previous job left set
    printer.charcode(TICKET_CODE_PAGE)  # ESC t 0, forced; see codepage.py
    printer._raw(print_area(paper_mm))
    printer.set(align="center")
    if slip.logo_path:
        _logo(printer, slip.logo_path, paper_mm)

    printer.set(bold=True)
    _lines(printer, slip.branch_name, width)
    printer.set(bold=False, double_height=True)
    _lines(printer, slip.service_name, width)
    printer.set(normal_textsize=True)
    printer.ln()
    _lines(printer, slip.words.queue_number, width)

    size = label_magnification(slip.label, paper_mm)
    printer.set(bold=True, custom_size=True, width=size, height=size)
    printer.textln(printable_text(slip.label))
    printer.set(bold=False, custom_size=True, width=1, height=1)
    for mark in slip.marks:
        printer.set(bold=True, invert=True)
        printer.textln(f" {printable_text(mark)} ")
        printer.set(bold=False, invert=False)
    printer.ln()

    _lines(printer, slip.issued_line(), width)
    _lines(printer, slip.people_ahead_line(), width)
    window = slip.window_line()
    if window is not None:
        _lines(printer, window, width)
    printer.ln()

    printer.qr(slip.status_url, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS[paper_mm], native=True)
    printer.ln()  # not every printer leaves the QR symbol on a fresh line
    _lines(printer, slip.scan_caption, width)

    if slip.documents:
        printer.ln()
        printer.set(align="left", bold=True)
        _lines(printer, slip.words.bring_documents, width)
        printer.set(bold=False)
        for document in slip.documents:
            _lines(printer, f"- {document}", width, indent="  ")
        printer.set(align="center")
    if slip.footer:
        printer.ln()
        _lines(printer, slip.footer, width)

    printer.cut(mode="PART")  # ESC d 6 then GS V 1
    return printer.output


def layout_reservation(slip: ReservationSlip, paper_mm: PaperWidth) -> bytes:
    """The ESC/POS job for a reservation: its day and time, the code large, the QR to scan."""
    printer = Dummy(profile=generic_profile(paper_mm))
    width = columns(paper_mm)
    printer.hw("INIT")
    printer.charcode(TICKET_CODE_PAGE)
    printer._raw(print_area(paper_mm))
    printer.set(align="center", bold=True)
    _lines(printer, slip.branch_name, width)
    printer.set(bold=False, double_height=True)
    _lines(printer, slip.words.title, width)
    _lines(printer, slip.service_name, width)
    printer.set(normal_textsize=True)
    printer.ln()
    printer.set(bold=True)
    _lines(printer, slip.when_line(), width)
    printer.set(bold=False)
    _lines(printer, slip.come_line(), width)
    printer.ln()
    _lines(printer, slip.words.code, width)
    printer.set(bold=True, double_height=True, double_width=True)
    printer.textln(printable_text(slip.code))
    printer.set(normal_textsize=True, bold=False)
    printer.ln()
    printer.qr(slip.link, ec=QR_ECLEVEL_M, size=QR_MODULE_DOTS[paper_mm], native=True)
    printer.ln()
    _lines(printer, slip.words.scan, width)
    if slip.footer:
        printer.ln()
        _lines(printer, slip.footer, width)
    printer.cut(mode="PART")
    return printer.output


def _lines(printer: Dummy, text: str, width: int, indent: str = "") -> None:
    """`text` made printable and wrapped at word boundaries to the paper's columns."""
    wrapped = textwrap.wrap(printable_text(text), width, subsequent_indent=indent) or [""]
    for line in wrapped:
        printer.textln(line)


def _logo(printer: Dummy, logo_path: str, paper_mm: PaperWidth) -> None:
    """The branch logo, scaled to fit, as a raster image (GS v 0)."""
    with Image.open(logo_path) as original:
        logo = original.convert("RGBA")
    white = Image.new("RGBA", logo.size, "white")
    logo = Image.alpha_composite(white, logo).convert("L")
    logo.thumbnail((print_area_dots(paper_mm), LOGO_MAX_HEIGHT_DOTS))
    printer.image(logo, impl="bitImageRaster", center=True)
    printer.ln()
