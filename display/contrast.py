"""WCAG 2.x contrast: relative luminance of sRGB colours and the ratio between two of them."""

from __future__ import annotations

# WCAG AA: normal text needs 4.5:1; large text (>= 24 px, or >= 18.66 px bold) needs 3:1.
AA_NORMAL = 4.5
AA_LARGE = 3.0


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    text = colour.strip().removeprefix("#")
    if len(text) != 6:
        raise ValueError(f"{colour!r} is not a colour like #1A2B3C")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def relative_luminance(colour: str) -> float:
    r, g, b = (_channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """From 1 (same colour) to 21 (black on white); the order of the colours does not matter."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def required_ratio(large: bool) -> float:
    return AA_LARGE if large else AA_NORMAL
