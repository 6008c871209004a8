"""The report as PDF: the same self-contained HTML page, printed by a headless Chromium.

Printing the HTML keeps one layout for screen and paper (the page's `@media print` rules
handle A4). Chromium runs as a child process with a throw-away profile, no network features
and a time limit; nothing of it is left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "ANTREAN_CHROMIUM"
# Debian and Ubuntu name it chromium (older Ubuntu chromium-browser); Google's own build too.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_SECONDS = 120.0
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: `apt install chromium`) or set "
    f"{CHROMIUM_ENV} to a Chromium or Google Chrome executable"
)
# Headless, and quiet: no sandbox (it cannot start as root), no GPU, no first-run
# screens, no background traffic (updates, sync, QUIC), no header/footer on the pages.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


def find_chromium() -> str:
    """ANTREAN_CHROMIUM if set (it must work), else the first Chromium or Chrome on PATH."""
    chosen = os.environ.get(CHROMIUM_ENV, "").strip()
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise PdfError(f"{CHROMIUM_ENV}={chosen} is not an executable program; {INSTALL_HINT}")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfError(f"no Chromium found to print the PDF ({', '.join(CHROMIUM_NAMES)}); "
                   f"{INSTALL_HINT}")


def print_pdf(html: str, out: Path, timeout: float = TIMEOUT_SECONDS) -> None:
    """Write `html` as a PDF to `out`; `out` is only replaced by a complete PDF."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="antrean-pdf-") as folder:
        work = Path(folder)
        page = work / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = work / "report.pdf"
        command = [
            chromium,
            *FLAGS,
            f"--user-data-dir={work / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        _run(command, timeout)
        if not printed.is_file() or not printed.read_bytes().startswith(b"%PDF"):
            raise PdfError(f"{chromium} ran but wrote no PDF")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(printed, out)


def _run(command: list[str], timeout: float) -> None:
    # Its own process group: on a time-out the browser's helper processes go with it.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        _, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(f"{command[0]} did not print the PDF within {timeout:.0f} s") from None
    if process.returncode != 0:
        last = "\n".join(errors.strip().splitlines()[-5:])
        raise PdfError(f"{command[0]} failed (exit status {process.returncode}):\n{last}")
