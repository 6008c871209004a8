"""A small scenario on the test branch (tests/support/branches.py): about 90 visitors."""

from __future__ import annotations

from pathlib import Path

from tests.support.branches import SMALL_BRANCH

# A Tuesday: the RESET service issues 08:00-08:30 on Mondays and Tuesdays, quota 3.
SMALL_DAY = """
name = "Hari uji / test day"
branch_config = "branch.toml"
date = 2026-11-24
seed = 3

[visitors]
door_wait_minutes = 45

[officers]
recall_interval_seconds = 45

[shift]
start = "08:00"
end = "12:00"

[[services]]
code = "JHT"
arrivals = { 7 = 4, 8 = 16, 9 = 14, 10 = 10, 11 = 4 }
mean_minutes = 7
cv = 0.5
no_show_share = 0.1
walk_out_patience_minutes = 40
priority_share = 0.1
transfer = { to = "JKM", share = 0.3 }

[[services]]
code = "JKM"
arrivals = { 8 = 5, 9 = 5, 10 = 4 }
mean_minutes = 9

[[services]]
code = "RESET"
arrivals = { 7 = 3, 8 = 6 }
mean_minutes = 3

[[counters]]
number = 1
breaks = [["10:00", 20]]

[[counters]]
number = 2
absent = [["09:00", "10:30"]]

[[counters]]
number = 3
absent = [["08:00", "09:15"]]

[[counters]]
number = 4
end = "09:30"
"""


def write_small_day(folder: Path, text: str = SMALL_DAY) -> Path:
    """The scenario and the test branch it names, side by side in `folder`."""
    (folder / "branch.toml").write_text(SMALL_BRANCH, encoding="utf-8")
    path = folder / "day.toml"
    path.write_text(text, encoding="utf-8")
    return path
