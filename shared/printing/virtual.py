"""A printer that files tickets as pictures: for demos, development and kiosks without paper."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from shared.printing.problems import PrinterState, translated_errors
from shared.printing.raster import render_reservation_image, render_ticket_image
from shared.printing.reservation import PrintedSlip, ReservationSlip
from shared.printing.status import require_printable
from shared.printing.transports import DEFAULTS

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


class VirtualPrinter:
    """Saves each ticket as `<label>-<issued_at>.png`, with the ESC/POS job beside it as `.bin`.

    `simulated_state` lets a demo or a test play a printer that runs out of paper or goes
    offline: `print_ticket` then fails the way a real printer in that state would.
    """

    def __init__(
        self, output_dir: str | Path, paper_mm: Literal[58, 80] = DEFAULTS.paper_mm
    ) -> None:
        if paper_mm not in (58, 80):
            raise ValueError(f"paper width must be 58 or 80 mm, not {paper_mm}")
        self.output_dir = Path(output_dir)
        self.paper_mm: Literal[58, 80] = paper_mm
        self.name = f"virtual printer {self.output_dir}"
        self.simulated_state = PrinterState.READY
        self.last_image_path: Path | None = None

    def check(self) -> PrinterState:
        with translated_errors(self.name, opening=True):
            self.output_dir.mkdir(parents=True, exist_ok=True)
        return self.simulated_state

    def print_ticket(self, data: bytes, slip: PrintedSlip) -> None:
        require_printable(self.check(), self.name, "before printing")
        if isinstance(slip, ReservationSlip):
            image = render_reservation_image(slip, self.paper_mm)
        else:
            image = render_ticket_image(slip, self.paper_mm)
        with translated_errors(self.name, opening=False):
            image_path = self._free_path(slip)
            image.save(image_path, format="PNG")
            image_path.with_suffix(".bin").write_bytes(data)
        self.last_image_path = image_path

    def _free_path(self, slip: PrintedSlip) -> Path:
        """A new file name: a reprint of the same ticket gets a numbered sibling."""
        if isinstance(slip, ReservationSlip):
            stem = f"jadwal-{_UNSAFE_IN_FILE_NAME.sub('_', slip.code)}"
        else:
            label = _UNSAFE_IN_FILE_NAME.sub("_", slip.label)
            stem = f"{label}-{slip.issued_at:%Y%m%dT%H%M%S}"
        candidate = self.output_dir / f"{stem}.png"
        copy = 1
        while candidate.exists():
            copy += 1
            candidate = self.output_dir / f"{stem}-{copy}.png"
        return candidate
