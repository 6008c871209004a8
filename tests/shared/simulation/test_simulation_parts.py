"""The simulator's pure parts: the agenda, shift plans, draws and summary statistics."""

from __future__ import annotations

import random
from datetime import date, time
from pathlib import Path
from statistics import fmean, pstdev

import numpy
import pytest

from shared.clock import ManualClock
from shared.simulation import load_scenario
from shared.simulation.agenda import Agenda, Day
from shared.simulation.officers import ShiftPlan
from shared.simulation.report import quantile
from shared.simulation.visitors import draw_visitors, lognormal_seconds
from tests.shared.simulation.scenarios import write_small_day
from tests.support.branches import JAKARTA

TUESDAY = Day(date(2026, 11, 24), JAKARTA)


def test_agenda_runs_in_time_order_first_come_first_served_on_ties() -> None:
    clock = ManualClock(TUESDAY.midnight)
    agenda = Agenda(TUESDAY, clock)
    seen: list[tuple[str, str]] = []

    def note(name: str) -> None:
        seen.append((name, f"{clock.now().astimezone(JAKARTA):%H:%M:%S}"))

    agenda.at(TUESDAY.seconds(time(9)), lambda: note("b"))
    agenda.at(TUESDAY.seconds(time(8)), lambda: note("a"))
    agenda.at(TUESDAY.seconds(time(9)), lambda: note("c"))
    agenda.at(TUESDAY.seconds(time(8)), lambda: agenda.after(30, lambda: note("d")))
    agenda.run()
    assert seen == [("a", "08:00:00"), ("d", "08:00:30"), ("b", "09:00:00"), ("c", "09:00:00")]


def test_presence_is_the_shift_minus_absences() -> None:
    plan = ShiftPlan(1, 8 * 3600, 15 * 3600, (), ((8 * 3600, 9 * 3600), (12 * 3600, 13 * 3600)))
    assert plan.presence() == [(9 * 3600, 12 * 3600), (13 * 3600, 15 * 3600)]
    gone = ShiftPlan(2, 8 * 3600, 15 * 3600, (), ((10 * 3600, 15 * 3600),))
    assert gone.presence() == [(8 * 3600, 10 * 3600)]


def test_quantile_interpolates_like_numpy() -> None:
    assert quantile([], 0.9) is None
    assert quantile([5.0], 0.9) == 5.0
    values = [4.0, 1.0, 3.0, 2.0, 11.0, 7.5]
    for q in (0.0, 0.5, 0.9, 1.0):
        assert quantile(values, q) == pytest.approx(float(numpy.percentile(values, q * 100)))


def test_lognormal_times_have_the_asked_mean_and_spread() -> None:
    rng = random.Random(1)
    draws = [lognormal_seconds(12, 0.6, rng.gauss(0.0, 1.0)) for _ in range(40_000)]
    assert abs(fmean(draws) - 720) < 0.02 * 720
    assert abs(pstdev(draws) / fmean(draws) - 0.6) < 0.03
    assert lognormal_seconds(5, 0.0, 2.5) == pytest.approx(300.0)  # no spread: the mean


def test_visitors_follow_the_hourly_profile_and_the_seed(tmp_path: Path) -> None:
    scenario = load_scenario(write_small_day(tmp_path))
    first = draw_visitors(scenario, TUESDAY, random.Random(8))
    again = draw_visitors(scenario, TUESDAY, random.Random(8))
    assert [(v.service, v.arrives, v.service_seconds) for v in first] == [
        (v.service, v.arrives, v.service_seconds) for v in again
    ]
    assert [v.arrives for v in first] == sorted(v.arrives for v in first)
    assert [v.index for v in first] == list(range(len(first)))
    many = [v for seed in range(200) for v in draw_visitors(scenario, TUESDAY, random.Random(seed))]
    jht_at_8 = [v for v in many if v.service == "JHT" and 8 * 3600 <= v.arrives < 9 * 3600]
    assert abs(len(jht_at_8) / 200 - 16) < 1.0  # 16 an hour on average
    assert not [v for v in many if v.service == "JKM" and not 8 * 3600 <= v.arrives < 11 * 3600]
    transferred = [v for v in many if v.service == "JHT" and v.transfer_to == "JKM"]
    assert abs(len(transferred) / len([v for v in many if v.service == "JHT"]) - 0.3) < 0.02
    assert not [v for v in many if v.service == "JKM" and v.transfer_to is not None]
