"""The state the estimator reads: plain values, no database, so it can be tested by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    code: str
    prior_mean_seconds: float
    closing_at: datetime | None  # when counters stop serving today (branch closing)


@dataclass(frozen=True)
class CurrentVisit:
    service_id: int
    state: str  # "called" or "serving"
    since: datetime  # called_at or started_at


# A closed counter assumed to open at `state_since` (no counter of its services is open yet).
EXPECTED = "expected"


@dataclass(frozen=True)
class CounterInfo:
    id: int
    number: int
    state: str  # "open", "paused", "closed" or EXPECTED
    service_ids: tuple[int, ...]  # in the counter's order of preference
    policy: str = "longest_waiting"
    current: CurrentVisit | None = None
    state_since: datetime | None = None
    pause_reason: str = ""
    # When it is expected to call nobody today: rostered absences and breaks, and an open
    # counter that has stopped calling although its visitors wait (until as long again).
    away: tuple[tuple[datetime, datetime], ...] = ()


# Bookings not yet checked in stand in the queue under ids from here on (below the phantoms).
BOOKING_ID_BASE = 1 << 59


@dataclass(frozen=True)
class WaitingTicket:
    id: int
    service_id: int
    queued_at: datetime
    priority: bool = False
    due_at: datetime | None = None
    # From this instant the visitor is owed the next call of their service ("janji
    # terlewat": the printed window ended more than the grace ago, never called).
    owed_at: datetime | None = None


@dataclass(frozen=True)
class Observed:
    """What today has shown so far for one service."""

    durations: tuple[float, ...] = ()  # start -> finish, seconds, most recent last
    # The previous visitor leaving the same counter (or the call) -> start
    walk_times: tuple[float, ...] = ()
    calls: int = 0
    no_shows: int = 0
    no_show_costs: tuple[float, ...] = ()  # first call -> marked no-show
    # (wait until first call, came?) of today's called tickets: how patience runs out.
    called: tuple[tuple[float, bool], ...] = ()
    priority_issued_last_hour: int = 0


SLOT_SECONDS = 15 * 60
SLOTS = 24 * 3600 // SLOT_SECONDS


@dataclass(frozen=True)
class DayProfile:
    """Per counter, the share of earlier business days it was open in each 15-minute slot."""

    midnight: datetime  # today's local midnight, as an aware instant
    open_share: dict[int, tuple[float, ...]]  # counter id -> SLOTS values
    # service id -> SLOTS values: priority tickets issued per slot, on average over those days
    priority_arrivals: dict[int, tuple[float, ...]] = field(default_factory=dict)

    def slot(self, moment: datetime) -> int:
        return min(max(int((moment - self.midnight).total_seconds() // SLOT_SECONDS), 0), SLOTS - 1)


@dataclass(frozen=True)
class QueueState:
    now: datetime
    services: dict[int, ServiceInfo]
    counters: tuple[CounterInfo, ...]
    waiting: tuple[WaitingTicket, ...]
    observed: dict[int, Observed] = field(default_factory=dict)
    profile: DayProfile | None = None
    # How long a break (a pause not for leave) lasts here: the median of the pauses this
    # branch's counters came back from today and on earlier days; None: none seen yet.
    break_seconds: float | None = None
    # Counter id -> when it first paused for a break today (not for leave).
    breaks_begun: dict[int, datetime] = field(default_factory=dict)
