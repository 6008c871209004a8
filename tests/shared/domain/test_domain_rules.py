"""Pure domain rules: the lifecycle table, labels, opening hours, roles — no database."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from shared.clock import ManualClock
from shared.domain.calendar import closing_at, hours_on, is_open_at, next_opening
from shared.domain.labels import format_label, parse_label
from shared.domain.states import FINAL, TICKET_TRANSITIONS, Role, TicketState

WIB = ZoneInfo("Asia/Jakarta")
WEEK = {"mon": ["08:00", "15:00"], "fri": ["08:00", "11:30"]}


def test_the_lifecycle_matches_the_design() -> None:
    moves = {action: (set(src), dst) for action, (src, dst) in TICKET_TRANSITIONS.items()}
    assert moves["call"] == ({TicketState.WAITING}, TicketState.CALLED)
    assert moves["recall"] == ({TicketState.CALLED}, TicketState.CALLED)
    assert moves["no_show"] == ({TicketState.CALLED}, TicketState.NO_SHOW)
    assert moves["reinstate"] == ({TicketState.NO_SHOW}, TicketState.WAITING)
    assert moves["transfer"] == ({TicketState.SERVING}, TicketState.WAITING)
    assert moves["hold"] == ({TicketState.SERVING}, TicketState.HELD)
    assert moves["resume"] == ({TicketState.HELD}, TicketState.SERVING)
    assert moves["cancel"] == ({TicketState.WAITING}, TicketState.CANCELLED)
    # Nothing leaves a final state.
    assert not any(src & FINAL for src, _ in moves.values())


def test_labels_round_trip_and_refuse_garbage() -> None:
    assert format_label("A", 12) == "A012"
    assert format_label("BC", 1234) == "BC1234"
    assert parse_label(" a012 ") == ("A", 12)
    # Past 9,999 (a quota may be 10,000) the label grows, and still reads back.
    for prefix, number in [("A", 9999), ("A", 10000), ("BC", 123456), ("Z", 999_999)]:
        assert parse_label(format_label(prefix, number)) == (prefix, number)
    assert format_label("A", 10000) == "A10000"
    for wrong in [0, 1_000_000]:
        with pytest.raises(ValueError, match="ticket number"):
            format_label("A", wrong)
    for bad in ["", "12", "A", "ABC1", "A-1", "A1234567"]:
        with pytest.raises(ValueError, match="not a ticket number"):
            parse_label(bad)


def test_hours_holidays_and_the_next_opening() -> None:
    monday, friday = date(2026, 11, 23), date(2026, 11, 27)
    assert hours_on(WEEK, monday) == (time(8), time(15))
    assert hours_on(WEEK, date(2026, 11, 24)) is None  # Tuesday not listed: closed
    assert hours_on(WEEK, monday, [monday]) is None
    assert is_open_at(WEEK, datetime(2026, 11, 27, 11, 29, tzinfo=WIB))
    assert not is_open_at(WEEK, datetime(2026, 11, 27, 11, 30, tzinfo=WIB))
    assert closing_at(WEEK, datetime(2026, 11, 27, 9, tzinfo=WIB)) == datetime(
        2026, 11, 27, 11, 30, tzinfo=WIB
    )
    after_monday = datetime(2026, 11, 23, 15, 0, tzinfo=WIB)
    assert next_opening(WEEK, after_monday) == datetime(2026, 11, 27, 8, 0, tzinfo=WIB)
    assert next_opening(WEEK, after_monday, [friday]) == datetime(2026, 11, 30, 8, tzinfo=WIB)
    assert next_opening({}, after_monday) is None


def test_roles_rank() -> None:
    assert Role.ADMIN.at_least(Role.SUPERVISOR) and Role.SUPERVISOR.at_least(Role.OFFICER)
    assert not Role.OFFICER.at_least(Role.SUPERVISOR)


def test_manual_clock_never_runs_backwards() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 8, tzinfo=WIB))
    clock.advance(90)
    assert clock.now() == datetime(2026, 11, 23, 8, 1, 30, tzinfo=WIB)
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 23, 7, tzinfo=WIB))
    with pytest.raises(ValueError):
        ManualClock(datetime(2026, 11, 23, 8))
