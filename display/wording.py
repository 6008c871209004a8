"""How the display words waits, dates and times for the lobby (plain Python, no Qt)."""

from __future__ import annotations

from datetime import datetime

from shared.estimation.window import WaitEstimate
from shared.i18n import Translator
from shared.services.service_outlook import ServiceOutlook, wait_minutes

_DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip
# Indonesia's three time zones, as everyone writes them after a time.
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def wait_range_minutes(estimate: WaitEstimate) -> tuple[int, int]:
    """(low, high) minutes of the 80 % window: the figures the kiosk and the ticket show too."""
    return wait_minutes(estimate)


def wait_text(tr: Translator, estimate: WaitEstimate) -> str:
    """'15–25 menit', or '< 8 menit' when a visitor may be called almost at once."""
    low, high = wait_range_minutes(estimate)
    if low == 0:
        return tr("display.wait.under", high=high)
    if low == high:
        return tr("display.wait.about", minutes=high)
    return tr("display.wait.range", low=low, high=high)


def service_wait_text(tr: Translator, line: ServiceOutlook) -> str:
    """What the estimate column says: the range, or why there is none."""
    if line.opens_later_today is not None:
        return tr("display.issuing.opens", time=f"{line.opens_later_today:%H:%M}")
    if line.issuing != "open":
        state = tr(f"display.issuing.{line.issuing}")
        # No new tickets, yet people wait: say that those already holding one are served.
        if line.waiting > 0 and line.issuing != "unserved":
            return tr("display.issuing.still_served", state=state, count=line.waiting)
        return state
    if line.wait is None:
        return tr("display.wait.no_counter")
    return wait_text(tr, line.wait)


def indonesian_date(moment: datetime) -> str:
    """'Senin, 23 November 2026'."""
    day, month = _DAYS_ID[moment.weekday()], _MONTHS_ID[moment.month - 1]
    return f"{day}, {moment.day} {month} {moment.year}"


def clock_text(moment: datetime, zone_name: str) -> str:
    """'08:05 WIB'."""
    suffix = _ZONE_NAMES.get(zone_name, "")
    return f"{moment:%H:%M} {suffix}".rstrip()


def both_languages(tr: Translator, key: str, **values: object) -> str:
    """'Loket · Counters': the lobby reads both at once, Indonesian first."""
    first, second = tr.both(key, **values)
    return first if first == second else f"{first} · {second}"
