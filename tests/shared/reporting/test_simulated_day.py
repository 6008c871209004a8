"""A simulated calm day (fixed seed): the report's counts are the simulator's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.clock import ManualClock
from shared.reporting.building import build_report
from shared.reporting.export import export_csv
from shared.reporting.figures import Report
from shared.reporting.page import render_html
from shared.services.setup import apply_branch_config
from shared.simulation import DaySummary, load_scenario, simulate_day
from shared.simulation.loading import SHIPPED_SCENARIOS
from shared.store.database import open_store
from shared.store.schema import upgrade_database

pytestmark = pytest.mark.slow  # a whole simulated day

SEED = 7


@dataclass
class SimulatedDay:
    summary: DaySummary
    report: Report


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatedDay]:
    scenario = load_scenario(Path(SHIPPED_SCENARIOS) / "calm-day.toml")
    day = scenario.settings.date
    zone = ZoneInfo(scenario.branch.branch.timezone)
    clock = ManualClock(datetime.combine(day, datetime.min.time(), zone))
    folder = tmp_path_factory.mktemp("simulated")
    store = open_store(f"sqlite:///{folder / 'calm.db'}", clock=clock)
    upgrade_database(store.engine)
    apply_branch_config(store, scenario.branch)
    summary = simulate_day(scenario, store, SEED, clock)
    yield SimulatedDay(summary, build_report(store, scenario.branch_code, day, day))
    store.dispose()


def test_counts_per_service_match_the_simulator(simulated: SimulatedDay) -> None:
    summary, report = simulated.summary, simulated.report
    assert report.issued == summary.total("issued") > 100
    assert report.served == summary.total("served")
    assert report.transfers == summary.total("transferred_out") > 0
    assert summary.total("unserved") == 0
    for service in report.services:
        expected = summary.service(service.code)
        assert (service.issued, service.transfers_in, service.served, service.transfers_out) == (
            expected.issued, expected.transferred_in, expected.served, expected.transferred_out)
        # A visitor who walked out is called later and marked a no-show like one who never came.
        assert service.no_shows == expected.no_show + expected.walked_out
        # Every ticket was called: the simulator's mean wait (joining the queue -> first call
        # there, transfers included) is ours, in whole centiminutes.
        if service.issued or service.transfers_in:
            assert service.waits.count == service.issued + service.transfers_in
            assert service.waits.mean is not None
            assert round(service.waits.mean / 60, 2) == expected.mean_wait_minutes


def test_the_day_has_capacity_and_estimates(simulated: SimulatedDay) -> None:
    report = simulated.report
    assert report.days == 1
    assert sum(h.arrivals_per_day for h in report.hours) == report.issued
    assert max(h.counters_open for h in report.hours) > 0
    assert max(h.counters_recommended for h in report.hours) > 0
    assert report.accuracy.count == report.issued
    assert len(report.counters) > 1 and sum(c.served for c in report.counters) == report.served


def test_the_html_is_self_contained(simulated: SimulatedDay) -> None:
    page = render_html(simulated.report)
    assert page.startswith("<!DOCTYPE html>")
    for forbidden in ("http://", "https://", "<script src", "<link", "url("):
        assert forbidden not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", page)
    sources = re.findall(r"""src="([^"]*)\"""", page)
    assert len(sources) >= 4 and all(s.startswith("data:image/png;base64,") for s in sources)
    # Simulated visitors rate some visits: the survey section has figures, not "no answers".
    assert "Survei kepuasan masyarakat (SKM)" in page and "Indeks kepuasan (IKM)" in page
    assert "Tidak ada jawaban survei" not in page
    assert "Waktu tunggu dan waktu layanan per layanan" in page


def test_csv_tables(simulated: SimulatedDay, tmp_path: Path) -> None:
    written = export_csv(simulated.report, tmp_path / "tables")
    assert sorted(p.name for p in written) == [
        "accuracy.csv", "bookings.csv", "counters.csv", "hours.csv", "officers.csv",
        "services.csv", "survey_groups.csv", "survey_questions.csv", "weekday_hours.csv"]
    services = (tmp_path / "tables" / "services.csv").read_text().splitlines()
    assert services[0].startswith("service,issued,")
    assert len(services) == 1 + len(simulated.report.services)
