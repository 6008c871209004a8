"""The report's figures, computed from audit rows alone: no database, no drawing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from shared.planning.forecast import forecast_from_arrivals
from shared.planning.staffing import plan_staffing, total_counters_by_hour
from shared.reporting.booking_figures import BookingFigures, compute_bookings
from shared.reporting.reading import EventRow, ReportRows
from shared.reporting.survey_figures import SurveyFigures, compute_survey

# The planner's aim for each service: this share called within the service's target wait.
PLANNED_LEVEL = 0.8
# A heatmap by weekday needs a few of each weekday to say anything.
HEATMAP_MIN_DAYS = 14


@dataclass(frozen=True)
class Distribution:
    """Seconds; median and p90 by linear interpolation (numpy's default), None when empty."""

    values: tuple[float, ...] = field(repr=False)
    median: float | None
    p90: float | None
    mean: float | None

    @property
    def count(self) -> int:
        return len(self.values)


def distribution(values: Iterable[float]) -> Distribution:
    data = tuple(values)
    if not data:
        return Distribution(data, None, None, None)
    array = np.asarray(data)
    return Distribution(
        data, float(np.median(array)), float(np.percentile(array, 90)), float(array.mean())
    )


@dataclass(frozen=True)
class ServiceFigures:
    code: str
    name_id: str
    name_en: str
    target_wait_seconds: int
    issued: int  # tickets first issued for this service
    transfers_in: int
    served: int  # finished here
    no_shows: int
    reinstated: int
    transfers_out: int
    cancelled: int
    # Joining this queue -> first call here: issue -> first call for the service issued for,
    # transfer -> next call for a service transferred into.
    waits: Distribution
    within_target: float | None  # share of those waits at or under the target
    service_times: Distribution  # start -> finish (or transfer), by the service served in


@dataclass(frozen=True)
class HourFigures:
    hour: int  # local
    arrivals_per_day: float
    mean_wait_seconds: float | None  # of tickets issued in this hour and called
    counters_open: float  # counters open on average over the hour (paused counts as not open)
    counters_recommended: int  # the planner's, for the average day's arrivals


@dataclass(frozen=True)
class Throughput:
    name: str  # "Loket 2" or an officer's name
    served: int
    mean_service_seconds: float | None


@dataclass(frozen=True)
class EstimateAccuracy:
    """The wait announced at issue against the real one (issue -> first call)."""

    count: int
    mae_seconds: float | None
    bias_seconds: float | None  # announced minus real: positive means we told too long a wait
    within_window: float | None  # share of real waits inside the announced window
    # The promise-kept rate: of every visitor given a window (called or not), the share called
    # inside it; one never called broke it.
    promised: int = 0
    promise_kept: float | None = None


@dataclass(frozen=True)
class Report:
    branch_code: str
    branch_name: str
    first: date
    last: date
    days: int  # business days with at least one ticket
    issued: int
    served: int
    no_shows: int
    reinstated: int
    transfers: int
    cancelled: int
    never_called: int  # issued in the range, never called
    services: tuple[ServiceFigures, ...]
    hours: tuple[HourFigures, ...]
    # (weekday 0=Monday, hour) -> arrivals on an average such weekday; empty on short ranges.
    heatmap: dict[tuple[int, int], float]
    # (weekday, hour of issue) -> mean wait in seconds of those called; empty on short ranges.
    wait_heatmap: dict[tuple[int, int], float]
    counters: tuple[Throughput, ...]
    officers: tuple[Throughput, ...]
    accuracy: EstimateAccuracy
    accuracy_by_service: dict[str, EstimateAccuracy]
    survey: SurveyFigures
    bookings: BookingFigures

    @property
    def waits(self) -> Distribution:
        """Every wait in a queue, first ones and after transfers."""
        return distribution(w for s in self.services for w in s.waits.values)


@dataclass
class _Visit:
    """What the events say about one ticket."""

    issued_at: datetime | None = None
    first_call_at: datetime | None = None
    transferred_at: datetime | None = None  # waiting in a new queue since, until called
    started: EventRow | None = None  # the open start, until finish or transfer


def compute_report(rows: ReportRows) -> Report:
    zone = rows.zone
    services = rows.services
    kinds: dict[tuple[str, int | None], int] = Counter()
    visits: dict[int, _Visit] = defaultdict(_Visit)
    segments: dict[int, list[float]] = defaultdict(list)  # service id -> service seconds
    by_counter: dict[int, list[float]] = defaultdict(list)
    by_officer: dict[int, list[float]] = defaultdict(list)
    transfer_waits: dict[int, list[float]] = defaultdict(list)
    for event in rows.ticket_events:
        assert event.ticket_id is not None
        kinds[event.kind, event.service_id] += 1
        visit = visits[event.ticket_id]
        if event.kind == "ticket.issued":
            visit.issued_at = event.at
        elif event.kind == "ticket.call":
            if visit.first_call_at is None:
                visit.first_call_at = event.at
            if visit.transferred_at is not None and event.service_id is not None:
                transfer_waits[event.service_id].append(
                    (event.at - visit.transferred_at).total_seconds()
                )
                visit.transferred_at = None
        elif event.kind == "ticket.start":
            visit.started = event
        elif event.kind in ("ticket.finish", "ticket.transfer") and visit.started is not None:
            start = visit.started
            seconds = (event.at - start.at).total_seconds()
            if start.service_id is not None:
                segments[start.service_id].append(seconds)
            if event.kind == "ticket.finish":
                if start.counter_id is not None:
                    by_counter[start.counter_id].append(seconds)
                if start.officer_id is not None:
                    by_officer[start.officer_id].append(seconds)
            visit.started = None
            if event.kind == "ticket.transfer":
                visit.transferred_at = event.at

    waits_by_service: dict[int, list[float]] = defaultdict(list)
    waits_by_hour: dict[int, list[float]] = defaultdict(list)
    waits_by_slot: dict[tuple[int, int], list[float]] = defaultdict(list)
    arrivals: list[tuple[str, datetime]] = []
    errors: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    issued_by_service: Counter[int] = Counter()
    never_called = 0
    promises: dict[str, list[bool]] = defaultdict(list)
    for ticket in rows.tickets:
        ticket_visit = visits.get(ticket.id)
        if ticket_visit is None or ticket_visit.issued_at is None:
            continue
        code = services[ticket.issued_service_id].code
        issued_by_service[ticket.issued_service_id] += 1
        local = ticket_visit.issued_at.astimezone(zone)
        arrivals.append((code, local))
        printed = ticket.window_low_seconds is not None and ticket.window_high_seconds is not None
        if ticket_visit.first_call_at is None:
            never_called += 1
            if printed:
                promises[code].append(False)
            continue
        wait = (ticket_visit.first_call_at - ticket_visit.issued_at).total_seconds()
        waits_by_service[ticket.issued_service_id].append(wait)
        waits_by_hour[local.hour].append(wait)
        waits_by_slot[local.weekday(), local.hour].append(wait)
        if ticket.estimate_seconds is not None:
            low = ticket.window_low_seconds
            high = ticket.window_high_seconds
            inside = low is not None and high is not None and low <= wait <= high
            errors[code].append((ticket.estimate_seconds - wait, inside))
        if printed:
            low, high = ticket.window_low_seconds, ticket.window_high_seconds
            promises[code].append(low is not None and high is not None and low <= wait <= high)

    service_figures = []
    for service in sorted(services.values(), key=lambda s: s.code):
        sid = service.id
        waits = waits_by_service.get(sid, []) + transfer_waits.get(sid, [])
        counts = (kinds[k, sid] for k in ("ticket.finish", "ticket.no_show", "ticket.reinstate",
                                           "ticket.transfer", "ticket.cancel"))
        served, no_shows, reinstated, transfers_out, cancelled = counts
        figures = ServiceFigures(
            code=service.code,
            name_id=service.name_id,
            name_en=service.name_en,
            target_wait_seconds=service.target_wait_seconds,
            issued=issued_by_service[sid],
            transfers_in=_transfers_into(rows.ticket_events, service.code),
            served=served,
            no_shows=no_shows,
            reinstated=reinstated,
            transfers_out=transfers_out,
            cancelled=cancelled,
            waits=distribution(waits),
            within_target=(
                sum(1 for w in waits if w <= service.target_wait_seconds) / len(waits)
                if waits
                else None
            ),
            service_times=distribution(segments.get(sid, [])),
        )
        if figures.issued or figures.transfers_in or figures.served:
            service_figures.append(figures)

    dates = {t.business_date for t in rows.tickets}
    days = len(dates)
    hours = _hours(rows, arrivals, waits_by_hour, segments, days)
    all_errors = [e for pairs in errors.values() for e in pairs]
    served = sum(s.served for s in service_figures)
    return Report(
        branch_code=rows.branch_code,
        branch_name=rows.branch_name,
        first=rows.first,
        last=rows.last,
        days=days,
        issued=len(arrivals),
        served=served,
        no_shows=sum(s.no_shows for s in service_figures),
        reinstated=sum(s.reinstated for s in service_figures),
        transfers=sum(s.transfers_out for s in service_figures),
        cancelled=sum(s.cancelled for s in service_figures),
        never_called=never_called,
        services=tuple(service_figures),
        hours=hours,
        heatmap=_heatmap(arrivals, dates),
        wait_heatmap=(
            {key: sum(w) / len(w) for key, w in sorted(waits_by_slot.items())}
            if _long_range(dates)
            else {}
        ),
        counters=_throughput(by_counter, lambda cid: f"Loket {rows.counters.get(cid, cid)}"),
        officers=_throughput(by_officer, lambda oid: rows.officers.get(oid, f"#{oid}")),
        accuracy=_kept(_accuracy(all_errors), [p for kept in promises.values() for p in kept]),
        accuracy_by_service={
            code: _kept(_accuracy(errors.get(code, [])), promises.get(code, []))
            for code in sorted(set(errors) | set(promises))
        },
        survey=compute_survey(rows, served),
        bookings=compute_bookings(rows),
    )


def _transfers_into(events: list[EventRow], code: str) -> int:
    # The transfer event names the target in its detail: "to JKM" or "to JKM: note".
    prefix = f"to {code}"
    return sum(
        1
        for e in events
        if e.kind == "ticket.transfer"
        and e.detail.startswith(prefix)
        and e.detail[len(prefix) : len(prefix) + 1] in ("", ":")
    )


def _kept(accuracy: EstimateAccuracy, kept: list[bool]) -> EstimateAccuracy:
    if not kept:
        return accuracy
    return replace(accuracy, promised=len(kept), promise_kept=sum(kept) / len(kept))


def _accuracy(pairs: list[tuple[float, bool]]) -> EstimateAccuracy:
    if not pairs:
        return EstimateAccuracy(0, None, None, None)
    n = len(pairs)
    return EstimateAccuracy(
        count=n,
        mae_seconds=sum(abs(e) for e, _ in pairs) / n,
        bias_seconds=sum(e for e, _ in pairs) / n,
        within_window=sum(1 for _, inside in pairs if inside) / n,
    )


def _throughput(
    durations: dict[int, list[float]], name: Callable[[int], str]
) -> tuple[Throughput, ...]:
    rows = [
        Throughput(name(key), len(values), sum(values) / len(values))
        for key, values in durations.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.served, r.name)))


def _long_range(dates: set[date]) -> bool:
    return bool(dates) and (max(dates) - min(dates)).days + 1 >= HEATMAP_MIN_DAYS


def _heatmap(
    arrivals: list[tuple[str, datetime]], dates: set[date]
) -> dict[tuple[int, int], float]:
    if not _long_range(dates):
        return {}
    weekdays = Counter(d.weekday() for d in dates)
    counts = Counter((local.weekday(), local.hour) for _, local in arrivals)
    return {key: count / weekdays[key[0]] for key, count in sorted(counts.items())}


def _hours(
    rows: ReportRows,
    arrivals: list[tuple[str, datetime]],
    waits_by_hour: dict[int, list[float]],
    segments: dict[int, list[float]],
    days: int,
) -> tuple[HourFigures, ...]:
    if days == 0:
        return ()
    open_seconds = counter_open_seconds(rows.counter_events, rows.ticket_events, rows.zone)
    recommended = recommended_counters(rows, arrivals, segments, days)
    arrivals_by_hour = Counter(local.hour for _, local in arrivals)
    span = sorted(set(arrivals_by_hour) | set(open_seconds) | set(recommended))
    return tuple(
        HourFigures(
            hour=hour,
            arrivals_per_day=arrivals_by_hour[hour] / days,
            mean_wait_seconds=(
                sum(waits_by_hour[hour]) / len(waits_by_hour[hour])
                if waits_by_hour.get(hour)
                else None
            ),
            counters_open=open_seconds.get(hour, 0.0) / 3600 / days,
            counters_recommended=recommended.get(hour, 0),
        )
        for hour in range(span[0], span[-1] + 1)
    ) if span else ()


def recommended_counters(
    rows: ReportRows,
    arrivals: list[tuple[str, datetime]],
    segments: dict[int, list[float]],
    days: int,
) -> dict[int, int]:
    """The planner's counters per hour for the average day, each service at its own target."""
    totals: Counter[int] = Counter()
    for service in rows.services.values():
        own = [a for a in arrivals if a[0] == service.code]
        if not own:
            continue
        observed = segments.get(service.id)
        minutes = (
            float(np.median(observed)) / 60 if observed else service.mean_service_seconds / 60
        )
        forecast = forecast_from_arrivals(own, {service.code: max(minutes, 0.1)}, days)
        plan = plan_staffing(forecast, service.target_wait_seconds / 60, PLANNED_LEVEL)
        totals.update(total_counters_by_hour(plan))
    return dict(totals)


def counter_open_seconds(
    counter_events: list[EventRow], ticket_events: list[EventRow], zone: ZoneInfo
) -> dict[int, float]:
    """Open counter-seconds per local hour, summed over the days.

    A counter is open from its `opened`/`resumed` event to its next event; one left open at
    the end of a day counts until that day's last event, not until midnight.
    """
    day_end: dict[date, datetime] = {}
    for event in (*counter_events, *ticket_events):
        day = event.at.astimezone(zone).date()
        if day not in day_end or event.at > day_end[day]:
            day_end[day] = event.at
    opened: dict[int | None, datetime] = {}
    totals: dict[int, float] = defaultdict(float)
    for event in sorted(counter_events, key=lambda e: e.at):
        since = opened.pop(event.counter_id, None)
        if since is not None:
            _spread(since, _end_of_day(since, event.at, day_end, zone), zone, totals)
        if event.to_state == "open":
            opened[event.counter_id] = event.at
    for since in opened.values():
        _spread(since, _end_of_day(since, None, day_end, zone), zone, totals)
    return dict(totals)


def _end_of_day(
    since: datetime, until: datetime | None, day_end: dict[date, datetime], zone: ZoneInfo
) -> datetime:
    last = day_end[since.astimezone(zone).date()]
    return last if until is None or until > last else until


def _spread(start: datetime, end: datetime, zone: ZoneInfo, totals: dict[int, float]) -> None:
    """Add the seconds of [start, end) to the local hours they fall in."""
    cursor = start.astimezone(zone)
    end_local = end.astimezone(zone)
    while cursor < end_local:
        next_hour = datetime.combine(cursor.date(), time(cursor.hour), zone) + timedelta(hours=1)
        stop = min(next_hour, end_local)
        totals[cursor.hour] += (stop - cursor).total_seconds()
        cursor = stop
