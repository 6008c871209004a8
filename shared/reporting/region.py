"""The same report for several branches, each and combined, their figures side by side.

Each branch's rows come from its own database (on the central server, its copy), read and
computed exactly as a branch's own report. The combined report is computed from all their rows
at once, so its medians and shares are the region's, not averages of the branches': each
branch's ids are moved apart (every branch numbers from 1), services of the same code are one
service, and counters and officers keep their branch's code in their names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from html import escape

from shared.reporting.figures import Report, compute_report
from shared.reporting.page import STYLE, Cell, _heading, _table, minutes, share
from shared.reporting.reading import ReportRows, read_report_rows
from shared.store.database import create_store_engine

# Every branch's ids are moved by this much times its place in the list.
ID_STRIDE = 1 << 40
COMBINED = "Gabungan / combined"


@dataclass(frozen=True)
class RegionReport:
    branches: tuple[Report, ...]  # in the order asked
    combined: Report


def read_region_rows(
    urls: dict[str, str], first: date, last: date, now: datetime | None = None
) -> list[ReportRows]:
    """Each branch's report rows from its own database: code -> URL, in that order."""
    found = []
    for code, url in urls.items():
        engine = create_store_engine(url)
        try:
            with engine.connect() as connection:
                found.append(read_report_rows(connection, code, first, last, now))
        finally:
            engine.dispose()
    return found


def region_report(parts: Sequence[ReportRows]) -> RegionReport:
    if not parts:
        raise ValueError("a regional report needs at least one branch")
    return RegionReport(tuple(compute_report(rows) for rows in parts),
                        compute_report(combine_rows(parts)))


def combine_rows(parts: Sequence[ReportRows]) -> ReportRows:
    """One set of rows for all branches (times and hours in the first branch's zone)."""
    first = parts[0]
    combined = ReportRows(
        ",".join(rows.branch_code for rows in parts), COMBINED, first.zone, first.first,
        first.last, now=first.now, checkin_late=first.checkin_late,
    )
    service_by_code: dict[str, int] = {}
    for place, rows in enumerate(parts):
        shift = place * ID_STRIDE
        services: dict[int, int] = {}
        for service in rows.services.values():
            merged = service_by_code.setdefault(service.code, service.id + shift)
            services[service.id] = merged
            combined.services.setdefault(merged, replace(service, id=merged))

        def moved(value: int | None, shift: int = shift) -> int | None:
            return None if value is None else value + shift

        def service_of(value: int | None, services: dict[int, int] = services) -> int | None:
            return None if value is None else services.get(value, value)

        combined.counters.update({cid + shift: n for cid, n in rows.counters.items()})
        combined.officers.update({
            oid + shift: f"{rows.branch_code} · {name}" for oid, name in rows.officers.items()
        })
        combined.tickets += [
            replace(t, id=t.id + shift, issued_service_id=services.get(t.issued_service_id,
                                                                       t.issued_service_id))
            for t in rows.tickets
        ]
        for target, events in ((combined.ticket_events, rows.ticket_events),
                               (combined.counter_events, rows.counter_events)):
            target += [
                replace(e, ticket_id=moved(e.ticket_id), counter_id=moved(e.counter_id),
                        officer_id=moved(e.officer_id), service_id=service_of(e.service_id))
                for e in events
            ]
        combined.survey_responses += [
            replace(r, service_id=services.get(r.service_id, r.service_id),
                    counter_id=moved(r.counter_id), officer_id=moved(r.officer_id))
            for r in rows.survey_responses
        ]
        combined.bookings += [
            replace(b, service_id=services.get(b.service_id, b.service_id),
                    ticket_id=moved(b.ticket_id))
            for b in rows.bookings
        ]
    # Each branch's events stay in their own order (by id), which is all the figures follow:
    # a ticket's or counter's events are all of one branch.
    return combined


def within_target(report: Report) -> float | None:
    """The share of all waits at or under their service's target."""
    counted = [(s.within_target, s.waits.count) for s in report.services
               if s.within_target is not None]
    total = sum(count for _, count in counted)
    return sum(part * count for part, count in counted) / total if total else None


SUMMARY: tuple[tuple[str, str], ...] = (
    ("Hari layanan", "business days"),
    ("Tiket diterbitkan", "tickets issued"),
    ("Selesai dilayani", "served"),
    ("Tidak hadir", "no-shows"),
    ("Dibatalkan", "cancelled"),
    ("Belum dipanggil", "never called"),
    ("Median tunggu (menit)", "median wait (min)"),
    ("Tunggu P90 (menit)", "90th percentile wait (min)"),
    ("Tunggu dalam target", "waits within target"),
    ("Dalam jendela perkiraan", "within the announced window"),
    ("Janji ditepati", "promise kept"),
    ("Reservasi dibuat", "bookings made"),
    ("Jawaban survei", "survey answers"),
    ("IKM", "satisfaction index (IKM)"),
)


def summary_column(report: Report) -> list[Cell]:
    return [
        report.days, report.issued, report.served, report.no_shows, report.cancelled,
        report.never_called, minutes(report.waits.median), minutes(report.waits.p90),
        share(within_target(report)), share(report.accuracy.within_window),
        share(report.accuracy.promise_kept), report.bookings.total.made,
        report.survey.responses,
        "–" if report.survey.index is None else f"{report.survey.index:.1f}",
    ]


def render_region_html(region: RegionReport) -> str:
    reports = [*region.branches, region.combined]
    columns = [summary_column(report) for report in reports]
    headers = [("Angka", "figure")] + [(r.branch_code, r.branch_name) for r in region.branches]
    headers.append(("Gabungan", "combined"))
    summary_rows = [
        [f"{indonesian} / {english}", *(column[index] for column in columns)]
        for index, (indonesian, english) in enumerate(SUMMARY)
    ]
    codes = sorted({s.code for report in region.branches for s in report.services})
    service_rows = []
    for code in codes:
        cells: list[Cell] = [code]
        for report in reports:
            figures = next((s for s in report.services if s.code == code), None)
            cells.append("–" if figures is None else
                         f"{figures.served} / {minutes(figures.waits.median)}")
        service_rows.append(cells)
    combined = region.combined
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f"<title>Laporan Wilayah {escape(combined.branch_code)} "
        f"{combined.first:%Y-%m-%d}–{combined.last:%Y-%m-%d}</title>",
        f"<style>{STYLE}</style></head><body>",
        _heading("Laporan Pelayanan Wilayah", "Regional service report", 1),
        f"<p>{combined.first:%d-%m-%Y} s.d. {combined.last:%d-%m-%Y} · "
        f"{len(region.branches)} kantor cabang "
        f'<span class="en">{combined.first:%Y-%m-%d} to {combined.last:%Y-%m-%d} · '
        f"{len(region.branches)} branches, each and combined</span></p>",
        _heading("Ringkasan per cabang", "Each branch side by side"),
        _table(headers, summary_rows),
        _heading("Layanan: selesai / median tunggu (menit)",
                 "Services: served / median wait (min)"),
        _table([("Layanan", "service"), *headers[1:]], service_rows),
        "</body></html>",
    ])
