"""`antrean simulate`, run as a user would, in a child process."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared.simulation.scenarios import SMALL_DAY, write_small_day

pytestmark = pytest.mark.slow  # commands in child processes


def antrean(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_simulate_two_days_writes_events_and_summary(tmp_path: Path) -> None:
    scenario = write_small_day(tmp_path)
    out = tmp_path / "out"
    result = antrean("simulate", str(scenario), "--days", "2", "--seed", "5", "--out", str(out),
                     "--quiet")
    assert result.returncode == 0, result.stderr
    assert "Hari uji / test day — TST Tue 2026-11-24, seed 5" in result.stdout
    assert "Wed 2026-11-25, seed 6" in result.stdout
    assert (out / "simulation.db").exists()

    report = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert report["branch"] == "TST" and report["seed"] == 5
    days = report["days"]
    assert [(d["date"], d["seed"]) for d in days] == [("2026-11-24", 5), ("2026-11-25", 6)]
    for day in days:
        for line in day["services"]:
            ends = sum(line[k] for k in ("served", "transferred_out", "no_show", "walked_out",
                                         "unserved"))
            assert line["issued"] + line["transferred_in"] == ends
    # RESET issues on Mondays and Tuesdays only: on the Wednesday everyone is turned away.
    reset = next(s for s in days[1]["services"] if s["code"] == "RESET")
    assert reset["issued"] == 0 and reset["refusals"] == {"closed": reset["arrived"]}

    with (out / "events.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["id", "at", "kind", "ticket", "service", "counter", "officer",
                             "from_state", "to_state", "detail"]
    issued = [r for r in rows if r["kind"] == "ticket.issued"]
    assert len(issued) == sum(d["totals"]["issued"] for d in days)
    assert {r["at"][:10] for r in issued} == {"2026-11-24", "2026-11-25"}
    assert all(r["at"].endswith("+07:00") for r in rows)
    first_call = next(r for r in rows if r["kind"] == "ticket.call")
    assert first_call["at"][11:16] >= "08:00" and first_call["officer"].startswith("sim")


def test_a_bad_scenario_fails_with_its_file_and_key(tmp_path: Path) -> None:
    scenario = write_small_day(tmp_path, SMALL_DAY.replace("cv = 0.5", "cv = \"wide\""))
    result = antrean("simulate", str(scenario), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    message = " ".join(result.stderr.split())  # Rich wraps long lines
    assert f"{scenario}: services[code=JHT].cv: 'wide' is not allowed" in message
    result = antrean("simulate", str(scenario), "--days", "0")
    assert result.returncode == 2 and "use 1 to 366 days" in result.stderr
