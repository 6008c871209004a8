"""How many counters each hour needs for a forecast, as rows, a text table and a chart.

Each service is staffed on its own for each hour, as if that hour were a steady state: a
counter that serves several services pools their work, so the summed totals are a safe
upper bound rather than an exact count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.planning import erlang, erlang_a
from shared.planning.forecast import ArrivalForecast, forecast_from_arrivals
from shared.planning.forecast_file import ForecastFileError, load_forecast_csv

__all__ = [
    "ArrivalForecast",
    "ForecastFileError",
    "StaffingGap",
    "StaffingRow",
    "forecast_from_arrivals",
    "format_plan_table",
    "load_forecast_csv",
    "plan_staffing",
    "roster_gaps",
    "save_plan_plot",
    "total_counters_by_hour",
]

_SECONDS_PER_MINUTE = 60.0
_SECONDS_PER_HOUR = 3600.0


@dataclass
class StaffingRow:
    """One service in one hour: its demand and what the planned counters achieve.

    ``service_level`` is the share of arrivals served within the target wait (with a
    patience, those who gave up count as missed); ``mean_wait_min`` is over all arrivals,
    including the time spent by those who gave up.
    """

    hour: int
    service: str
    arrivals: float
    mean_service_min: float
    counters_needed: int
    service_level: float
    mean_wait_min: float
    occupancy: float
    abandonment_share: float = 0.0

    @property
    def workload(self) -> float:
        """Counters kept fully busy by this demand (Erlangs)."""
        return self.arrivals * self.mean_service_min / 60.0  # per hour × minutes ÷ 60


def plan_staffing(
    forecast: ArrivalForecast,
    target_wait_minutes: float = 30,
    target_level: float = 0.8,
    max_counters: int = 500,
) -> list[StaffingRow]:
    """Counters needed per hour and service so ``target_level`` wait ≤ ``target_wait_minutes``."""
    rows = []
    target_wait = target_wait_minutes * _SECONDS_PER_MINUTE
    for service in forecast.services:
        mean_service = forecast.mean_service_minutes[service] * _SECONDS_PER_MINUTE
        patience_minutes = forecast.patience_minutes.get(service)
        patience = None if patience_minutes is None else patience_minutes * _SECONDS_PER_MINUTE
        for hour, expected in sorted(forecast.arrivals[service].items()):
            rate = expected / _SECONDS_PER_HOUR
            counters = erlang.agents_needed(
                rate, mean_service, target_wait, target_level, patience, max_counters
            )
            row = StaffingRow(
                hour=hour,
                service=service,
                arrivals=expected,
                mean_service_min=mean_service / _SECONDS_PER_MINUTE,
                counters_needed=counters,
                service_level=1.0,
                mean_wait_min=0.0,
                occupancy=0.0,
            )
            if counters > 0:
                _measure(row, rate, mean_service, target_wait, patience)
            rows.append(row)
    rows.sort(key=lambda row: (row.hour, row.service))
    return rows


def _measure(
    row: StaffingRow, rate: float, mean_service: float, target_wait: float, patience: float | None
) -> None:
    """Fill in what ``row.counters_needed`` counters achieve."""
    counters = row.counters_needed
    if patience is None:
        row.service_level = erlang.service_level(counters, rate, mean_service, target_wait)
        wait = erlang.mean_wait(counters, rate, mean_service)
        row.occupancy = erlang.occupancy(counters, rate, mean_service)
    else:
        row.service_level = erlang_a.share_served_within(
            counters, rate, mean_service, patience, target_wait
        )
        wait = erlang_a.mean_wait(counters, rate, mean_service, patience)
        row.occupancy = erlang_a.occupancy(counters, rate, mean_service, patience)
        row.abandonment_share = erlang_a.abandonment_share(counters, rate, mean_service, patience)
    row.mean_wait_min = wait / _SECONDS_PER_MINUTE


@dataclass(frozen=True)
class StaffingGap:
    """Consecutive hours in which a service's rostered counters fall short of the plan."""

    service: str
    first_hour: int
    end_hour: int  # exclusive
    short_by: int

    def describe(self) -> str:
        counters = "counter" if self.short_by == 1 else "counters"
        return (f"short by {self.short_by} {counters} for {self.service} "
                f"{self.first_hour:02d}:00–{self.end_hour:02d}:00")


def roster_gaps(
    rows: Iterable[StaffingRow], available: Mapping[str, Mapping[int, float]]
) -> list[StaffingGap]:
    """Where the counters the roster leaves (per service and hour; a counter serving several
    services counts in each, like the plan) are fewer than the plan needs."""
    short: dict[str, dict[int, int]] = {}
    for row in rows:
        have = available.get(row.service, {}).get(row.hour, 0.0)
        missing = math.ceil(row.counters_needed - have - 1e-9)
        if missing > 0:
            short.setdefault(row.service, {})[row.hour] = missing
    gaps: list[StaffingGap] = []
    for service, hours in sorted(short.items()):
        for hour in sorted(hours):
            last = gaps[-1] if gaps else None
            if (last is not None and last.service == service and last.end_hour == hour
                    and last.short_by == hours[hour]):
                gaps[-1] = StaffingGap(service, last.first_hour, hour + 1, last.short_by)
            else:
                gaps.append(StaffingGap(service, hour, hour + 1, hours[hour]))
    return gaps


def total_counters_by_hour(rows: Iterable[StaffingRow]) -> dict[int, int]:
    totals: dict[int, int] = {}
    for row in rows:
        totals[row.hour] = totals.get(row.hour, 0) + row.counters_needed
    return dict(sorted(totals.items()))


_TABLE_HEADERS = (
    "Hour", "Service", "Arrivals/h", "Service min", "Counters", "Within target",
    "Mean wait min", "Occupancy", "Abandon",
)


def format_plan_table(rows: Iterable[StaffingRow]) -> str:
    """A plain-text table, one line per hour and service, then a total line per hour."""
    rows = list(rows)
    lines: list[tuple[str, ...]] = []
    for hour, total in total_counters_by_hour(rows).items():
        for row in (row for row in rows if row.hour == hour):
            lines.append((
                f"{row.hour:02d}:00", row.service, f"{row.arrivals:.1f}",
                f"{row.mean_service_min:.1f}", str(row.counters_needed),
                f"{row.service_level:.1%}", f"{row.mean_wait_min:.1f}",
                f"{row.occupancy:.0%}", f"{row.abandonment_share:.1%}",
            ))
        lines.append((f"{hour:02d}:00", "total", "", "", str(total), "", "", "", ""))
    widths = [
        max(len(cells[index]) for cells in [_TABLE_HEADERS, *lines])
        for index in range(len(_TABLE_HEADERS))
    ]

    def render(cells: tuple[str, ...]) -> str:
        # Text columns left, numbers right, as a reader scans them.
        parts = [
            cell.ljust(width) if index < 2 else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(_TABLE_HEADERS), rule, *(render(cells) for cells in lines)])


def save_plan_plot(rows: Iterable[StaffingRow], path: str | Path) -> Path:
    """Stacked bars of counters per hour by service, with the workload line; writes a PNG."""
    # Imported here so that planning without a chart never loads matplotlib.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    rows = list(rows)
    if not rows:
        raise ValueError("nothing to plot: the plan has no rows")
    hours = list(range(min(row.hour for row in rows), max(row.hour for row in rows) + 1))
    figure = Figure(figsize=(9, 5), dpi=100)
    FigureCanvasAgg(figure)  # a canvas of its own: no pyplot, no global backend state
    axes = figure.add_subplot()
    bottoms = [0] * len(hours)
    for service in sorted({row.service for row in rows}):
        counters = [0] * len(hours)
        for row in rows:
            if row.service == service:
                counters[row.hour - hours[0]] += row.counters_needed
        axes.bar(hours, counters, bottom=bottoms, label=service)
        bottoms = [below + count for below, count in zip(bottoms, counters, strict=True)]
    workload = [0.0] * len(hours)
    for row in rows:
        workload[row.hour - hours[0]] += row.workload
    axes.plot(hours, workload, color="black", marker="o", label="workload (busy counters)")
    axes.set_xticks(hours, [f"{hour:02d}:00" for hour in hours])
    axes.set_xlabel("hour")
    axes.set_ylabel("counters")
    axes.set_title("Counters needed per hour")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, format="png")
    return path
