"""The forecast file of ``antrean plan --forecast FILE``: a small CSV, one row per hour and service.

    hour,service,arrivals,mean_service_minutes
    8,A,42,6.5
    9,A,55,6.5

``mean_service_minutes`` may be left out (column or cell) when the caller supplies defaults, and
an optional ``patience_minutes`` column asks for Erlang A. A file saved by a spreadsheet in an
Indonesian locale (``;`` between fields, ``,`` as the decimal mark) is read as well.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.planning.forecast import ArrivalForecast

REQUIRED_COLUMNS = ("hour", "service", "arrivals")
OPTIONAL_COLUMNS = ("mean_service_minutes", "patience_minutes")
_LONGEST_SERVICE_CODE = 32


class ForecastFileError(ValueError):
    """A forecast file that cannot be used; the message names the file, line and column."""

    def __init__(self, path: Path, line: int, column: str | None, problem: str) -> None:
        where = f"{path}, line {line}" + (f", column '{column}'" if column else "")
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.column = column


@dataclass
class _ServiceMinutes:
    """One per-service value that must agree on every row, and where it was first given."""

    column: str
    values: dict[str, tuple[float, int]]

    def record(self, path: Path, line: int, service: str, minutes: float) -> None:
        earlier = self.values.setdefault(service, (minutes, line))
        if earlier[0] != minutes:
            raise ForecastFileError(
                path, line, self.column,
                f"{minutes:g} for service {service!r} differs from {earlier[0]:g} on line "
                f"{earlier[1]}; give one value per service",
            )


def load_forecast_csv(
    path: str | Path, default_service_minutes: Mapping[str, float] | None = None
) -> ArrivalForecast:
    """Read a forecast file; raises ``ForecastFileError`` naming the line and column at fault."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ForecastFileError(path, 0, None, f"cannot be read ({error})") from error
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ForecastFileError(path, 1, None, "the file is empty; expected a header line")
    semicolons = ";" in lines[0] and "," not in lines[0]
    reader = csv.reader(lines, delimiter=";" if semicolons else ",")
    columns = _read_header(path, next(reader))

    arrivals: dict[str, dict[int, float]] = {}
    first_line: dict[tuple[str, int], int] = {}
    service_minutes = _ServiceMinutes("mean_service_minutes", {})
    patience = _ServiceMinutes("patience_minutes", {})
    for line, fields in enumerate(reader, start=2):
        if not any(cell.strip() for cell in fields):
            continue
        if len(fields) != len(columns):
            raise ForecastFileError(
                path, line, None, f"expected {len(columns)} fields, found {len(fields)}"
            )
        row = dict(zip(columns, (cell.strip() for cell in fields), strict=True))
        hour = _hour(path, line, row["hour"])
        service = _service(path, line, row["service"])
        if (service, hour) in first_line:
            raise ForecastFileError(
                path, line, "hour",
                f"hour {hour} of service {service!r} is already on line "
                f"{first_line[service, hour]}",
            )
        first_line[service, hour] = line
        expected = _number(path, line, "arrivals", row["arrivals"], semicolons)
        if expected < 0:
            raise ForecastFileError(path, line, "arrivals", f"must be ≥ 0, got {expected:g}")
        arrivals.setdefault(service, {})[hour] = expected
        for values in (service_minutes, patience):
            if row.get(values.column):
                minutes = _number(path, line, values.column, row[values.column], semicolons)
                if minutes <= 0:
                    raise ForecastFileError(
                        path, line, values.column, f"must be > 0, got {minutes:g}"
                    )
                values.record(path, line, service, minutes)
    if not arrivals:
        raise ForecastFileError(path, 2, None, "no forecast rows after the header")

    mean_service: dict[str, float] = {}
    for service in arrivals:
        if service in service_minutes.values:
            mean_service[service] = service_minutes.values[service][0]
        elif default_service_minutes and service in default_service_minutes:
            mean_service[service] = default_service_minutes[service]
        else:
            line = min(line for (code, _), line in first_line.items() if code == service)
            raise ForecastFileError(
                path, line, "mean_service_minutes",
                f"no mean service time for service {service!r} in the file or the defaults",
            )
    return ArrivalForecast(
        arrivals=arrivals,
        mean_service_minutes=mean_service,
        patience_minutes={service: value for service, (value, _) in patience.values.items()},
    )


def _read_header(path: Path, header: list[str]) -> list[str]:
    columns = [name.strip().lower() for name in header]
    for name in columns:
        if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            allowed = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
            raise ForecastFileError(path, 1, name, f"unknown column; allowed: {allowed}")
        if columns.count(name) > 1:
            raise ForecastFileError(path, 1, name, "column appears twice")
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise ForecastFileError(path, 1, name, "required column is missing")
    return columns


def _hour(path: Path, line: int, cell: str) -> int:
    try:
        hour = int(cell)
    except ValueError:
        hour = -1
    if not 0 <= hour <= 23:
        raise ForecastFileError(path, line, "hour", f"{cell!r} is not a whole hour 0–23")
    return hour


def _service(path: Path, line: int, cell: str) -> str:
    if not cell or len(cell) > _LONGEST_SERVICE_CODE or any(char.isspace() for char in cell):
        raise ForecastFileError(
            path, line, "service",
            f"{cell[:40]!r} is not a service code (1–{_LONGEST_SERVICE_CODE} characters, "
            "no spaces)",
        )
    return cell


def _number(path: Path, line: int, column: str, cell: str, decimal_comma: bool) -> float:
    text = cell.replace(",", ".") if decimal_comma else cell
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ForecastFileError(path, line, column, f"{cell[:40]!r} is not a number")
    return value
