"""Small texts the counter screens build from values: durations, states, service names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from shared.i18n import Translator
from shared.services.desk import ServiceChoice


def duration(tr: Translator, seconds: float | None) -> str:
    """ "4 mnt", "1 j 05 mnt"; under a minute counts as "< 1 mnt"."""
    if seconds is None:
        return "–"
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return tr("counter.duration.under_minute")
    if minutes < 60:
        return tr("counter.duration.minutes", minutes=minutes)
    return tr("counter.duration.hours", hours=minutes // 60, minutes=f"{minutes % 60:02d}")


def stopwatch(seconds: float) -> str:
    """m:ss for what is running now (a call, a visit)."""
    whole = int(max(seconds, 0))
    return f"{whole // 60}:{whole % 60:02d}"


def clock_time(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M") if moment else "–"


def counter_state(tr: Translator, state: str) -> str:
    return tr(f"counter.state.{state}")


def service_name(tr: Translator, service: ServiceChoice) -> str:
    return service.name_en if tr.language == "en" else service.name_id
