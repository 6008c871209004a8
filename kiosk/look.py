"""The kiosk's look: sizes that scale with the screen, and colours with strong contrast.

Designed at 1080 px across the short side (a 1080×1920 portrait or 1920×1080 landscape
touchscreen, seen from arm's length by visitors with weak eyes); smaller windows scale down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtGui import QFont

Orientation = Literal["portrait", "landscape"]
SIZES: dict[Orientation, tuple[int, int]] = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
FONT_FAMILY = "DejaVu Sans"

# Contrast against their backgrounds stays above 4.5:1 (WCAG AA) for every pair used.
INK = "#13202b"
PAPER = "#f3f5f7"
HEADER = "#0b3c5d"
GREEN = "#0b6e35"  # available service
GREEN_DOWN = "#084f26"
GREY = "#dde2e7"  # unavailable service
REFUSAL = "#9b1c1c"
PRIORITY = "#9a3f07"
BOOKING = "#1d4ed8"
NEUTRAL = "#4b5563"
WARNING_BACK = "#fde68a"
ALARM_BACK = "#fee2e2"


@dataclass(frozen=True)
class Look:
    orientation: Orientation
    scale: float = 1.0

    @property
    def portrait(self) -> bool:
        return self.orientation == "portrait"

    def px(self, size: float) -> int:
        return max(1, round(size * self.scale))

    def font(self, size: float, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(self.px(size))
        font.setBold(bold)
        return font

    def button_css(self, back: str, fore: str = "white", size: float = 40) -> str:
        pressed = GREEN_DOWN if back == GREEN else back
        return (
            f"QPushButton {{ background: {back}; color: {fore}; border: none;"
            f" border-radius: {self.px(18)}px; font-family: '{FONT_FAMILY}';"
            f" font-size: {self.px(size)}px; font-weight: bold; padding: {self.px(16)}px; }}"
            f"QPushButton:pressed {{ background: {pressed}; }}"
            f"QPushButton:disabled {{ background: {GREY}; color: {NEUTRAL}; }}"
        )

    def text_css(self, size: float, color: str = INK, bold: bool = False) -> str:
        weight = "bold" if bold else "normal"
        return (
            f"color: {color}; font-family: '{FONT_FAMILY}'; font-size: {self.px(size)}px;"
            f" font-weight: {weight}; background: transparent;"
        )

    def box_css(self, back: str, color: str = INK, size: float = 34) -> str:
        return (
            f"background: {back}; color: {color}; font-family: '{FONT_FAMILY}';"
            f" font-size: {self.px(size)}px; font-weight: bold;"
            f" border-radius: {self.px(14)}px; padding: {self.px(20)}px;"
        )


def look_for(orientation: Orientation, width: int, height: int) -> Look:
    """The look for a window of that size (the design size gives scale 1)."""
    design_w, design_h = SIZES[orientation]
    return Look(orientation, min(width / design_w, height / design_h))
