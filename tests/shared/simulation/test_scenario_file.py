"""Scenario files: the shipped ones load; a mistake gets a message naming the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config import ConfigError
from shared.simulation import SHIPPED_SCENARIOS, ScenarioError, load_scenario
from tests.shared.simulation.scenarios import SMALL_DAY, write_small_day


@pytest.mark.parametrize("name", ["calm-day", "monday-peak", "peak-three-absent"])
def test_shipped_scenarios_load_with_the_demo_branch(name: str) -> None:
    scenario = load_scenario(SHIPPED_SCENARIOS / f"{name}.toml")
    assert scenario.branch_code == "SRG"
    assert scenario.branch.branch.opening_hours_on(scenario.settings.date) is not None
    staffed = {c.number for c in scenario.settings.counters}
    assert staffed == {c.number for c in scenario.branch.counters}


def test_peak_with_absences_is_the_monday_peak_with_three_counters_closed() -> None:
    peak = load_scenario(SHIPPED_SCENARIOS / "monday-peak.toml").settings
    absent = load_scenario(SHIPPED_SCENARIOS / "peak-three-absent.toml").settings
    assert absent.services == peak.services
    gone = [c.number for c in absent.counters if c.absent]
    assert len(gone) == 3
    assert all(c.absent == [(c.absent[0][0], c.absent[0][1])] for c in absent.counters if c.absent)


def test_small_scenario_resolves_defaults(tmp_path: Path) -> None:
    scenario = load_scenario(write_small_day(tmp_path))
    assert scenario.name == "Hari uji / test day"
    jht = scenario.load("JHT")
    assert jht.arrivals_by_hour() == {7: 4.0, 8: 16.0, 9: 14.0, 10: 10.0, 11: 4.0}
    assert scenario.mean_service_minutes("JKM") == 9
    counter_4 = scenario.settings.counters[3]
    assert [f"{t:%H:%M}" for t in scenario.shift(counter_4, scenario.settings.date)] == [
        "08:00", "09:30",
    ]


def test_a_service_left_out_takes_the_branch_figure(tmp_path: Path) -> None:
    scenario = load_scenario(write_small_day(tmp_path))
    assert scenario.load("UNKNOWN").arrivals == {}
    text = SMALL_DAY.replace("mean_minutes = 9\n", "")
    scenario = load_scenario(write_small_day(tmp_path, text))
    assert scenario.mean_service_minutes("JKM") == 20  # the test branch's figure


def problems(tmp_path: Path, old: str, new: str) -> list[str]:
    assert old in SMALL_DAY
    path = write_small_day(tmp_path, SMALL_DAY.replace(old, new, 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("seed = 3", "sed = 3", "sed: unknown key; did you mean 'seed'?"),
        ("date = 2026-11-24", 'date = "2026-11-24"',
         "date: '2026-11-24' is not allowed; use a date such as"),
        ("date = 2026-11-24", "date = 2026-11-22",
         "date: 2026-11-22 (Sunday) is not allowed; branch TST is closed that day"),
        ("{ 7 = 4, 8 = 16,", "{ 7 = 4, 25 = 16,",
         "services[code=JHT].arrivals.25: '25' is not an hour of the day"),
        ("no_show_share = 0.1", "no_show_share = 1.5",
         "services[code=JHT].no_show_share: 1.5 is not allowed; use a number"),
        ('code = "JKM"\narrivals', 'code = "JKN"\narrivals',
         "services[code=JKN].code: 'JKN' is not a service of branch TST; use one of JHT, JKM"),
        ('transfer = { to = "JKM"', 'transfer = { to = "JHT"',
         "services[code=JHT].transfer.to: 'JHT' cannot transfer to itself"),
        ("mean_minutes = 3\n", "mean_minutes = 3\npriority_share = 0.2\n",
         "services[code=RESET].priority_share: 0.2 is not allowed; RESET has no priority queue"),
        ("number = 4\n", "number = 7\n",
         "counters[number=7].number: 7 is not allowed; branch TST has counters 1, 2, 3, 4"),
        ('absent = [["09:00", "10:30"]]', 'absent = [["9 am", "10:30"]]',
         "counters[number=2].absent[1]: ['9 am', '10:30'] is not allowed; use"),
        ('absent = [["09:00", "10:30"]]', 'absent = [["09:00", "10:30"], ["10:00", "11:00"]]',
         "counters[number=2].absent[2]: overlaps the break or absence before it"),
        ('breaks = [["10:00", 20]]', 'breaks = [["11:50", 20]]',
         "counters[number=1].breaks[1]: a break at 11:50 for 20 minutes is not allowed; it must "
         "lie within the shift 08:00–12:00"),
        ('end = "09:30"', 'end = "07:30"',
         "counters[number=4].end: the shift 08:00–07:30 ends before it starts"),
        ("[[counters]]\nnumber = 4\n", "[[counters]]\nnumber = 3\n",
         "counters[4].number: counter 3 is listed twice"),
    ],
)
def test_a_bad_value_is_named_by_file_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    found = problems(tmp_path, old, new)
    source = str(tmp_path / "day.toml")
    assert any(p.startswith(f"{source}: ") and expected in p for p in found), found


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = SMALL_DAY.replace("cv = 0.5\n", "cv = -1\n").replace("seed = 3", "seed = -3")
    path = write_small_day(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert len(caught.value.problems) == 2
    assert "seed: -3 is not allowed" in str(caught.value)


def test_missing_file_syntax_error_and_bad_branch_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nowhere\.toml: file not found"):
        load_scenario(tmp_path / "nowhere.toml")
    path = write_small_day(tmp_path, SMALL_DAY.replace('name = "', 'name = '))
    with pytest.raises(ScenarioError, match=r"day.toml: TOML syntax error: .*line 2"):
        load_scenario(path)
    path = write_small_day(tmp_path, SMALL_DAY.replace('"branch.toml"', '"other.toml"'))
    with pytest.raises(ConfigError, match=r"other\.toml: file not found"):
        load_scenario(path)
    path = write_small_day(tmp_path, "date = 2026-11-24\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert f"{path}: name: missing; this key is required" in caught.value.problems
