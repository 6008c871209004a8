"""What a thermal printer would put on paper for a job: the job's bytes read the way an ESC/POS
printer reads them, drawn dot for dot, so a test (or a person) can see where the ink goes.

It knows the commands the ticket layout uses and refuses any other, so a new command in the
layout has to be taught here first. Text is drawn in Font A cells (12 × 24 dots, scaled by
GS !) with a monospaced font; the QR symbol is drawn from its stored data with `qrcode`.
Written from the ESC/POS reference, apart from shared/printing, so the two check each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw, ImageFont

HEAD_DOTS = {58: 384, 80: 576}
CELL_WIDTH, CELL_HEIGHT = 12, 24
FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


class UnknownCommand(ValueError):
    pass


@dataclass
class _Paper:
    width: int
    left: int = 0
    area: int = 0
    align: int = 0  # 0 left, 1 centre, 2 right
    size: tuple[int, int] = (1, 1)  # width, height magnification
    qr_module: int = 3
    qr_data: bytes = b""
    line: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    rows: list[Image.Image] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # each printed line, for reading

    def reset(self) -> None:
        self.left, self.area, self.align, self.size = 0, self.width, 0, (1, 1)

    def place(self, picture: Image.Image) -> None:
        """A row as wide as the head, `picture` placed as the margins and alignment say."""
        row = Image.new("L", (self.width, picture.height), 255)
        free = max(self.area - picture.width, 0)
        offset = self.left + (free // 2 if self.align == 1 else free if self.align == 2 else 0)
        row.paste(picture, (offset, 0))
        self.rows.append(row)

    def end_line(self) -> None:
        height = max((CELL_HEIGHT * h for _, (_, h) in self.line), default=CELL_HEIGHT)
        width = sum(CELL_WIDTH * w for _, (w, _) in self.line)
        picture = Image.new("L", (max(width, 1), height), 255)
        x = 0
        for char, (w, h) in self.line:
            # One Font A cell, then magnified as GS ! does: each dot becomes w × h dots.
            cell = Image.new("L", (CELL_WIDTH, CELL_HEIGHT), 255)
            ImageDraw.Draw(cell).text((CELL_WIDTH // 2, 19), char, font=_font(16), fill=0,
                                      anchor="ms")
            cell = cell.resize((CELL_WIDTH * w, CELL_HEIGHT * h), Image.Resampling.NEAREST)
            picture.paste(cell, (x, height - cell.height))
            x += CELL_WIDTH * w
        self.texts.append("".join(char for char, _ in self.line))
        self.line = []
        self.place(picture)

    def image(self) -> Image.Image:
        height = sum(row.height for row in self.rows)
        paper = Image.new("L", (self.width, max(height, 1)), 255)
        y = 0
        for row in self.rows:
            paper.paste(row, (0, y))
            y += row.height
        return paper


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(FONT_FILE, size)
    except OSError:
        return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class PrintedPaper:
    image: Image.Image  # "L" mode, one pixel per dot, as wide as the head
    lines: tuple[str, ...]
    qr_contents: tuple[str, ...]


def print_on_paper(job: bytes, paper_mm: int) -> PrintedPaper:
    paper = _Paper(HEAD_DOTS[paper_mm])
    paper.reset()
    qr_contents: list[str] = []
    i = 0
    while i < len(job):
        byte = job[i]
        if byte == 0x0A:
            paper.end_line()
            i += 1
        elif byte == 0x1B:
            command, argument = job[i + 1 : i + 2], job[i + 2]
            if command == b"@":
                paper.reset()
                i += 2
                continue
            if command == b"a":
                paper.align = argument % 0x30  # 0-2, or the digits "0"-"2"
            elif command == b"!":
                paper.size = (2 if argument & 0x20 else 1, 2 if argument & 0x10 else 1)
            elif command == b"d":
                paper.rows.append(Image.new("L", (paper.width, CELL_HEIGHT * argument), 255))
            elif command not in (b"t", b"E", b"-", b"M", b"G"):
                raise UnknownCommand(f"ESC {command!r} at {i}")
            i += 3
        elif byte == 0x1D:
            i = _group_separator(job, i, paper, qr_contents)
        elif byte < 0x20:
            raise UnknownCommand(f"control byte {byte:#x} at {i}")
        else:
            # The layout forces code page 437 (ESC t 0), so a byte is read as that page's.
            paper.line.append((bytes([byte]).decode("cp437"), paper.size))
            i += 1
    if paper.line:
        paper.end_line()
    return PrintedPaper(paper.image(), tuple(paper.texts), tuple(qr_contents))


def _group_separator(job: bytes, i: int, paper: _Paper, qr_contents: list[str]) -> int:
    command = job[i + 1 : i + 2]
    if command == b"!":
        n = job[i + 2]
        paper.size = ((n >> 4) + 1, (n & 0x0F) + 1)
        return i + 3
    if command in (b"B", b"V"):
        return i + 3
    if command in (b"L", b"W"):
        value = int.from_bytes(job[i + 2 : i + 4], "little")
        if command == b"L":
            paper.left = value
        else:
            paper.area = value
        if paper.left + paper.area > paper.width:
            paper.area = paper.width - paper.left  # a printer clips the area to its head
        return i + 4
    if command == b"(" and job[i + 2 : i + 3] == b"k":
        length = int.from_bytes(job[i + 3 : i + 5], "little")
        body = job[i + 5 : i + 5 + length]
        function = body[1:2]
        if function == b"C":
            paper.qr_module = body[2]
        elif function == b"P":
            paper.qr_data = body[3:]
        elif function == b"Q":
            code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                                 box_size=paper.qr_module)
            code.add_data(paper.qr_data)
            code.make(fit=True)
            picture = code.make_image().get_image().convert("L")
            paper.place(picture)
            qr_contents.append(paper.qr_data.decode("latin-1"))
        return i + 5 + length
    if command == b"v" and job[i + 2 : i + 3] == b"0":
        width_bytes = int.from_bytes(job[i + 4 : i + 6], "little")
        height = int.from_bytes(job[i + 6 : i + 8], "little")
        data = job[i + 8 : i + 8 + width_bytes * height]
        picture = Image.frombytes("1", (width_bytes * 8, height), data)
        paper.place(Image.eval(picture.convert("L"), lambda value: 255 - value))
        return i + 8 + width_bytes * height
    raise UnknownCommand(f"GS {command!r} at {i}")
