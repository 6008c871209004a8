"""The report's tables as CSV files, for a spreadsheet or the ombudsman's own analysis."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from shared.reporting.figures import Report
from shared.reporting.survey_figures import grade_of


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return path


def export_csv(report: Report, folder: Path) -> list[Path]:
    """Write services, hours, weekday_hours, counters, officers and accuracy CSVs (seconds),
    survey_questions and survey_groups (SKM), and bookings."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [
        _write(
            folder / "services.csv",
            ["service", "issued", "transfers_in", "served", "no_shows", "reinstated",
             "transfers_out", "cancelled", "waits_called", "wait_median_s", "wait_p90_s",
             "target_wait_s", "within_target", "service_periods", "service_median_s",
             "service_p90_s"],
            [
                [s.code, s.issued, s.transfers_in, s.served, s.no_shows, s.reinstated,
                 s.transfers_out, s.cancelled, s.waits.count, s.waits.median, s.waits.p90,
                 s.target_wait_seconds, s.within_target, s.service_times.count,
                 s.service_times.median, s.service_times.p90]
                for s in report.services
            ],
        ),
        _write(
            folder / "hours.csv",
            ["hour", "arrivals_per_day", "mean_wait_s", "counters_open", "counters_recommended"],
            [[h.hour, h.arrivals_per_day, h.mean_wait_seconds, h.counters_open,
              h.counters_recommended] for h in report.hours],
        ),
        _write(
            folder / "weekday_hours.csv",
            ["weekday", "hour", "arrivals_per_day", "mean_wait_s"],
            [
                [day, hour, value, report.wait_heatmap.get((day, hour))]
                for (day, hour), value in sorted(report.heatmap.items())
            ],
        ),
        _write(
            folder / "counters.csv",
            ["counter", "served", "mean_service_s"],
            [[t.name, t.served, t.mean_service_seconds] for t in report.counters],
        ),
        _write(
            folder / "officers.csv",
            ["officer", "served", "mean_service_s"],
            [[t.name, t.served, t.mean_service_seconds] for t in report.officers],
        ),
        _write(
            folder / "accuracy.csv",
            ["service", "tickets", "mae_s", "bias_s", "within_window", "promised",
             "promise_kept"],
            [
                [code, a.count, a.mae_seconds, a.bias_seconds, a.within_window, a.promised,
                 a.promise_kept]
                for code, a in [*report.accuracy_by_service.items(), ("ALL", report.accuracy)]
            ],
        ),
    ]
    survey = report.survey
    written += [
        _write(
            folder / "survey_questions.csv",
            ["question", "answers", "rated_1", "rated_2", "rated_3", "rated_4", "mean", "ikm",
             "grade"],
            [
                [q.key, q.answers, *q.ratings, q.mean, q.index, _letter(q.index)]
                for q in survey.questions
            ] + [["ALL", survey.responses, "", "", "", "",
                  None if survey.index is None else survey.index / 25, survey.index,
                  _letter(survey.index)]],
        ),
        _write(
            folder / "survey_groups.csv",
            ["group", "name", "responses", "ikm", "grade"],
            [
                [group, s.name, s.responses, s.index, _letter(s.index)]
                for group, rows in (("service", survey.by_service),
                                    ("counter", survey.by_counter),
                                    ("officer", survey.by_officer))
                for s in rows
            ],
        ),
        _write(
            folder / "bookings.csv",
            ["service", "made", "checked_in", "cancelled", "not_used", "to_come", "served",
             "served_booked", "booked_share"],
            [
                [c.code, c.made, c.checked_in, c.cancelled, c.not_used, c.to_come, c.served,
                 c.served_booked, c.booked_share]
                for c in (*report.bookings.by_service, report.bookings.total)
            ],
        ),
    ]
    return written


def _letter(index: float | None) -> str | None:
    graded = grade_of(index)
    return None if graded is None else graded[0]
