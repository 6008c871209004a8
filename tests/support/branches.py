"""A small branch for tests: three services, four counters, open every weekday 08:00-15:00."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.config import BranchConfig, parse_branch_config

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Monday, 08:00 in Serang.
MONDAY_0800 = datetime(2026, 11, 23, 8, 0, tzinfo=JAKARTA)

SMALL_BRANCH = """
[branch]
code = "TST"
name = "Kantor Cabang Uji"
timezone = "Asia/Jakarta"
holidays = [2026-12-25]
[branch.opening_hours]
mon = ["08:00", "15:00"]
tue = ["08:00", "15:00"]
wed = ["08:00", "15:00"]
thu = ["08:00", "15:00"]
fri = ["08:00", "15:00"]

[queue]
max_calls = 3
no_show_grace_minutes = 30

[[services]]
code = "JHT"
prefix = "A"
name_id = "Klaim JHT"
name_en = "JHT claim"
mean_service_minutes = 12

[[services]]
code = "JKM"
prefix = "B"
name_id = "Klaim JKM"
name_en = "JKM claim"
mean_service_minutes = 20
transfer_keeps_place = false

[[services]]
code = "RESET"
prefix = "D"
name_id = "Reset akun JMO"
name_en = "JMO account reset"
daily_quota = 3
priority_allowed = false
mean_service_minutes = 5
[services.issuing_hours]
mon = ["08:00", "08:30"]
tue = ["08:00", "08:30"]

[[counters]]
number = 1
services = ["JHT"]

[[counters]]
number = 2
services = ["JHT", "JKM"]
call_policy = "service_order"

[[counters]]
number = 3
services = ["JKM", "JHT"]

[[counters]]
number = 4
services = ["RESET"]
"""


def small_branch() -> BranchConfig:
    return parse_branch_config(SMALL_BRANCH, "small-branch.toml")
