"""The report's charts as PNG bytes (matplotlib, Agg: no display, no files)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from shared.domain.survey import SCALE_WORDS_EN, SCALE_WORDS_ID
from shared.reporting.figures import Report

WEEKDAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")
# Plots draw at most this many points per distribution: enough for the shape, fast on a month.
SAMPLE_LIMIT = 20_000


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    # A bare Figure draws with Agg and touches no pyplot state or display.
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def arrivals_and_waits(report: Report) -> bytes:
    hours = [h.hour for h in report.hours]
    figure = Figure(figsize=(8, 3.4))
    left = figure.subplots()
    left.bar(hours, [h.arrivals_per_day for h in report.hours], color="#4c78a8")
    left.set_xlabel("Jam / hour")
    left.set_ylabel("Kedatangan/hari / arrivals/day")
    right = left.twinx()
    waits = [(h.hour, h.mean_wait_seconds / 60) for h in report.hours if h.mean_wait_seconds]
    if waits:
        right.plot(*zip(*waits, strict=True), color="#e45756", marker="o")
    right.set_ylabel("Tunggu (menit) / wait (min)", color="#e45756")
    left.set_xticks(hours)
    return _png(figure)


def weekday_heatmap(report: Report, which: str = "arrivals") -> bytes:
    """Hour x weekday of arrivals per day, or of the mean wait in minutes (`which="waits"`)."""
    cells = report.heatmap if which == "arrivals" else {
        key: seconds / 60 for key, seconds in report.wait_heatmap.items()
    }
    hours = sorted({hour for _, hour in cells})
    days = sorted({day for day, _ in cells})
    grid = [[cells.get((day, hour), 0.0) for hour in hours] for day in days]
    figure = Figure(figsize=(8, 0.5 * len(days) + 1.5))
    axes = figure.subplots()
    image = axes.imshow(grid, aspect="auto", cmap="YlOrRd")
    axes.set_xticks(range(len(hours)), [f"{h:02d}" for h in hours])
    axes.set_yticks(range(len(days)), [WEEKDAYS[d] for d in days])
    axes.set_xlabel("Jam / hour")
    label = "kedatangan / arrivals" if which == "arrivals" else "tunggu (menit) / wait (min)"
    figure.colorbar(image, ax=axes, label=label)
    return _png(figure)


def distributions(report: Report, which: str) -> bytes:
    """Box plots per service of `waits` or `service_times`, in minutes."""
    services = [s for s in report.services if getattr(s, which).count]
    figure = Figure(figsize=(8, 0.6 * max(len(services), 1) + 1.5))
    axes = figure.subplots()
    if services:
        data = [[v / 60 for v in getattr(s, which).values[:SAMPLE_LIMIT]] for s in services]
        axes.boxplot(data, orientation="horizontal", whis=(5, 95), showfliers=False)
        axes.set_yticks(range(1, len(services) + 1), [s.code for s in services])
        if which == "waits":
            for row, service in enumerate(services, start=1):
                axes.plot(service.target_wait_seconds / 60, row, "|", color="#e45756",
                          markersize=22, markeredgewidth=2)
    axes.set_xlabel("Menit / minutes")
    return _png(figure)


def demand_and_capacity(report: Report) -> bytes:
    hours = [h.hour for h in report.hours]
    figure = Figure(figsize=(8, 3.4))
    axes = figure.subplots()
    axes.bar(hours, [h.counters_open for h in report.hours], color="#4c78a8",
             label="Loket buka (rata-rata) / counters open (mean)")
    axes.plot(hours, [h.counters_recommended for h in report.hours], "o-", color="#f58518",
              label="Saran perencana / planner's advice")
    axes.set_xlabel("Jam / hour")
    axes.set_ylabel("Loket / counters")
    axes.set_xticks(hours)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8)
    return _png(figure)


# Low to high: red for "poor" through green for "very good".
RATING_COLOURS = ("#e45756", "#f2b701", "#9ecf8a", "#3f9b4b")


def survey_ratings(report: Report) -> bytes:
    """One bar per question, split into the share of each rating (1-4)."""
    questions = [q for q in reversed(report.survey.questions) if q.answers]
    figure = Figure(figsize=(8, 0.45 * len(questions) + 1.5))
    axes = figure.subplots()
    labels = [f"{q.code} {q.element}" for q in questions]
    left = [0.0] * len(questions)
    for point, (colour, words) in enumerate(
        zip(RATING_COLOURS, zip(SCALE_WORDS_ID, SCALE_WORDS_EN, strict=True), strict=True)
    ):
        shares = [q.ratings[point] / q.answers * 100 for q in questions]
        bars = axes.barh(labels, shares, left=left, color=colour,
                         label=f"{point + 1} {words[0]} / {words[1]}")
        axes.bar_label(bars, [f"{s:.0f}%" if s >= 8 else "" for s in shares],
                       label_type="center", fontsize=8)
        left = [a + b for a, b in zip(left, shares, strict=True)]
    axes.set_xlim(0, 100)
    axes.set_xlabel("% jawaban / % of answers")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2, fontsize=8)
    return _png(figure)
