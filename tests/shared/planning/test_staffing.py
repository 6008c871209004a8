"""The staffing plan: forecasts, learning one from history, the CSV file, the table and chart."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from shared.planning import erlang, erlang_a
from shared.planning.staffing import (
    ArrivalForecast,
    ForecastFileError,
    StaffingRow,
    forecast_from_arrivals,
    format_plan_table,
    load_forecast_csv,
    plan_staffing,
    save_plan_plot,
    total_counters_by_hour,
)

FORECAST = ArrivalForecast(
    arrivals={"A": {8: 40.0, 9: 60.0, 10: 0.0}, "B": {9: 12.0}},
    mean_service_minutes={"A": 6.0, "B": 15.0},
)


def test_plan_meets_the_target_with_the_fewest_counters() -> None:
    rows = plan_staffing(FORECAST, target_wait_minutes=5, target_level=0.8)
    assert [(row.hour, row.service) for row in rows] == [(8, "A"), (9, "A"), (9, "B"), (10, "A")]
    for row in rows:
        rate, service = row.arrivals / 3600, row.mean_service_min * 60
        assert row.counters_needed == erlang.agents_needed(rate, service, 300, 0.8)
        if row.counters_needed:
            assert row.service_level >= 0.8
            assert erlang.service_level(row.counters_needed - 1, rate, service, 300) < 0.8
            assert row.mean_wait_min == pytest.approx(
                erlang.mean_wait(row.counters_needed, rate, service) / 60
            )
    nine_a = rows[1]
    assert nine_a.workload == pytest.approx(6.0)  # 60 an hour × 6 minutes = 6 busy counters
    assert nine_a.occupancy == pytest.approx(6.0 / nine_a.counters_needed)
    assert nine_a.abandonment_share == 0.0


def test_an_hour_without_visitors_needs_no_counter() -> None:
    quiet = plan_staffing(FORECAST)[-1]
    assert (quiet.hour, quiet.counters_needed, quiet.occupancy) == (10, 0, 0.0)
    assert quiet.service_level == 1.0


def test_services_with_patience_are_planned_with_erlang_a() -> None:
    forecast = ArrivalForecast(
        arrivals={"A": {9: 60.0}}, mean_service_minutes={"A": 6.0}, patience_minutes={"A": 20.0}
    )
    (row,) = plan_staffing(forecast, target_wait_minutes=5, target_level=0.8)
    assert row.counters_needed == erlang.agents_needed(60 / 3600, 360, 300, 0.8, patience=1200)
    assert row.abandonment_share == pytest.approx(
        erlang_a.abandonment_share(row.counters_needed, 60 / 3600, 360, 1200)
    )
    assert row.abandonment_share > 0
    assert row.service_level >= 0.8
    assert row.service_level == pytest.approx(
        erlang_a.share_served_within(row.counters_needed, 60 / 3600, 360, 1200, 300)
    )


def test_totals_add_up_per_hour() -> None:
    rows = plan_staffing(FORECAST, target_wait_minutes=5)
    by_key = {(row.hour, row.service): row.counters_needed for row in rows}
    assert total_counters_by_hour(rows) == {
        8: by_key[8, "A"],
        9: by_key[9, "A"] + by_key[9, "B"],
        10: 0,
    }


def test_forecast_is_frozen_and_checked() -> None:
    arrivals = {"A": {8: 10.0}}
    forecast = ArrivalForecast(arrivals=arrivals, mean_service_minutes={"A": 5.0})
    arrivals["A"][8] = 99.0
    assert forecast.expected_arrivals("A", 8) == 10.0  # the caller's dict was copied
    with pytest.raises(TypeError):
        forecast.arrivals["A"][9] = 1.0  # type: ignore[index]  # read-only, as tested
    with pytest.raises(ValueError, match="hour 24"):
        ArrivalForecast(arrivals={"A": {24: 1.0}}, mean_service_minutes={"A": 5.0})
    with pytest.raises(ValueError, match="no mean service time"):
        ArrivalForecast(arrivals={"A": {8: 1.0}}, mean_service_minutes={})
    with pytest.raises(ValueError, match="patience must be > 0"):
        ArrivalForecast(
            arrivals={"A": {8: 1.0}}, mean_service_minutes={"A": 5.0}, patience_minutes={"A": 0}
        )


def test_forecast_learnt_from_a_handcrafted_history() -> None:
    monday, tuesday = datetime(2025, 9, 1), datetime(2025, 9, 2)
    history = [
        ("A", monday.replace(hour=8, minute=1)),
        ("A", monday.replace(hour=8, minute=59)),
        ("A", tuesday.replace(hour=8, minute=30)),
        ("A", tuesday.replace(hour=9, minute=0)),
        ("B", tuesday.replace(hour=13, minute=15)),
    ]
    # Three business days: Wednesday had no visitors at all and still counts.
    forecast = forecast_from_arrivals(iter(history), {"A": 6.0, "B": 15.0, "C": 4.0}, days=3)
    assert forecast.arrivals == {"A": {8: 1.0, 9: pytest.approx(1 / 3)}, "B": {13: 1 / 3}}
    assert forecast.mean_service_minutes == {"A": 6.0, "B": 15.0}
    assert forecast.services == ["A", "B"]
    assert forecast.hours == [8, 9, 13]


def test_forecast_learning_refuses_unknown_services_and_no_days() -> None:
    history = [("X", datetime(2025, 9, 1, 8)), ("A", datetime(2025, 9, 1, 8))]
    with pytest.raises(ValueError, match="X"):
        forecast_from_arrivals(history, {"A": 6.0}, days=1)
    with pytest.raises(ValueError, match="days"):
        forecast_from_arrivals(history, {"A": 6.0, "X": 1.0}, days=0)


def test_forecast_keeps_the_hour_of_a_timezone_aware_local_time() -> None:
    arrival = datetime(2025, 9, 1, 8, 30, tzinfo=ZoneInfo("Asia/Jakarta")) + timedelta(minutes=45)
    forecast = forecast_from_arrivals([("A", arrival)], {"A": 5.0}, days=1)
    assert forecast.arrivals == {"A": {9: 1.0}}


def _write(tmp_path: Path, text: str, name: str = "forecast.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_forecast_csv_is_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "hour,service,arrivals,mean_service_minutes\n8,A,42,6.5\n09,A,55,6.5\n\n9,B,7.5,\n",
    )
    forecast = load_forecast_csv(path, default_service_minutes={"B": 12.0})
    assert forecast.arrivals == {"A": {8: 42.0, 9: 55.0}, "B": {9: 7.5}}
    assert forecast.mean_service_minutes == {"A": 6.5, "B": 12.0}
    assert forecast.patience_minutes == {}


def test_forecast_csv_from_an_indonesian_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "prakiraan.csv"
    header = "\ufeffHour;Service;Arrivals;Mean_Service_Minutes;patience_minutes\r\n"
    path.write_bytes((header + "8;A;12,5;6,5;20\r\n").encode("utf-8"))
    forecast = load_forecast_csv(path)
    assert forecast.arrivals == {"A": {8: 12.5}}
    assert forecast.mean_service_minutes == {"A": 6.5}
    assert forecast.patience_minutes == {"A": 20.0}


@pytest.mark.parametrize(
    ("text", "line", "column", "problem"),
    [
        ("hour,service,arrivals,mean_service_minutes\n8,A,4,5\n25,A,4,5\n", 3, "hour", "0–23"),
        ("hour,service,arrivals,mean_service_minutes\n8.5,A,4,5\n", 2, "hour", "0–23"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,many,5\n", 2, "arrivals", "number"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,-1,5\n", 2, "arrivals", "≥ 0"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,4,0\n", 2, "mean_service_minutes", "> 0"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,4,nan\n", 2, "mean_service_minutes",
         "number"),
        ("hour,service,arrivals,mean_service_minutes\n8,,4,5\n", 2, "service", "service code"),
        ("hour,service,arrivals,mean_service_minutes\n8,A B,4,5\n", 2, "service", "no spaces"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,4,5\n8,A,6,5\n", 3, "hour", "line 2"),
        ("hour,service,arrivals,mean_service_minutes\n8,A,4,5\n9,A,6,7\n", 3,
         "mean_service_minutes", "differs from 5 on line 2"),
        ("hour,service,arrivals\n8,A,4\n", 2, "mean_service_minutes", "no mean service time"),
        ("hour,service,arrivals,counter\n8,A,4,1\n", 1, "counter", "unknown column"),
        ("hour,service\n8,A\n", 1, "arrivals", "missing"),
        ("hour,service,arrivals,arrivals\n8,A,4,4\n", 1, "arrivals", "twice"),
    ],
)
def test_forecast_csv_errors_name_line_and_column(
    tmp_path: Path, text: str, line: int, column: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ForecastFileError, match=problem) as caught:
        load_forecast_csv(path)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert f"line {line}, column '{column}'" in str(caught.value)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("", 1, "empty"),
        ("hour,service,arrivals\n", 2, "no forecast rows"),
        ("hour,service,arrivals\n8,A\n", 2, "expected 3 fields, found 2"),
    ],
)
def test_forecast_csv_errors_about_whole_lines(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    with pytest.raises(ForecastFileError, match=problem) as caught:
        load_forecast_csv(_write(tmp_path, text), default_service_minutes={"A": 5.0})
    assert caught.value.line == line


def test_missing_forecast_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ForecastFileError, match="cannot be read"):
        load_forecast_csv(tmp_path / "absent.csv")


def test_table_lists_every_row_and_the_hourly_totals() -> None:
    rows = plan_staffing(FORECAST, target_wait_minutes=5)
    table = format_plan_table(rows).splitlines()
    assert table[0].split()[:2] == ["Hour", "Service"]
    body = [line.split() for line in table[2:]]
    assert [cells[:2] for cells in body] == [
        ["08:00", "A"], ["08:00", "total"],
        ["09:00", "A"], ["09:00", "B"], ["09:00", "total"],
        ["10:00", "A"], ["10:00", "total"],
    ]
    totals = total_counters_by_hour(rows)
    assert body[4][-1] == str(totals[9])
    assert body[2][2:5] == ["60.0", "6.0", str(rows[1].counters_needed)]


def test_plot_is_a_png(tmp_path: Path) -> None:
    rows = plan_staffing(FORECAST, target_wait_minutes=5)
    written = save_plan_plot(rows, tmp_path / "plan.png")
    assert written.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(written) as image:
        image.verify()
    with Image.open(written) as image:
        assert image.format == "PNG"
        assert image.size == (900, 500)


def test_plot_refuses_an_empty_plan(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no rows"):
        save_plan_plot([], tmp_path / "plan.png")


def test_planning_loads_matplotlib_only_to_plot() -> None:
    check = (
        "import sys, shared.planning.staffing\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True, cwd=Path(__file__).parents[3])


def test_rows_are_plain_values() -> None:
    row = StaffingRow(8, "A", 10.0, 6.0, 2, 0.9, 1.0, 0.5)
    assert row.workload == pytest.approx(1.0)
    assert row.abandonment_share == 0.0
