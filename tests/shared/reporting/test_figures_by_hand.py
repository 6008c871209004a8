"""A short day built by hand through the real services; every figure checked by hand."""

from __future__ import annotations

import argparse
import io
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import update

from shared.cli.context import CommandContext, CommandError
from shared.cli.report import run_report
from shared.clock import ManualClock
from shared.planning.forecast import ArrivalForecast
from shared.planning.staffing import plan_staffing, total_counters_by_hour
from shared.reporting.building import build_report
from shared.reporting.figures import Report
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.models import Service, Ticket
from tests.conftest import Staff
from tests.support.actions import called_next, run

MONDAY = date(2026, 11, 23)
# Announced at issue, set by hand: (estimate, window low, window high) in seconds.
ANNOUNCED = {"A001": (360, 200, 400), "A002": (100, 50, 200), "B001": (600, 500, 900)}




@pytest.fixture
def day(store: Store, staff: Staff, clock: ManualClock) -> Report:
    elapsed = 0

    def to(seconds: int) -> None:
        nonlocal elapsed
        clock.advance(seconds - elapsed)
        elapsed = seconds

    run(store, counters.open_counter, 1, staff.ani)  # 08:00
    run(store, counters.open_counter, 2, staff.budi)
    run(store, issue_ticket, "JHT")  # A001 08:00
    to(60)
    run(store, issue_ticket, "JHT")  # A002 08:01
    to(120)
    run(store, issue_ticket, "JKM")  # B001 08:02
    to(300)
    run(store, calling.call_next, 1, staff.ani)  # A001: waited 300
    run(store, serving.start, 1, staff.ani)
    run(store, calling.call_next, 2, staff.budi)  # A002 (JHT first at counter 2): waited 240
    run(store, serving.start, 2, staff.budi)
    to(600)
    run(store, serving.transfer, 2, staff.budi, "JKM")  # JHT service period 300
    to(900)
    run(store, serving.finish, 1, staff.ani)  # A001: JHT 600 at counter 1 by Ani
    assert called_next(store, 2, staff.budi).label == "B001"  # waited 780
    to(960)
    run(store, serving.no_show, 2, staff.budi)
    assert called_next(store, 2, staff.budi).label == "A002"  # first call stays
    run(store, serving.start, 2, staff.budi)
    to(1560)
    run(store, serving.finish, 2, staff.budi)  # A002: JKM 600 at counter 2 by Budi
    run(store, issue_ticket, "JHT")  # A003 08:26, cancelled
    to(1620)
    run(store, serving.cancel, staff.sri, "A003", "wrong service")
    run(store, issue_ticket, "JHT")  # A004 08:27, never called
    to(5400)
    run(store, counters.close_counter, 1, staff.ani)  # 09:30; counter 2 left open
    with store.sessions() as session:
        for label, (estimate, low, high) in ANNOUNCED.items():
            session.execute(
                update(Ticket)
                .where(Ticket.label == label)
                .values(estimate_seconds=estimate, window_low_seconds=low,
                        window_high_seconds=high)
            )
        session.execute(update(Service).where(Service.code == "JHT")
                        .values(target_wait_seconds=270))
        session.commit()
    return build_report(store, "TST", MONDAY, MONDAY)


def test_totals(day: Report) -> None:
    assert (day.days, day.issued, day.served, day.no_shows, day.transfers, day.cancelled,
            day.never_called) == (1, 5, 2, 1, 1, 1, 2)


def test_waits_and_service_times_per_service(day: Report) -> None:
    jht, jkm = day.services
    assert (jht.code, jht.issued, jht.served, jht.transfers_out, jht.cancelled) == (
        "JHT", 4, 1, 1, 1)
    assert jht.waits.values == (300.0, 240.0)
    assert jht.waits.median == 270.0
    assert jht.waits.p90 == pytest.approx(240 + 0.9 * 60)
    assert jht.within_target == 0.5  # target set to 270 s: 240 in, 300 out
    assert sorted(jht.service_times.values) == [300.0, 600.0]  # until transfer, until finish
    assert jht.service_times.median == 450.0
    assert (jkm.issued, jkm.transfers_in, jkm.served, jkm.no_shows) == (1, 1, 1, 1)
    # B001 waited 780 from issue; A002 waited 960 - 600 = 360 from its transfer.
    assert jkm.waits.values == (780.0, 360.0)
    assert jkm.within_target == 1.0  # both under the default 30 minutes
    assert jkm.service_times.values == (600.0,)


def test_throughput_per_counter_and_officer(day: Report) -> None:
    assert [(t.name, t.served, t.mean_service_seconds) for t in day.counters] == [
        ("Loket 1", 1, 600.0), ("Loket 2", 1, 600.0)]
    assert [(t.name, t.served) for t in day.officers] == [("Ani", 1), ("Budi", 1)]


def test_hours_capacity_and_planner(day: Report) -> None:
    eight, nine = day.hours
    assert (eight.hour, eight.arrivals_per_day) == (8, 5.0)
    assert eight.mean_wait_seconds == pytest.approx((300 + 240 + 780) / 3)
    # Counter 1 open 08:00-09:30; counter 2 open from 08:00 to the day's last event (09:30).
    assert (eight.counters_open, nine.counters_open) == (2.0, 1.0)
    assert (nine.arrivals_per_day, nine.mean_wait_seconds) == (0.0, None)
    jht = ArrivalForecast({"JHT": {8: 4.0}}, {"JHT": 450 / 60})
    jkm = ArrivalForecast({"JKM": {8: 1.0}}, {"JKM": 600 / 60})
    planned = (total_counters_by_hour(plan_staffing(jht, 270 / 60, 0.8))[8]
               + total_counters_by_hour(plan_staffing(jkm, 30, 0.8))[8])
    assert eight.counters_recommended == planned
    assert nine.counters_recommended == 0


def test_estimate_accuracy(day: Report) -> None:
    # A001 told 360, waited 300 (in window); A002 told 100, waited 240 (out);
    # B001 told 600, waited 780 (in). A003/A004 were never called: no real wait to judge.
    assert day.accuracy.count == 3
    assert day.accuracy.mae_seconds == pytest.approx((60 + 140 + 180) / 3)
    assert day.accuracy.bias_seconds == pytest.approx((60 - 140 - 180) / 3)
    assert day.accuracy.within_window == pytest.approx(2 / 3)
    assert day.accuracy_by_service["JHT"].count == 2
    assert day.heatmap == day.wait_heatmap == {}
    assert (day.survey.responses, day.survey.response_rate) == (0, 0.0)  # 2 served, none rated
    assert day.bookings.total.made == day.bookings.total.served_booked == 0


def test_a_day_outside_the_range_is_left_out(store: Store, day: Report) -> None:
    empty = build_report(store, "TST", date(2026, 11, 24), date(2026, 11, 30))
    assert (empty.days, empty.issued, empty.services, empty.hours) == (0, 0, (), ())


def test_report_command_writes_the_page_and_tables(
    day: Report, database_url: str, tmp_path: Path
) -> None:
    args = argparse.Namespace(first=MONDAY, last=MONDAY, out=tmp_path / "day.html",
                              csv=tmp_path / "tables", branch="tst", branches=None,
                              central=None)
    context = CommandContext(database_url, None)
    output = io.StringIO()
    try:
        run_report(args, context, Console(file=output, width=200))
    finally:
        context.close()
    assert "Report of 5 tickets over 1 day(s)" in output.getvalue()
    assert "Kantor Cabang Uji" in args.out.read_text(encoding="utf-8")
    hours = (tmp_path / "tables" / "hours.csv").read_text().splitlines()
    assert hours[1].startswith("8,5.0,440.0,2.0,")
    with pytest.raises(CommandError, match="must not be before"):
        run_report(argparse.Namespace(first=MONDAY, last=date(2026, 11, 1)), context, Console())


def test_promise_kept_counts_every_visitor_given_a_window(day: Report) -> None:
    # JHT: A001 called inside its window; A002 after it; A003 (cancelled) and A004 were given a
    # window at issue and never called. JKM: B001 called inside.
    assert (day.accuracy_by_service["JHT"].promised,
            day.accuracy_by_service["JHT"].promise_kept) == (4, pytest.approx(1 / 4))
    assert day.accuracy_by_service["JKM"].promise_kept == 1.0
    assert (day.accuracy.promised, day.accuracy.promise_kept) == (5, pytest.approx(2 / 5))
