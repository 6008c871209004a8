"""The report as one self-contained HTML page: inline CSS, charts as base64 PNG, no links out."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from html import escape

from shared.domain.survey import GRADES, SCALE_WORDS_EN, SCALE_WORDS_ID
from shared.reporting import plots
from shared.reporting.booking_figures import BookingCounts
from shared.reporting.figures import EstimateAccuracy, Report
from shared.reporting.survey_figures import Satisfaction, grade_of

STYLE = """
body{font-family:system-ui,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:60em;
color:#222;padding:0 1em}
h1{margin-bottom:0}h2{margin-top:2em;border-bottom:2px solid #4c78a8;padding-bottom:.2em}
.en{color:#666;font-weight:normal;font-size:.8em;display:block}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th{background:#eef2f7}td:first-child,th:first-child{text-align:left}
img{max-width:100%}.note{background:#fff8e1;border-left:4px solid #f2b701;padding:.6em 1em}
.tiles{display:flex;flex-wrap:wrap;gap:.8em}.tile{background:#eef2f7;padding:.6em 1em;
border-radius:6px;min-width:8em}.tile b{font-size:1.6em;display:block}
table.comments td,table.comments th{text-align:left;vertical-align:top}
.side{display:flex;flex-wrap:wrap;gap:0 1.5em;align-items:flex-start}
@page{size:A4;margin:14mm 12mm}
@media print{
body{margin:0;max-width:none;padding:0;font-size:10pt;print-color-adjust:exact;
-webkit-print-color-adjust:exact}
h2{margin-top:1.2em}table{font-size:.85em}
h1,h2,h3{break-after:avoid;page-break-after:avoid;break-inside:avoid;page-break-inside:avoid}
img,table,tr,.tile,.note{break-inside:avoid;page-break-inside:avoid}
}
"""

Cell = str | int | float | None
# Charts are made by a step the caller can watch, e.g. with a progress bar.
Step = Callable[[str], None]


def minutes(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds / 60:.1f}"


def share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _heading(indonesian: str, english: str, level: int = 2) -> str:
    return f'<h{level}>{escape(indonesian)}<span class="en">{escape(english)}</span></h{level}>'


def _cell(value: Cell) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    return escape(str(value))


def _table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[Cell]]) -> str:
    head = "".join(
        f'<th>{escape(i)}<span class="en">{escape(e)}</span></th>' for i, e in headers
    )
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _image(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}">'


def _accuracy_row(name: str, a: EstimateAccuracy) -> list[Cell]:
    return [name, a.count, minutes(a.mae_seconds), minutes(a.bias_seconds), share(a.within_window),
            share(a.promise_kept)]


def render_html(report: Report, step: Step | None = None) -> str:
    step = step or (lambda _: None)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f"<title>Laporan Pelayanan {escape(report.branch_code)} "
        f"{report.first:%Y-%m-%d}–{report.last:%Y-%m-%d}</title>",
        f"<style>{STYLE}</style></head><body>",
        _heading(
            f"Laporan Pelayanan — {report.branch_name}",
            f"Service report — branch {report.branch_code}",
            1,
        ),
        f"<p>{report.first:%d-%m-%Y} s.d. {report.last:%d-%m-%Y} · {report.days} hari layanan "
        f'<span class="en">{report.first:%Y-%m-%d} to {report.last:%Y-%m-%d} · '
        f"{report.days} business days with tickets</span></p>",
    ]
    parts += _summary(report)
    if report.days == 0:
        parts.append('<p class="note">Tidak ada tiket pada rentang ini. '
                     '<span class="en">No tickets in this range.</span></p>')
    else:
        parts += _arrivals(report, step)
        parts += _services(report, step)
        parts += _outcomes(report)
        parts += _throughput(report)
        parts += _capacity(report, step)
        parts += _accuracy(report)
    # Bookings and answers can exist without tickets: a day booked ahead, a late rating.
    parts += _bookings(report)
    parts += _survey(report, step)
    parts.append("</body></html>")
    return "\n".join(parts)


def _tiles(tiles: Iterable[tuple[str, str, str]]) -> str:
    body = "".join(
        f'<div class="tile"><b>{escape(v)}</b>{escape(i)}<span class="en">{escape(e)}</span></div>'
        for i, e, v in tiles
    )
    return f'<div class="tiles">{body}</div>'


def _summary(report: Report) -> list[str]:
    tiles = [
        ("Tiket diterbitkan", "tickets issued", str(report.issued)),
        ("Selesai dilayani", "served", str(report.served)),
        ("Median tunggu (menit)", "median wait (min)", minutes(report.waits.median)),
        ("Tidak hadir", "no-shows", str(report.no_shows)),
        ("Dialihkan", "transfers", str(report.transfers)),
        ("Dibatalkan", "cancelled", str(report.cancelled)),
        ("Belum dipanggil", "never called", str(report.never_called)),
    ]
    return [_heading("Ringkasan", "Summary"), _tiles(tiles)]


def _arrivals(report: Report, step: Step) -> list[str]:
    step("grafik kedatangan / arrivals chart")
    parts = [
        _heading("Kedatangan dan waktu tunggu per jam", "Arrivals and waits by hour"),
        _image(plots.arrivals_and_waits(report), "arrivals and mean wait by hour"),
    ]
    if report.heatmap:
        step("peta panas / heatmap")
        parts += [
            _heading("Kedatangan per jam dan hari", "Arrivals by hour and weekday (average)", 3),
            _image(plots.weekday_heatmap(report), "arrivals by hour and weekday"),
            _heading("Rata-rata tunggu per jam dan hari",
                     "Mean wait by hour of issue and weekday", 3),
            _image(plots.weekday_heatmap(report, "waits"), "mean wait by hour and weekday"),
        ]
    return parts


def _services(report: Report, step: Step) -> list[str]:
    step("sebaran waktu / distributions")
    rows: list[list[Cell]] = [
        [
            f"{s.code} — {s.name_id}",
            s.issued,
            s.waits.count,
            minutes(s.waits.median),
            minutes(s.waits.p90),
            minutes(s.target_wait_seconds),
            share(s.within_target),
            s.service_times.count,
            minutes(s.service_times.median),
            minutes(s.service_times.p90),
        ]
        for s in report.services
    ]
    headers = [
        ("Layanan", "service"), ("Terbit", "issued"), ("Dipanggil", "called"),
        ("Median tunggu", "median wait, min"), ("P90 tunggu", "p90 wait, min"),
        ("Target", "target, min"), ("Dalam target", "within target"),
        ("Dilayani", "service periods"), ("Median layanan", "median service, min"),
        ("P90 layanan", "p90 service, min"),
    ]
    return [
        _heading("Waktu tunggu dan waktu layanan per layanan",
                 "Wait (joining the queue → first call; after a transfer, from the transfer) "
                 "and service time (start → finish) per service"),
        _table(headers, rows),
        _heading("Sebaran waktu tunggu", "Wait distribution (box 25–75 %, whiskers 5–95 %, "
                 "tick = target)", 3),
        _image(plots.distributions(report, "waits"), "wait distribution per service"),
        _heading("Sebaran waktu layanan", "Service time distribution", 3),
        _image(plots.distributions(report, "service_times"), "service time per service"),
    ]


def _outcomes(report: Report) -> list[str]:
    headers = [
        ("Layanan", "service"), ("Selesai", "served"), ("Tidak hadir", "no-shows"),
        ("Dipulihkan", "reinstated"), ("Dialihkan keluar", "transferred out"),
        ("Dialihkan masuk", "transferred in"), ("Dibatalkan", "cancelled"),
    ]
    rows: list[list[Cell]] = [
        [s.code, s.served, s.no_shows, s.reinstated, s.transfers_out, s.transfers_in, s.cancelled]
        for s in report.services
    ]
    return [
        _heading("Tidak hadir, pengalihan, pembatalan", "No-shows, transfers, cancellations"),
        _table(headers, rows),
    ]


def _throughput(report: Report) -> list[str]:
    headers = [("Nama", "name"), ("Selesai", "served"), ("Rata-rata layanan", "mean service, min")]
    return [
        _heading("Kinerja per loket dan petugas", "Throughput per counter and officer"),
        _table([("Loket", "counter"), *headers[1:]],
               [[t.name, t.served, minutes(t.mean_service_seconds)] for t in report.counters]),
        _table([("Petugas", "officer"), *headers[1:]],
               [[t.name, t.served, minutes(t.mean_service_seconds)] for t in report.officers]),
    ]


def _capacity(report: Report, step: Step) -> list[str]:
    step("kapasitas / capacity")
    headers = [
        ("Jam", "hour"), ("Kedatangan/hari", "arrivals per day"),
        ("Rata-rata tunggu", "mean wait, min"), ("Loket buka", "counters open"),
        ("Saran", "planner's counters"),
    ]
    rows: list[list[Cell]] = [
        [f"{h.hour:02d}:00", h.arrivals_per_day, minutes(h.mean_wait_seconds),
         h.counters_open, h.counters_recommended]
        for h in report.hours
    ]
    return [
        _heading("Permintaan dan kapasitas per jam", "Demand against capacity per hour"),
        "<p>Saran perencana: loket yang dibutuhkan agar 80 % pengunjung dipanggil dalam target "
        'waktu tunggu layanannya (Erlang C), untuk hari rata-rata. <span class="en">Planner: '
        "counters needed for 80 % of visitors to be called within their service's target wait "
        "(Erlang C), for the average day.</span></p>",
        _image(plots.demand_and_capacity(report), "counters open and advised per hour"),
        _table(headers, rows),
    ]


def _accuracy(report: Report) -> list[str]:
    headers = [
        ("Layanan", "service"), ("Tiket", "tickets"), ("Galat rata-rata", "MAE, min"),
        ("Bias", "bias (announced − real), min"), ("Dalam rentang", "within the window"),
        ("Janji ditepati", "promise kept: called inside the printed window, of all given one"),
    ]
    rows = [_accuracy_row(code, a) for code, a in report.accuracy_by_service.items()]
    rows.append(_accuracy_row("Semua / all", report.accuracy))
    return [
        _heading("Akurasi perkiraan waktu tunggu",
                 "Estimate accuracy: wait announced at issue against the real wait"),
        _table(headers, rows),
    ]


def _booking_row(c: BookingCounts) -> list[Cell]:
    return [c.name, c.made, c.checked_in, c.cancelled, c.not_used, c.to_come, c.served_booked,
            share(c.booked_share)]


def _bookings(report: Report) -> list[str]:
    total = report.bookings.total
    parts = [_heading("Antrean online (booking)",
                      "Online booking: bookings for the days in this range")]
    if not total.made and not total.served_booked:
        return [*parts, '<p class="note">Tidak ada booking untuk hari-hari pada rentang ini. '
                '<span class="en">No bookings for the days in this range.</span></p>']
    tiles = [
        ("Booking dibuat", "bookings made", str(total.made)),
        ("Check-in di anjungan", "checked in", str(total.checked_in)),
        ("Booking dibatalkan", "cancelled", str(total.cancelled)),
        ("Tidak digunakan", "not used: never checked in", str(total.not_used)),
    ]
    if total.to_come:
        tiles.append(("Belum tiba waktunya", "still to come", str(total.to_come)))
    tiles.append(("Dilayani lewat booking", f"of served visits ({total.served_booked} of "
                  f"{total.served})", share(total.booked_share)))
    headers = [
        ("Layanan", "service"), ("Dibuat", "made"), ("Check-in", "checked in"),
        ("Dibatalkan", "cancelled"), ("Tidak digunakan", "not used"),
        ("Akan datang", "to come"), ("Selesai via booking", "served, booked"),
        ("Bagian dari selesai", "share of served"),
    ]
    rows = [_booking_row(c) for c in report.bookings.by_service]
    rows.append(_booking_row(total))
    return [
        *parts,
        _tiles(tiles),
        _table(headers, rows),
        "<p>Tidak digunakan: tidak check-in sampai batas waktunya. Waktu tunggu tiket booking "
        'sudah termasuk dalam angka waktu tunggu di atas. <span class="en">Not used: not checked '
        "in by the end of its check-in time. Booked tickets' waits are in the wait figures "
        "above.</span></p>",
    ]


def _index(index: float | None) -> str:
    return "–" if index is None else f"{index:.2f}"


def _grade(index: float | None) -> str:
    graded = grade_of(index)
    return "–" if graded is None else f"{graded[0]} ({graded[1]})"


def _grade_en(words: str) -> str:
    return SCALE_WORDS_EN[SCALE_WORDS_ID.index(words)]


def _satisfaction_table(title: tuple[str, str], groups: Iterable[Satisfaction]) -> str:
    headers = [title, ("Jawaban", "responses"), ("IKM", "index"), ("Mutu", "grade")]
    return _table(headers, [[g.name, g.responses, _index(g.index), _grade(g.index)]
                            for g in groups])


def _survey(report: Report, step: Step) -> list[str]:
    survey = report.survey
    parts = [_heading("Survei kepuasan masyarakat (SKM)", "Satisfaction survey")]
    if not survey.responses:
        return [*parts, '<p class="note">Tidak ada jawaban survei pada rentang ini. '
                '<span class="en">No survey answers in this range.</span></p>']
    step("survei / survey")
    graded = grade_of(survey.index)
    assert graded is not None  # there are answers
    letter, words = graded
    tiles = [
        ("Indeks kepuasan (IKM)", "satisfaction index, 25–100", _index(survey.index)),
        (f"Mutu pelayanan: {words}", f"grade: {_grade_en(words)}", letter),
        ("Jawaban survei", "responses", str(survey.responses)),
        ("Tingkat respons", f"response rate: of {survey.served} served visits",
         share(survey.response_rate)),
    ]
    floors = " · ".join(f"{g[1]} ≥ {g[0]:.2f}" for g in GRADES[:-1])
    rated = sum(1 for q in survey.questions if q.mean is not None) or 1
    questions: list[list[Cell]] = [
        [f"{q.code} {q.element} — {q.text_id} / {q.text_en}", q.answers,
         "–" if q.mean is None else f"{q.mean:.2f}",
         "–" if q.mean is None else f"{q.mean / rated:.3f}", _index(q.index), _grade(q.index)]
        for q in survey.questions
    ]
    parts += [
        _tiles(tiles),
        f"<p>IKM = jumlah NRR tertimbang × 25: nilai rata-rata (NRR, 1–4) setiap unsur yang "
        f"dinilai, berbobot sama (1/{rated}) (Permenpan RB 14/2017). Mutu: {floors} · D di "
        f'bawahnya. <span class="en">Index = sum of each rated element\'s mean (1–4) weighted '
        f"1/{rated}, times 25; grades A to D as above.</span></p>",
        _heading("Per unsur pelayanan", "Per question", 3),
        _table([("Unsur", "element"), ("Jawaban", "answers"), ("NRR", "mean, 1–4"),
                ("NRR tertimbang", "weighted mean"), ("IKM", "index"), ("Mutu", "grade")],
               questions),
        _heading("Sebaran jawaban", "Ratings given, share per question", 3),
        _image(plots.survey_ratings(report), "share of each rating per question"),
        _heading("Per layanan, loket dan petugas", "Per service, counter and officer", 3),
        '<div class="side">',
        _satisfaction_table(("Layanan", "service"), survey.by_service),
        _satisfaction_table(("Loket", "counter"), survey.by_counter),
        _satisfaction_table(("Petugas", "officer"), survey.by_officer),
        "</div>",
    ]
    if survey.comments:
        shown = len(survey.comments)
        comments = "".join(
            f"<tr><td>{c.answered_on:%d-%m-%Y}</td><td>{escape(c.service)}</td>"
            f"<td>{escape(c.text)}</td></tr>"
            for c in survey.comments
        )
        parts += [
            _heading(f"Komentar terbaru ({shown} dari {survey.comment_count})",
                     f"Latest comments, newest first ({shown} of {survey.comment_count})", 3),
            '<table class="comments"><tr><th>Tanggal<span class="en">date</span></th>'
            '<th>Layanan<span class="en">service</span></th>'
            f'<th>Komentar<span class="en">comment</span></th></tr>{comments}</table>',
        ]
    return parts
