"""Ticket labels as visitors read them: prefix letter(s) and a zero-padded daily number."""

from __future__ import annotations

import re

# The largest daily number a label can carry: a two-letter prefix and six digits fill the
# eight characters a stored label has. Numbers run past 9,999 (a daily quota may be 10,000, or
# there may be none), so labels are zero-padded to three digits and as long as they need.
MAX_DAILY_NUMBER = 999_999

_LABEL = re.compile(r"^([A-Z]{1,2})(\d{1,6})$")


def format_label(prefix: str, number: int) -> str:
    if not 1 <= number <= MAX_DAILY_NUMBER:
        raise ValueError(f"ticket number {number} is not 1-{MAX_DAILY_NUMBER}")
    return f"{prefix}{number:03d}"


def parse_label(label: str) -> tuple[str, int]:
    match = _LABEL.match(label.strip().upper())
    if match is None:
        raise ValueError(f"{label!r} is not a ticket number like A012")
    return match.group(1), int(match.group(2))
