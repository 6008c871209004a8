"""Play the queue forward: which counter calls each waiting visitor, and when (expected).

Counters take visitors in docs/design.md's order (priority, due bookings, the counter's service
order where it has one, visitors owed a missed window, then the longest wait), as
`calling.next_in_line` does. Each call keeps the counter busy for the expected handling
time of that service. One "phantom" per service, queued now with zero duration, tells when a
visitor taking a ticket now would be called.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.estimation.model import (
    BOOKING_ID_BASE,
    EXPECTED,
    SLOT_SECONDS,
    SLOTS,
    CounterInfo,
    DayProfile,
    QueueState,
    WaitingTicket,
)
from shared.estimation.service_times import Handling, remaining_time

# A paused counter is expected back after a typical break (this one until the branch has
# shown its own, state.break_seconds); a pause for leave is not.
EXPECTED_BREAK_SECONDS = 20 * 60
MIN_REMAINING_BREAK_SECONDS = 3 * 60
LEAVE_WORDS = ("cuti", "leave", "izin", "sakit", "pulang")
# Priority arrivals are assumed to take at most this share of a counter's time.
MAX_PRIORITY_SHARE = 0.5
# A counter open on at least this share of earlier days is "usually open" in that slot.
USUALLY = 0.5
# A counter open on less than this share of the days it is open now is usually away then:
# it calls nobody in that slot (an absent officer, a fixed meeting), it does not go slower.
AWAY = 0.5
# A usual break (at most MAX_BREAK_SLOTS long) not yet taken is still expected this many
# slots after its usual end: lunch taken late.
LATE_BREAK_SLOTS = 6
MAX_BREAK_SLOTS = 8
# A visit already running longer than expected is expected to need a bit more still.
MIN_RESIDUAL_SHARE = 0.2


@dataclass(frozen=True)
class Projected:
    """When a ticket is expected to be called, with the pooled uncertainty of getting there."""

    seconds: float  # from now
    variance: float
    counters: int  # counters that could serve it
    position: int  # visitors called before it at those counters


def _usual_return(counter: CounterInfo, now: datetime, profile: DayProfile | None) -> float | None:
    """For a closed counter: when it usually opens again today (the next slot where earlier
    days turn from mostly closed to mostly open); None when nothing says it will."""
    shares = profile.open_share.get(counter.id) if profile else None
    if profile is None or shares is None:
        return None
    current = profile.slot(now)
    for slot in range(current + 1, SLOTS):
        if shares[slot] >= USUALLY and shares[slot - 1] < USUALLY:
            return (profile.midnight + timedelta(seconds=slot * SLOT_SECONDS) - now).total_seconds()
    return None


def _pace(counter: CounterInfo, profile: DayProfile | None, now: datetime) -> list[float] | None:
    """Per slot, how much longer a visit takes there because the counter is often away then
    (lunch, prayers, a regular meeting), relative to now; 0 where it is usually away, so it
    calls nobody there. None without a history."""
    shares = profile.open_share.get(counter.id) if profile else None
    if profile is None or shares is None:
        return None
    here = shares[profile.slot(now)]
    base = max(here, 0.5)
    # Open now although earlier days seldom saw it then: away only where it was rarer still.
    away = AWAY * (here if counter.state == "open" else base)
    slowest = AWAY * base  # where it is there, visits take at most 1/AWAY as long
    pace = [0.0 if share < away else base / min(max(share, slowest), base) for share in shares]
    late = _break_still_due(counter, profile, shares, now)
    if late is not None:
        # Open through its usual break: it is expected to take it now, for as long.
        current = profile.slot(now)
        for slot in range(current + 1, min(current + 1 + late, SLOTS)):
            pace[slot] = 0.0
    return pace


def _break_still_due(
    counter: CounterInfo, profile: DayProfile, shares: tuple[float, ...], now: datetime
) -> int | None:
    """Slots of the usual mid-day break this counter has not taken yet: open without a stop
    since before that break began, now inside it or less than LATE_BREAK_SLOTS after it.
    None when no break is due (paused or reopened since, or no usual break near)."""
    if counter.state != "open" or counter.state_since is None:
        return None
    top = max(shares)
    if top <= 0:
        return None
    away = [share < AWAY * top for share in shares]
    current = profile.slot(now)
    end = current + 1
    while end < SLOTS and away[end - 1] and away[end]:
        end += 1  # inside a usual break now: to its end
    while end > 0 and not away[end - 1]:
        end -= 1  # the end of the last usual break that began by now
    if end == 0 or current - end >= LATE_BREAK_SLOTS:
        return None
    start = end - 1
    while start > 0 and away[start - 1]:
        start -= 1
    if start == 0 or end - start > MAX_BREAK_SLOTS or end >= SLOTS or away[end]:
        return None  # not a break between working slots: the day's start or end
    began = profile.midnight + timedelta(seconds=start * SLOT_SECONDS)
    return end - start if counter.state_since <= began else None


def _rostered_back(counter: CounterInfo, moment: datetime) -> datetime | None:
    """When an absence that covers `moment` ends (the last of overlapping ones); else None."""
    back = None
    for starts, ends in counter.away:
        if starts <= (back or moment) < ends:
            back = ends
    return back


def _back(pace: list[float], slot: int) -> int | None:
    """The first slot from `slot` on where the counter is usually there; None: not today."""
    for later in range(slot, SLOTS):
        if pace[later] > 0:
            return later
    return None


def _available_at(
    counter: CounterInfo,
    now: datetime,
    handling: dict[int, Handling],
    profile: DayProfile | None = None,
    break_seconds: float | None = None,
) -> float | None:
    """Seconds from now until this counter can call someone; None if it will not today."""
    if counter.state == "closed":
        # Closed for a rostered absence: back when it ends, whatever earlier days did.
        rostered = _rostered_back(counter, now)
        if rostered is not None:
            return (rostered - now).total_seconds()
        return _usual_return(counter, now, profile)
    start = 0.0
    if counter.state == EXPECTED:
        opens = counter.state_since or now
        return max((opens - now).total_seconds(), 0.0)
    if counter.state == "paused":
        if any(word in counter.pause_reason.lower() for word in LEAVE_WORDS):
            return None
        paused_for = (now - counter.state_since).total_seconds() if counter.state_since else 0.0
        usual = break_seconds or EXPECTED_BREAK_SECONDS
        start = max(usual - paused_for, MIN_REMAINING_BREAK_SECONDS)
    visit = counter.current
    if visit is not None and visit.service_id in handling:
        h = handling[visit.service_id]
        elapsed = max((now - visit.since).total_seconds(), 0.0)
        if visit.state == "serving":
            cv = math.sqrt(h.present_variance) / h.service_mean if h.service_mean > 0 else 0.0
            residual = max(remaining_time(h.service_mean, cv, elapsed),
                           MIN_RESIDUAL_SHARE * h.service_mean)
        else:  # called, not yet at the desk
            residual = max(h.present_mean - elapsed, MIN_RESIDUAL_SHARE * h.present_mean)
        start = max(start, residual)
    return start


class _ServiceQueue:
    """One service's waiting tickets in call order; taken ones are skipped lazily.

    The projection asks at ever later instants, so the visitors owed a missed window by each
    instant are moved into their own line (first come first) as that instant passes."""

    def __init__(self, tickets: list[WaitingTicket]) -> None:
        self.priority = sorted(
            (t for t in tickets if t.priority), key=lambda t: (t.queued_at, t.id)
        )
        rest = [t for t in tickets if not t.priority]
        self.regular = sorted(rest, key=lambda t: (t.queued_at, t.id))
        self.bookings = sorted((t for t in rest if t.due_at), key=lambda t: (t.due_at, t.id))
        self.becoming_owed = sorted(
            (t for t in rest if t.owed_at is not None), key=lambda t: (t.owed_at, t.id)
        )
        self.owed: list[tuple[datetime, int, WaitingTicket]] = []  # heap by (queued_at, id)
        self.taken: set[int] = set()
        self._at = {"priority": 0, "regular": 0, "bookings": 0, "becoming_owed": 0}

    def _first(self, name: str, items: list[WaitingTicket]) -> WaitingTicket | None:
        index = self._at[name]
        while index < len(items) and items[index].id in self.taken:
            index += 1
        self._at[name] = index
        return items[index] if index < len(items) else None

    def _owed_by(self, at: datetime) -> WaitingTicket | None:
        """The first-come visitor owed the next call by `at` (calling.next_in_line's rule)."""
        while (ticket := self._first("becoming_owed", self.becoming_owed)) is not None and (
            ticket.owed_at is not None and ticket.owed_at <= at
        ):
            heapq.heappush(self.owed, (ticket.queued_at, ticket.id, ticket))
            self._at["becoming_owed"] += 1
        while self.owed and self.owed[0][2].id in self.taken:
            heapq.heappop(self.owed)
        return self.owed[0][2] if self.owed else None

    def head(self, at: datetime) -> tuple[WaitingTicket, bool, bool] | None:
        """The ticket this service offers next, whether it is a due booking, and whether
        it is owed a missed window."""
        ticket = self._first("priority", self.priority)
        if ticket is not None and ticket.queued_at <= at:  # expected ones count once come
            return ticket, False, False
        booking = self._first("bookings", self.bookings)
        if booking is not None and booking.due_at is not None and booking.due_at <= at:
            return booking, True, False
        owed = self._owed_by(at)
        if owed is not None:
            return owed, False, True
        ticket = self._first("regular", self.regular)
        return (ticket, False, False) if ticket is not None else None


class _Queues:
    def __init__(self, tickets: list[WaitingTicket]) -> None:
        grouped: dict[int, list[WaitingTicket]] = {}
        for ticket in tickets:
            grouped.setdefault(ticket.service_id, []).append(ticket)
        self.by_service = {sid: _ServiceQueue(group) for sid, group in grouped.items()}

    def pick(self, counter: CounterInfo, at: datetime) -> WaitingTicket | None:
        best: WaitingTicket | None = None
        best_key: tuple[object, ...] | None = None
        for rank, service_id in enumerate(counter.service_ids):
            queue = self.by_service.get(service_id)
            offered = queue.head(at) if queue else None
            if offered is None:
                continue
            ticket, due, owed = offered
            order = rank if counter.policy == "service_order" else 0
            key = (not ticket.priority, not due, order, not owed, ticket.queued_at, ticket.id)
            if best_key is None or key < best_key:
                best, best_key = ticket, key
        if best is not None:
            self.by_service[best.service_id].taken.add(best.id)
        return best


# Priority visitors expected from earlier days stand in the queue under ids from here on.
EXPECTED_PRIORITY_BASE = BOOKING_ID_BASE + (1 << 58)


def _expected_priority(state: QueueState) -> list[WaitingTicket]:
    """Priority visitors still to come today, as earlier days saw them come by time of day:
    one each time the expected count since now passes another half visitor. In the current
    slot, those already waiting from it are part of what earlier days expected, not extra."""
    profile = state.profile
    if profile is None:
        return []
    result: list[WaitingTicket] = []
    current = profile.slot(state.now)
    slot_start = profile.midnight + timedelta(seconds=current * SLOT_SECONDS)
    into = (state.now - slot_start).total_seconds()
    for sid, per_slot in profile.priority_arrivals.items():
        if sid not in state.services:
            continue
        came = sum(1 for t in state.waiting
                   if t.priority and t.service_id == sid and t.queued_at >= slot_start)
        expected, made = 0.0, 0
        for slot in range(current, SLOTS):
            begin, amount = 0.0, per_slot[slot]
            if slot == current:
                begin = into
                amount = min(amount * (1 - into / SLOT_SECONDS), max(0.0, amount - came))
            rate = amount / (SLOT_SECONDS - begin) if amount > 0 else 0.0
            while rate > 0 and expected + rate * (SLOT_SECONDS - begin) >= made + 0.5:
                begin += (made + 0.5 - expected) / rate
                expected = made + 0.5
                at = profile.midnight + timedelta(seconds=slot * SLOT_SECONDS + begin)
                result.append(WaitingTicket(EXPECTED_PRIORITY_BASE + len(result), sid, at, True))
                made += 1
            expected += rate * (SLOT_SECONDS - begin)
    return result


def _priority_slowdown(
    state: QueueState,
    counters: list[CounterInfo],
    handling: dict[int, Handling],
    eligible: dict[int, int],
) -> list[float]:
    """Per counter, 1 / (1 - share of its time that priority arrivals will take): they jump
    ahead of everyone already waiting, at the rate seen in the last hour."""
    factors = []
    for counter in counters:
        busy = 0.0
        for sid in counter.service_ids:
            seen = state.observed.get(sid)
            if seen is None or sid not in handling or not eligible.get(sid):
                continue
            if state.profile is not None and sid in state.profile.priority_arrivals:
                continue  # earlier days say when they come: they stand in the queue
            rate = seen.priority_issued_last_hour / 3600.0
            busy += rate * handling[sid].mean / eligible[sid]
        factors.append(1.0 / (1.0 - min(busy, MAX_PRIORITY_SHARE)))
    return factors


def serving(state: QueueState, handling: dict[int, Handling]) -> set[int]:
    """Services some counter is expected to call for later today (open, on a break, due to
    open or back from an absence): a visitor of theirs the projection does not reach is one
    those counters have no time for before they stop, not one nobody will be there for."""
    result: set[int] = set()
    for counter in state.counters:
        if _available_at(counter, state.now, handling, state.profile,
                         state.break_seconds) is not None:
            result.update(counter.service_ids)
    return result & set(state.services)


def project(
    state: QueueState,
    handling: dict[int, Handling],
    phantoms: Mapping[tuple[int, bool], WaitingTicket],
) -> dict[int, Projected]:
    """Expected call time of every waiting ticket and phantom (by id); missing = not today."""
    now = state.now
    free: list[tuple[float, int]] = []
    counters = list(state.counters)
    eligible = {sid: 0 for sid in state.services}
    profile = state.profile
    paces: list[list[float] | None] = []
    for index, counter in enumerate(counters):
        paces.append(_pace(counter, profile, now))
        start = _available_at(counter, now, handling, profile, state.break_seconds)
        if start is None:
            continue
        heapq.heappush(free, (start, index))
        for service_id in counter.service_ids:
            if service_id in eligible:
                eligible[service_id] += 1
    slowdown = _priority_slowdown(state, counters, handling, eligible)
    queues = _Queues([*state.waiting, *_expected_priority(state), *phantoms.values()])
    phantom_ids = {p.id for p in phantoms.values()}
    results: dict[int, Projected] = {}
    served_before: dict[int, int] = {}  # per service: visitors called ahead so far
    workload_variance: dict[int, float] = {}
    # Time saved ahead by visitors expected to have walked out: the least certain part.
    walked_out: dict[int, float] = {}
    while free:
        at, index = heapq.heappop(free)
        counter = counters[index]
        pace = paces[index]
        if pace is not None and profile is not None:
            slot = profile.slot(now + timedelta(seconds=at))
            if pace[slot] == 0:
                # Usually away now: the counter calls the next visitor when it is usually back.
                back = _back(pace, slot)
                if back is not None:
                    since_now = (profile.midnight - now).total_seconds() + back * SLOT_SECONDS
                    heapq.heappush(free, (max(since_now, at), index))
                continue
        back_at = _rostered_back(counter, now + timedelta(seconds=at))
        if back_at is not None:
            # Rostered away (or silent): it calls the next visitor when the absence ends.
            heapq.heappush(free, ((back_at - now).total_seconds(), index))
            continue
        ticket = queues.pick(counter, now + timedelta(seconds=at))
        if ticket is None:
            continue  # nothing left that this counter serves: it idles from here on
        c = max(eligible.get(ticket.service_id, 1), 1)
        variance = workload_variance.get(ticket.service_id, 0.0)
        doubt = handling[ticket.service_id].walk_out_doubt
        variance += (doubt * walked_out.get(ticket.service_id, 0.0)) ** 2
        results[ticket.id] = Projected(at, variance, c, served_before.get(ticket.service_id, 0))
        if ticket.id in phantom_ids:
            heapq.heappush(free, (at, index))
            continue
        waited = (now - ticket.queued_at).total_seconds() + at
        h = handling[ticket.service_id]
        mean, variance = h.after(waited)
        saved = h.after(0.0)[0] - mean
        for service_id in counter.service_ids:
            # Pooled renewal variance: n visits shared by c counters spread by n*var/c^2.
            share = max(eligible.get(service_id, 1), 1)
            workload_variance[service_id] = workload_variance.get(service_id, 0.0) + (
                variance / share**2
            )
            walked_out[service_id] = walked_out.get(service_id, 0.0) + saved / share
            served_before[service_id] = served_before.get(service_id, 0) + 1
        if not ticket.priority:
            # Priority visitors still to come will be called before this one.
            mean *= slowdown[index]
        if pace is not None and profile is not None:
            mean *= pace[profile.slot(now + timedelta(seconds=at))]
        heapq.heappush(free, (at + mean, index))
    return results
