"""How many bookings a slot can take: what the counters can serve in it, minus the walk-ins' share.

A counter that serves k services gives each of them 1/k of its time, so the services' booked
work together never exceeds the counter's time. A counter's time in a slot is weighted by how
often it was open then over the last weeks (lunch breaks, a desk that is rarely staffed); with
no history, every active counter counts as open all day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PROFILE_SLOT_SECONDS = 900  # the estimator's 15-minute profile slots


@dataclass(frozen=True)
class DeskTime:
    """One counter that serves the service being booked."""

    services_served: int
    open_share: Sequence[float] | None  # per 15-minute slot of the day; None: assume open


def open_seconds(desk: DeskTime, start: int, end: int) -> float:
    """Seconds the desk is expected to be open between two times of day (in seconds)."""
    if desk.open_share is None:
        return float(end - start)
    total = 0.0
    slot = start // PROFILE_SLOT_SECONDS
    while slot * PROFILE_SLOT_SECONDS < end and slot < len(desk.open_share):
        low = max(start, slot * PROFILE_SLOT_SECONDS)
        high = min(end, (slot + 1) * PROFILE_SLOT_SECONDS)
        total += max(high - low, 0) * desk.open_share[slot]
        slot += 1
    return total


def slot_capacity(
    desks: Sequence[DeskTime],
    start: int,
    end: int,
    mean_service_seconds: float,
    walk_in_share: float,
) -> int:
    """Bookings the slot [start, end) (seconds into the day) can take for one service."""
    if mean_service_seconds <= 0:
        raise ValueError("a mean service time must be positive")
    seconds = sum(open_seconds(d, start, end) / max(d.services_served, 1) for d in desks)
    visitors = seconds / mean_service_seconds
    # A tiny epsilon keeps 2.9999999 from flooring to 2.
    return max(math.floor(visitors * (1.0 - walk_in_share) + 1e-9), 0)
