"""The gap between the roster and the staffing plan, hour by hour, merged into spans."""

from __future__ import annotations

from shared.planning.staffing import StaffingGap, StaffingRow, roster_gaps


def row(hour: int, service: str, needed: int) -> StaffingRow:
    return StaffingRow(hour, service, 10.0, 10.0, needed, 0.8, 5.0, 0.7)


def test_hours_short_by_the_same_count_are_one_span() -> None:
    rows = [row(8, "JHT", 3), row(9, "JHT", 4), row(10, "JHT", 4), row(11, "JHT", 4),
            row(12, "JHT", 2), row(9, "JKM", 1)]
    available = {"JHT": {8: 3.0, 9: 2.0, 10: 2.0, 11: 2.0, 12: 2.0}, "JKM": {9: 0.5}}
    gaps = roster_gaps(rows, available)
    assert gaps == [StaffingGap("JHT", 9, 12, 2), StaffingGap("JKM", 9, 10, 1)]
    assert gaps[0].describe() == "short by 2 counters for JHT 09:00–12:00"
    assert gaps[1].describe() == "short by 1 counter for JKM 09:00–10:00"


def test_a_covered_plan_has_no_gap() -> None:
    assert roster_gaps([row(8, "JHT", 2)], {"JHT": {8: 2.0}}) == []
    assert roster_gaps([row(8, "JHT", 0)], {}) == []
