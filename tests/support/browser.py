"""Tests that need a headless Chromium (PDF printing, the web pages driven by Playwright) or
poppler's tools to read a PDF back.

They skip on a machine without them, unless ANTREAN_REQUIRE_BROWSER=1 (CI) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shared.reporting.pdf import PdfError, find_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

REQUIRE_ENV = "ANTREAN_REQUIRE_BROWSER"
# Debian's Chromium under Playwright (never a browser Playwright downloads): headless, and
# nothing fetched in the background, so a run needs no network beyond 127.0.0.1.
PLAYWRIGHT_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _missing(what: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{what}, and {REQUIRE_ENV}=1 requires it")
    pytest.skip(f"{what}; set {REQUIRE_ENV}=1 to make this a failure")


def chromium_or_skip() -> str:
    try:
        return find_chromium()
    except PdfError as error:
        _missing(str(error))
        raise  # not reached: skip and fail raise


def launch_chromium(playwright: Playwright, executable: str) -> Browser:
    """The Chromium at `executable` (see `chromium_or_skip`), driven by Playwright."""
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=PLAYWRIGHT_ARGS
    )


def poppler_or_skip() -> None:
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            _missing(f"no {tool} to read the PDF back (Debian package poppler-utils)")


def pdf_text(path: Path) -> str:
    """The PDF's text laid out as on the page (pdftotext -layout): table rows stay rows."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    lines = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()
    return {key.strip(): value.strip() for key, _, value in (ln.partition(":") for ln in lines)}
