"""Ticket labels as visitors read them: prefix letter(s) and a zero-padded daily number."""

from __future__ import annotations

import re

_LABEL = re.compile(r"^([A-Z]{1,2})(\d{1,4})$")


def format_label(prefix: str, number: int) -> str:
    return f"{prefix}{number:03d}"


def parse_label(label: str) -> tuple[str, int]:
    match = _LABEL.match(label.strip().upper())
    if match is None:
        raise ValueError(f"{label!r} is not a ticket number like A012")
    return match.group(1), int(match.group(2))
