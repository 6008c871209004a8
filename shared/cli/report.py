"""`antrean report`: the branch head's report of a range of days (HTML, or PDF when the output
file ends in .pdf), and its tables as CSV."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy.exc import OperationalError

from shared.central.layout import copy_url
from shared.cli.central import CENTRAL_ENV
from shared.cli.context import CommandContext, CommandError
from shared.reporting.export import export_csv
from shared.reporting.figures import compute_report
from shared.reporting.page import render_html
from shared.reporting.pdf import PdfError, find_chromium, print_pdf
from shared.reporting.reading import read_report_rows
from shared.reporting.region import read_region_rows, region_report, render_region_html

# Reading, computing, four charts, writing (one more for a PDF: printing).
STEPS = 7


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="HTML report of waits, service times, no-shows, capacity and estimate accuracy",
        description="Write a self-contained HTML report (Bahasa Indonesia, English subtitles) "
        "of the business days FROM..TO, computed from the audit trail. An output file ending "
        "in .pdf gets the same page printed to PDF (A4) by a headless Chromium (`chromium`, "
        "or the program named by ANTREAN_CHROMIUM).",
    )
    report.add_argument("--from", dest="first", required=True, type=date.fromisoformat,
                        metavar="DATE", help="first business day, YYYY-MM-DD")
    report.add_argument("--to", dest="last", required=True, type=date.fromisoformat,
                        metavar="DATE", help="last business day, YYYY-MM-DD")
    # Also accepted after the command; SUPPRESS keeps a global --branch when this one is absent.
    report.add_argument("--branch", default=argparse.SUPPRESS, metavar="CODE",
                        help="branch code (default: the only one)")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.html|FILE.pdf",
                        help="the report; PDF when the name ends in .pdf, else HTML")
    report.add_argument("--csv", type=Path, metavar="DIR", help="also write the tables as CSV")
    report.add_argument("--branches", type=_codes, metavar="CODE,CODE,...",
                        help="the same report for these branches, each and combined, their "
                        "figures side by side, read from their copies on the central server")
    report.add_argument("--central", default=os.environ.get(CENTRAL_ENV), metavar="URL",
                        help=f"the central server, for --branches (default: ${CENTRAL_ENV})")
    report.set_defaults(run=run_report)


def _codes(text: str) -> list[str]:
    codes = [code.strip().upper() for code in text.split(",") if code.strip()]
    if not codes:
        raise argparse.ArgumentTypeError("name at least one branch code")
    return list(dict.fromkeys(codes))


def run_report(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    if args.last < args.first:
        raise CommandError("--to must not be before --from")
    if args.branches:
        run_region_report(args, console)
        return
    if getattr(args, "branch", None):
        context.branch_option = args.branch
    branch = context.branch_code()
    as_pdf = args.out.suffix.lower() == ".pdf"
    steps = STEPS + 1 if as_pdf else STEPS
    if as_pdf:
        _pdf_or_fail(find_chromium)  # before the reading, not after it
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("membaca / reading", total=steps)

        def step(name: str) -> None:
            progress.update(task, advance=1, description=name)

        with context.store.engine.connect() as connection:
            try:
                rows = read_report_rows(connection, branch, args.first, args.last)
            except LookupError as error:
                raise CommandError(str(error)) from error
        step("menghitung / computing")
        report = compute_report(rows)
        step("grafik / charts")
        page = render_html(report, step)
        if as_pdf:
            step("mencetak PDF / printing the PDF")
            _pdf_or_fail(lambda: print_pdf(page, args.out))
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(page, encoding="utf-8")
        progress.update(task, completed=steps)
    console.print(f"Report of {report.issued} tickets over {report.days} day(s) written to "
                  f"{args.out}")
    if args.csv is not None:
        written = export_csv(report, args.csv)
        console.print(f"{len(written)} CSV tables written to {args.csv}")


def run_region_report(args: argparse.Namespace, console: Console) -> None:
    """`--branches`: each branch's report from its copy on the central server, and combined."""
    if not args.central:
        raise CommandError(f"--branches reads the central server: name it with --central URL "
                           f"or ${CENTRAL_ENV}")
    as_pdf = args.out.suffix.lower() == ".pdf"
    if as_pdf:
        _pdf_or_fail(find_chromium)
    urls = {code: copy_url(args.central, code) for code in args.branches}
    try:
        parts = read_region_rows(urls, args.first, args.last)
    except LookupError as error:
        raise CommandError(str(error)) from error
    except OperationalError as error:
        raise CommandError(f"a branch's copy cannot be read (is it added with `antrean "
                           f"central add-branch`?): {error.orig}") from error
    region = region_report(parts)
    page = render_region_html(region)
    if as_pdf:
        _pdf_or_fail(lambda: print_pdf(page, args.out))
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(page, encoding="utf-8")
    console.print(f"Report of {len(region.branches)} branches, {region.combined.issued} tickets "
                  f"together, written to {args.out}", markup=False)
    if args.csv is not None:
        written = export_csv(region.combined, args.csv / "combined")
        for report in region.branches:
            written += export_csv(report, args.csv / report.branch_code)
        console.print(f"{len(written)} CSV tables written to {args.csv}", markup=False)


def _pdf_or_fail(work: Callable[[], object]) -> None:
    try:
        work()
    except PdfError as error:
        raise CommandError(str(error)) from error
