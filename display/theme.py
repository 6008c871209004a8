"""The lobby screen's colours and type sizes, in one place so they can be checked.

Every text the screen paints uses one `Ink`: a text colour on the background it is painted
on. tests/display/test_theme.py checks each pair against WCAG AA. Dark backgrounds keep the
glare of a big TV down in a bright hall; the number being called is the brightest thing on it.

Sizes are pixels on the reference screen (1920×1080 landscape, 1080×1920 portrait) and scale
with the screen: `scale_for(width, height)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtGui import QColor, QFont

Orientation = Literal["landscape", "portrait"]

NAVY = "#0A1A33"  # the screen's background
PANEL = "#13294B"  # cards and tiles
WHITE = "#FFFFFF"
MIST = "#C5D3E8"  # secondary text
AMBER = "#FFD54A"  # ticket numbers, and the flash
ORANGE = "#FFB74D"  # a counter on break
CORAL = "#FF9E80"  # a service not issuing tickets
GREEN = "#00563B"  # the header band
RED = "#B3001B"  # connection lost


@dataclass(frozen=True)
class Ink:
    fg: str
    bg: str
    large: bool = False  # WCAG large text: >= 24 px (every text here is, but we ask 4.5:1)

    def qfg(self) -> QColor:
        return QColor(self.fg)

    def qbg(self) -> QColor:
        return QColor(self.bg)


INKS: dict[str, Ink] = {
    "header": Ink(WHITE, GREEN),
    "panel_title": Ink(MIST, NAVY),
    "now_caption": Ink(MIST, PANEL),
    "now_number": Ink(AMBER, PANEL, large=True),
    "now_counter": Ink(WHITE, PANEL, large=True),
    "now_caption_flash": Ink(NAVY, AMBER),
    "now_number_flash": Ink(NAVY, AMBER, large=True),
    "now_counter_flash": Ink(NAVY, AMBER, large=True),
    "tile_name": Ink(MIST, PANEL),
    "tile_ticket": Ink(AMBER, PANEL, large=True),
    "tile_idle": Ink(MIST, PANEL),
    "tile_paused": Ink(ORANGE, PANEL),
    "empty": Ink(MIST, PANEL),
    "row_text": Ink(WHITE, PANEL),
    "row_number": Ink(AMBER, PANEL),
    "row_closed": Ink(CORAL, PANEL),
    "badge": Ink(NAVY, AMBER),
    "column_title": Ink(MIST, NAVY),
    "info_title": Ink(AMBER, PANEL),
    "info_body": Ink(WHITE, PANEL),
    "ticker": Ink(NAVY, AMBER),
    "alert": Ink(WHITE, RED),
    "screen": Ink(WHITE, NAVY),
}


def ink(name: str) -> Ink:
    return INKS[name]


# Pixel sizes on the reference screen. The called number and its counter are sized for 10 m
# on a 43-inch TV (cap heights of 10 cm and 5 cm even at 1366×768): see README.md.
SIZES: dict[str, int] = {
    "now_number": 284,
    "now_counter": 144,
    "now_caption": 44,
    "header_title": 44,
    "clock": 64,
    "date": 36,
    "panel_title": 36,
    "tile_name": 36,
    "tile_ticket": 64,
    "last_call_number": 56,
    "last_call_counter": 36,
    "row_text": 40,
    "row_number": 48,
    "badge": 44,
    "info_title": 40,
    "info_body": 38,
    "ticker": 52,
    "alert": 56,
}
# No text is shrunk below this (reference pixels) to make it fit; it is cut short instead.
MIN_TEXT = 30

FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "sans-serif"]


def reference_size(orientation: Orientation) -> tuple[int, int]:
    return (1920, 1080) if orientation == "landscape" else (1080, 1920)


def orientation_of(width: int, height: int) -> Orientation:
    return "portrait" if height > width else "landscape"


def scale_for(width: int, height: int) -> float:
    ref_w, ref_h = reference_size(orientation_of(width, height))
    return min(width / ref_w, height / ref_h)


def font(size: str, scale: float, bold: bool = False) -> QFont:
    return pixel_font(round(SIZES[size] * scale), bold)


def pixel_font(px: int, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPixelSize(max(1, px))
    f.setBold(bold)
    return f
