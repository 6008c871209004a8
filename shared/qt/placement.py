"""Where a windowed app opens: `--geometry WxH+X+Y`, so `antrean demo` can place its apps side
by side instead of stacking them all at (0,0)."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from typing import Protocol

_GEOMETRY = re.compile(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)")


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    x: int
    y: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}+{self.x}+{self.y}"


def parse_geometry(text: str) -> Geometry:
    match = _GEOMETRY.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a geometry like 960x540+0+0")
    width, height, x, y = (int(part) for part in match.groups())
    if not (200 <= width <= 8192 and 200 <= height <= 8192):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be 200 to 8192")
    return Geometry(width, height, x, y)


def add_geometry_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--geometry",
        type=parse_geometry,
        metavar="WxH+X+Y",
        help="with --windowed: the window's size and place on the desktop",
    )


class Placeable(Protocol):
    """A top-level window (a QWidget): named here so shared/ needs no widget module."""

    def resize(self, width: int, height: int, /) -> None: ...

    def move(self, x: int, y: int, /) -> None: ...


def place(window: Placeable, geometry: Geometry | None) -> None:
    """Move and size a window before it is shown; no geometry leaves Qt's choice."""
    if geometry is not None:
        window.resize(geometry.width, geometry.height)
        window.move(geometry.x, geometry.y)
