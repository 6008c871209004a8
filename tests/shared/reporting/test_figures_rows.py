"""Figures from hand-made rows: counters open per hour, the weekday heatmap, the CLI."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.cli import report as report_command
from shared.reporting.figures import compute_report, counter_open_seconds
from shared.reporting.reading import EventRow, ReportRows, ServiceRow, TicketRow

JAKARTA = ZoneInfo("Asia/Jakarta")


def counter_event(at: datetime, counter: int, to_state: str) -> EventRow:
    return EventRow(at, f"counter.{to_state}", None, counter, 1, None, to_state, "")


def issued(ticket: int, at: datetime) -> EventRow:
    return EventRow(at, "ticket.issued", ticket, None, None, 1, "waiting", "")


def test_open_time_splits_at_hours_and_leaves_out_pauses() -> None:
    day = datetime(2026, 11, 23, tzinfo=JAKARTA)
    events = [
        counter_event(day.replace(hour=8, minute=30), 1, "open"),
        counter_event(day.replace(hour=9, minute=10), 1, "paused"),
        counter_event(day.replace(hour=9, minute=40), 1, "open"),  # resumed
        counter_event(day.replace(hour=10, minute=15), 1, "closed"),
        counter_event(day.replace(hour=8), 2, "open"),  # never closed
    ]
    last = issued(1, day.replace(hour=11, minute=30))  # the day's last event
    seconds = counter_open_seconds(events, [last], JAKARTA)
    # Counter 1: 08:30-09:10 and 09:40-10:15; counter 2: 08:00 to 11:30.
    assert seconds == {
        8: (30 + 60) * 60.0,
        9: (10 + 20 + 60) * 60.0,
        10: (15 + 60) * 60.0,
        11: 30 * 60.0,
    }


def test_heatmap_averages_each_weekday_over_a_long_range() -> None:
    first = date(2026, 11, 2)  # a Monday; three weeks of weekdays
    calendar = [first + timedelta(days=n) for n in range(19)]
    days = [day for day in calendar if day.weekday() < 5]
    rows = ReportRows("TST", "Uji", JAKARTA, first, days[-1],
                      services={1: ServiceRow(1, "JHT", "Klaim JHT", "JHT claim", 1800, 600)})
    ticket = 0
    for day in days:
        # Mondays: 3 visitors at 08:xx; other days: 1 at 09:xx.
        hour, count = (8, 3) if day.weekday() == 0 else (9, 1)
        for n in range(count):
            ticket += 1
            rows.tickets.append(TicketRow(ticket, day, 1, None, None, None))
            at = datetime(day.year, day.month, day.day, hour, n, tzinfo=JAKARTA)
            rows.ticket_events.append(issued(ticket, at))
            # Called after (n + 1) minutes on Mondays, 10 minutes on other days.
            wait = timedelta(minutes=n + 1 if day.weekday() == 0 else 10)
            rows.ticket_events.append(
                EventRow(at + wait, "ticket.call", ticket, 1, 1, 1, "called", ""))
    report = compute_report(rows)
    assert report.days == 15
    assert report.heatmap == {(0, 8): 3.0, (1, 9): 1.0, (2, 9): 1.0, (3, 9): 1.0, (4, 9): 1.0}
    assert [(h.hour, h.arrivals_per_day) for h in report.hours] == [(8, 9 / 15), (9, 12 / 15)]
    assert report.wait_heatmap == {(0, 8): 120.0, (1, 9): 600.0, (2, 9): 600.0,
                                   (3, 9): 600.0, (4, 9): 600.0}
    assert report.never_called == 0
    assert report.waits.median == 600.0


def test_report_command_parses_its_options(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branch")
    commands = parser.add_subparsers(dest="command")
    report_command.add_parser(commands)
    out = tmp_path / "r.html"
    args = parser.parse_args(["--branch", "TST", "report", "--from", "2026-11-02",
                              "--to", "2026-11-06", "--out", str(out)])
    assert (args.branch, args.first, args.last, args.out, args.csv) == (
        "TST", date(2026, 11, 2), date(2026, 11, 6), out, None)
    assert args.run is report_command.run_report
    args = parser.parse_args(["report", "--from", "2026-11-02", "--to", "2026-11-06",
                              "--branch", "SRG", "--out", str(out), "--csv", str(tmp_path)])
    assert (args.branch, args.csv) == ("SRG", tmp_path)
    with pytest.raises(SystemExit):
        parser.parse_args(["report", "--from", "2026-13-01", "--to", "2026-11-06",
                           "--out", str(out)])
