"""The report as PDF: a real Chromium prints the HTML page; the PDF is read back with poppler."""

from __future__ import annotations

import argparse
import io
import re
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from shared.cli.context import CommandContext, CommandError
from shared.cli.report import run_report
from shared.clock import ManualClock
from shared.reporting.building import build_report
from shared.reporting.figures import Report
from shared.reporting.page import render_html
from shared.reporting.pdf import CHROMIUM_ENV, PdfError, print_pdf
from shared.services import calling, counters, officers, serving
from shared.services.issuing import issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store, open_store
from tests.support.actions import run
from tests.support.branches import small_branch
from tests.support.browser import chromium_or_skip, pdf_info, pdf_text, poppler_or_skip

MONDAY = date(2026, 11, 23)


@pytest.fixture
def served_store(sqlite_url: str, clock: ManualClock) -> Iterator[Store]:
    """Seven tickets on Monday (four JHT, three JKM); Ani serves three, one is a no-show."""
    store = open_store(sqlite_url, clock=clock)
    apply_branch_config(store, small_branch())
    ani = run(store, officers.add_officer, "ani", "Ani", "officer", "1234").id
    run(store, counters.open_counter, 1, ani)
    for code in ("JHT", "JHT", "JKM", "JHT", "JKM", "JHT", "JKM"):
        run(store, issue_ticket, code)
        clock.advance(60)
    for _ in range(3):
        run(store, calling.call_next, 1, ani)
        run(store, serving.start, 1, ani)
        clock.advance(240)
        run(store, serving.finish, 1, ani)
    run(store, calling.call_next, 1, ani)
    run(store, serving.no_show, 1, ani)
    yield store
    store.dispose()


@pytest.fixture
def report(served_store: Store) -> Report:
    report = build_report(served_store, "TST", MONDAY, MONDAY)
    assert (report.issued, report.served, report.no_shows) == (7, 3, 1)
    return report


def summary_tiles(text: str) -> dict[str, str]:
    """The summary's figures by their label, from pdftotext's layout: numbers over labels."""
    lines = text.splitlines()
    tiles: dict[str, str] = {}
    for index, line in enumerate(lines):
        if "Tiket diterbitkan" in line or "Belum dipanggil" in line:
            numbers = next(ln for ln in reversed(lines[:index]) if ln.strip()).split()
            labels = re.split(r"\s{2,}", line.strip())
            tiles.update(zip(labels, numbers, strict=True))
    return tiles


@pytest.mark.browser
def test_the_pdf_shows_the_reports_figures_on_a4(report: Report, tmp_path: Path) -> None:
    chromium_or_skip()
    poppler_or_skip()
    out = tmp_path / "nested" / "laporan.pdf"
    print_pdf(render_html(report), out)
    assert out.read_bytes().startswith(b"%PDF")
    assert "(A4)" in pdf_info(out)["Page size"]
    text = pdf_text(out)
    assert "Laporan Pelayanan — Kantor Cabang Uji" in text
    assert "23-11-2026 s.d. 23-11-2026" in text
    tiles = summary_tiles(text)
    assert tiles["Tiket diterbitkan"] == str(report.issued)
    assert tiles["Selesai dilayani"] == str(report.served)
    assert tiles["Tidak hadir"] == str(report.no_shows)
    # The outcomes table, row by row: service, served, no-shows.
    for service in report.services:
        row = re.search(rf"^\s*{service.code}\s+(\d+)\s+(\d+)\s", text, re.MULTILINE)
        assert row is not None, f"no outcomes row for {service.code}"
        assert row.groups() == (str(service.served), str(service.no_shows))


def test_no_chromium_is_a_clear_error(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    out = tmp_path / "laporan.pdf"
    missing = r"ANTREAN_CHROMIUM=.*no-such-chromium.*apt install chromium"
    with pytest.raises(PdfError, match=missing):
        print_pdf(render_html(report), out)
    assert not out.exists()
    monkeypatch.delenv(CHROMIUM_ENV)
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to run on PATH
    with pytest.raises(PdfError, match=r"no Chromium found.*apt install chromium"):
        print_pdf("<p>x</p>", out)


def fake_browser(folder: Path, script: str) -> Path:
    """A program standing in for a browser that misbehaves."""
    path = folder / "stuck-browser"
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_a_browser_that_hangs_or_fails_gives_an_error_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "laporan.pdf"
    monkeypatch.setenv(CHROMIUM_ENV, str(fake_browser(tmp_path, "sleep 60")))
    with pytest.raises(PdfError, match=r"did not print the PDF within 1 s"):
        print_pdf("<p>x</p>", out, timeout=1)
    monkeypatch.setenv(CHROMIUM_ENV, str(fake_browser(tmp_path, "echo 'no display' >&2; exit 3")))
    with pytest.raises(PdfError, match=r"exit status 3\):\nno display"):
        print_pdf("<p>x</p>", out)
    monkeypatch.setenv(CHROMIUM_ENV, str(fake_browser(tmp_path, "exit 0")))
    with pytest.raises(PdfError, match="wrote no PDF"):
        print_pdf("<p>x</p>", out)
    assert not out.exists()


def report_args(out: Path) -> argparse.Namespace:
    return argparse.Namespace(first=MONDAY, last=MONDAY, out=out, csv=None, branch="tst",
                              branches=None, central=None)


@pytest.mark.browser
def test_the_command_prints_a_pdf_when_the_file_ends_in_pdf(
    served_store: Store, sqlite_url: str, tmp_path: Path
) -> None:
    chromium_or_skip()
    poppler_or_skip()
    args = report_args(tmp_path / "Laporan.PDF")
    context = CommandContext(sqlite_url, None)
    output = io.StringIO()
    try:
        run_report(args, context, Console(file=output, width=200))
    finally:
        context.close()
    assert "Report of 7 tickets over 1 day(s)" in output.getvalue()
    assert args.out.read_bytes().startswith(b"%PDF")
    assert summary_tiles(pdf_text(args.out))["Tiket diterbitkan"] == "7"


def test_the_command_names_what_to_install_without_chromium(
    served_store: Store, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    args = report_args(tmp_path / "laporan.pdf")
    context = CommandContext(sqlite_url, None)
    try:
        with pytest.raises(CommandError, match="apt install chromium"):
            run_report(args, context, Console(file=io.StringIO()))
    finally:
        context.close()
    assert not args.out.exists()
