"""The regional board's picture of each branch, read from the branch's copy on the central
server with the branch's own reads (the supervisor's alerts, the promise-kept rate, the
survey's index), and the lending suggestion over all of them.

Each copy is read in a read-only transaction; the copies are read a few at a time in threads
and the result is kept, so the page shows the last picture at once and says how old it is.
"""

from __future__ import annotations

import threading
import time as wall
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from shared.central.layout import region_branches
from shared.central.lending import BranchDay, LendingPlan, Region, suggest_loans
from shared.central.status import subscription_states
from shared.clock import Clock
from shared.domain.errors import DomainError
from shared.domain.states import CounterState, TicketState
from shared.domain.survey import QUESTIONS, as_elements, element_mean, weighted_index
from shared.planning.forecast import ArrivalForecast, forecast_from_arrivals
from shared.services.alerts import AT_RISK, branch_alerts
from shared.services.history import arrival_history
from shared.services.promises import PromiseKept, branch_promise_kept
from shared.services.roster import counters_available
from shared.services.snapshot import live_snapshot
from shared.services.turn_aways import turned_away_between
from shared.store.database import Store, open_store
from shared.store.models import (
    Counter,
    CounterService,
    Event,
    RosterEntry,
    Service,
    SurveyResponse,
    Ticket,
)
from shared.store.unit_of_work import UnitOfWork

HISTORY_WEEKS = 4  # the forecast: the same weekday over the last four weeks


@dataclass(frozen=True)
class Tally:
    """A day's or a month's visitors: served, turned away, and no-shows.

    Turned away: tickets cancelled (closed unserved) and visitors the kiosk refused a number
    (its `service.turned_away` events, migration 0012), of whom ``reservations`` took a
    reservation slip instead.
    """

    served: int
    turned_away: int
    reservations: int
    no_shows: int


@dataclass(frozen=True)
class BranchNow:
    waiting: int
    longest_wait_minutes: int | None
    windows_at_risk: int  # waiting visitors whose printed window ends soon or has passed
    counters_open: int
    counters_rostered: int  # active counters the roster does not send away now
    absences: int  # counters the roster sends away now (leave, training, breaks)
    promise: PromiseKept  # today's
    ikm: float | None  # this month's survey index (25–100)
    survey_responses: int  # this month's


@dataclass(frozen=True)
class BranchPicture:
    code: str
    name: str
    local_time: datetime  # the branch's clock when read
    now: BranchNow
    today: Tally
    month: Tally
    plan_day: BranchDay | None  # what the lending suggestion needs; None on a closed day


def branch_picture(uow: UnitOfWork, forecast: ArrivalForecast | None = None) -> BranchPicture:
    """One branch, from its own database or its central copy (read-only is enough).
    ``forecast`` saves learning today's forecast again (it changes only once a day)."""
    local = uow.local_now()
    today = local.date()
    snapshot = live_snapshot(uow)
    waits = [s.oldest_wait_seconds for s in snapshot.services if s.oldest_wait_seconds]
    at_risk = sum(alert.visitors for alert in branch_alerts(uow) if alert.kind == AT_RISK)
    rostered, away = _counters_rostered(uow)
    ikm, responses = _survey_index(uow, today.replace(day=1), today)
    now = BranchNow(
        waiting=sum(s.waiting for s in snapshot.services),
        longest_wait_minutes=int(max(waits) // 60) if waits else None,
        windows_at_risk=at_risk,
        counters_open=sum(1 for c in snapshot.counters if c.state == CounterState.OPEN),
        counters_rostered=rostered,
        absences=away,
        promise=branch_promise_kept(uow, today),
        ikm=ikm,
        survey_responses=responses,
    )
    waiting = {s.code: s.waiting for s in snapshot.services}
    return BranchPicture(
        code=uow.branch.code,
        name=uow.branch.name,
        local_time=local,
        now=now,
        today=_tally(uow, today, today),
        month=_tally(uow, today.replace(day=1), today),
        plan_day=_plan_day(uow, forecast or learn_forecast(uow, today), waiting),
    )


def learn_forecast(uow: UnitOfWork, day: date, weeks: int = HISTORY_WEEKS) -> ArrivalForecast:
    """The average of the same weekday over the last `weeks` weeks (nothing when none)."""
    history = arrival_history(uow, day - timedelta(weeks=weeks), day - timedelta(days=1))
    same_day = [(code, at) for code, at in history.arrivals if at.weekday() == day.weekday()]
    days = len({at.date() for _, at in same_day})
    if not days:
        return ArrivalForecast({}, history.service_minutes)
    return forecast_from_arrivals(same_day, history.service_minutes, days)


def _plan_day(
    uow: UnitOfWork, forecast: ArrivalForecast, waiting: Mapping[str, int]
) -> BranchDay | None:
    today = uow.local_now().date()
    hours = uow.settings.branch.opening_hours_on(today)
    if hours is None:
        return None
    closing = hours[1].hour + (1 if hours[1].minute else 0)
    targets = dict(uow.session.execute(
        select(Service.code, Service.target_wait_seconds)
        .where(Service.branch_id == uow.branch_id, Service.active.is_(True))
    ).all())
    minutes = forecast.mean_service_minutes
    return BranchDay(
        code=uow.branch.code,
        forecast=forecast,
        available=counters_available(uow, today),
        present=_present_by_hour(uow, today),
        waiting={code: count for code, count in waiting.items() if code in minutes},
        closing_hour=closing,
        target_wait_minutes={code: seconds / 60 for code, seconds in targets.items() if seconds},
    )


def _active_counters(uow: UnitOfWork) -> list[int]:
    """Counters that serve at least one service: the ones a roster can staff."""
    return list(uow.session.scalars(
        select(Counter.id).distinct()
        .join(CounterService, CounterService.counter_id == Counter.id)
        .where(Counter.branch_id == uow.branch_id, Counter.active.is_(True))
    ))


def _absences(uow: UnitOfWork, day: date) -> list[tuple[int, datetime, datetime]]:
    return [(row.counter_id, row.starts_at, row.ends_at) for row in uow.session.execute(
        select(RosterEntry.counter_id, RosterEntry.starts_at, RosterEntry.ends_at)
        .where(RosterEntry.branch_id == uow.branch_id, RosterEntry.business_date == day)
    )]


def _counters_rostered(uow: UnitOfWork) -> tuple[int, int]:
    now = uow.now()
    counters = set(_active_counters(uow))
    away = {counter for counter, starts, ends in _absences(uow, uow.local_now().date())
            if starts <= now < ends and counter in counters}
    return len(counters) - len(away), len(away)


def _present_by_hour(uow: UnitOfWork, day: date) -> dict[int, float]:
    """Counters staffed per hour of `day`, whatever they serve (half an hour away counts half),
    as ``counters_available`` counts them per service."""
    counters = _active_counters(uow)
    absences = _absences(uow, day)
    midnight = datetime.combine(day, time(), uow.zone)
    present = {}
    for hour in range(24):
        begin = midnight + timedelta(hours=hour)
        end = begin + timedelta(hours=1)
        gone = sum(max((min(end, e) - max(begin, s)).total_seconds(), 0.0)
                   for c, s, e in absences if c in counters)
        present[hour] = max(len(counters) - gone / 3600.0, 0.0)
    return present


def _tally(uow: UnitOfWork, first: date, last: date) -> Tally:
    states = dict(uow.session.execute(
        select(Ticket.state, func.count())
        .where(Ticket.branch_id == uow.branch_id, Ticket.business_date >= first,
               Ticket.business_date <= last)
        .group_by(Ticket.state)
    ).all())
    start = datetime.combine(first, time(), uow.zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), uow.zone).astimezone(UTC)
    # The kiosk's reservation slips are the bookings it made ("booking N at KIOSK").
    slips = uow.session.scalar(
        select(func.count()).select_from(Event)
        .where(Event.branch_id == uow.branch_id, Event.kind == "booking.made",
               Event.at >= start, Event.at < end, Event.detail.like("% at %"))
    ) or 0
    cancelled = int(states.get(TicketState.CANCELLED, 0))
    # Every refusal the kiosk showed is counted once (a reservation slip follows some of
    # them); a day before the kiosk counted refusals has only its slips to go by.
    refused = turned_away_between(uow, start, end)
    return Tally(
        served=int(states.get(TicketState.DONE, 0)),
        turned_away=cancelled + max(refused, int(slips)),
        reservations=int(slips),
        no_shows=int(states.get(TicketState.NO_SHOW, 0)),
    )


def _survey_index(uow: UnitOfWork, first: date, last: date) -> tuple[float | None, int]:
    """The IKM of the responses in the range, by the regulation's formula the report uses."""
    ratings: dict[str, list[int]] = {q.key: [] for q in QUESTIONS}
    responses = 0
    for (answers,) in uow.session.execute(
        select(SurveyResponse.answers).where(
            SurveyResponse.branch_id == uow.branch_id, SurveyResponse.business_date >= first,
            SurveyResponse.business_date <= last)
    ):
        responses += 1
        for key, value in as_elements(answers).items():
            ratings[key].append(value)
    means = [element_mean(values) for values in ratings.values()]
    return weighted_index(mean for mean in means if mean is not None), responses


# -- the region -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A branch's replication as the board shows it."""

    connected: bool  # the central's apply worker is streaming from the branch now
    last_contact: datetime | None
    lag_bytes: int | None  # WAL the branch wrote that the copy has not confirmed (if asked)


@dataclass(frozen=True)
class BoardRow:
    code: str
    picture: BranchPicture | None
    problem: str | None  # why there is no picture: the copy could not be read
    link: Link | None
    read_at: datetime  # when this row was read (the board's clock)


@dataclass(frozen=True)
class RegionView:
    rows: tuple[BoardRow, ...]
    lending: LendingPlan
    read_at: datetime
    read_seconds: float  # how long reading every copy took


@dataclass(frozen=True)
class BranchCopy:
    code: str
    url: str


@dataclass
class RegionBoard:
    """Reads every branch's copy (``workers`` at a time) and keeps the last view.

    ``links`` gives each branch's replication by code (the central's subscriptions);
    ``branches`` lists the copies, read again at each refresh so a branch added shows up.
    ``keep_connections``: one connection per copy stays open (fastest, but one server
    connection per branch); without it each reading connects afresh, so the board holds
    only ``workers`` connections at a time (docs/central.md weighs the two for 300 branches).
    """

    branches: Callable[[], Iterable[BranchCopy]]
    region: Region
    clock: Clock | None = None
    links: Callable[[], Mapping[str, Link]] = dict
    workers: int = 4
    keep_connections: bool = True
    _stores: dict[str, Store] = field(default_factory=dict)
    _forecasts: dict[tuple[str, date], ArrivalForecast] = field(default_factory=dict)
    _view: RegionView | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def view(self, max_age: float | None = None) -> RegionView:
        """The last view, read again when there is none or it is older than `max_age` s."""
        current = self._view
        if current is None or (max_age is not None and
                               (self._now() - current.read_at).total_seconds() > max_age):
            return self.refresh()
        return current

    def refresh(self) -> RegionView:
        with self._lock:  # one refresh at a time; a second caller waits and gets the new view
            started = wall.perf_counter()
            copies = sorted(self.branches(), key=lambda copy: copy.code)
            links = self.links()
            with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
                rows = list(pool.map(lambda copy: self._read(copy, links.get(copy.code)),
                                     copies))
            days = [row.picture.plan_day for row in rows
                    if row.picture is not None and row.picture.plan_day is not None]
            local = min((row.picture.local_time for row in rows if row.picture), default=None)
            lending = suggest_loans(days, self.region, (local or self._now()).time()) if days \
                else LendingPlan((), (), ())
            self._view = RegionView(tuple(rows), lending, self._now(),
                                    wall.perf_counter() - started)
            return self._view

    def close(self) -> None:
        for store in self._stores.values():
            store.dispose()
        self._stores.clear()

    def _now(self) -> datetime:
        return self.clock.now() if self.clock is not None else datetime.now(UTC)

    def _store(self, copy: BranchCopy) -> Store:
        store = self._stores.get(copy.code)
        if store is None:
            # One connection per copy, kept: PostgreSQL connects to one database at a time.
            options: dict[str, Any] = {}
            if not self.keep_connections:
                options = {"poolclass": NullPool}
            elif copy.url.startswith("postgres"):
                options = {"pool_size": 1, "max_overflow": 0}
            store = open_store(copy.url, clock=self.clock, **options)
            self._stores[copy.code] = store
        return store

    def _read(self, copy: BranchCopy, link: Link | None) -> BoardRow:
        try:
            with UnitOfWork(self._store(copy), copy.code, read_only=True) as uow:
                today = uow.local_now().date()
                key = (copy.code, today)
                if key not in self._forecasts:
                    for old in [k for k in self._forecasts if k[0] == copy.code]:
                        del self._forecasts[old]  # yesterday's
                    self._forecasts[key] = learn_forecast(uow, today)
                picture = branch_picture(uow, self._forecasts[key])
            return BoardRow(copy.code, picture, None, link, self._now())
        except (SQLAlchemyError, DomainError) as error:
            problem = str(getattr(error, "orig", None) or error).splitlines()[0]
            return BoardRow(copy.code, None, problem, link, self._now())


# -- on the central server ----------------------------------------------------------------------


def central_copies(central_url: str) -> list[BranchCopy]:
    """Every branch copy the central server holds, subscribed or kept after removal."""
    return [BranchCopy(branch.code, branch.url)
            for branch in region_branches(central_url, include_detached=True)]


def subscription_links(central_url: str) -> dict[str, Link]:
    """Each branch's link as the central server alone sees it (no branch is asked): whether
    its apply worker streams now, when it last heard from the branch, and the WAL received
    but not yet applied and confirmed."""
    links = {}
    for state in subscription_states(central_url):
        backlog = None
        if state.connected and state.received_lsn and state.latest_end_lsn:
            backlog = max(_lsn(state.received_lsn) - _lsn(state.latest_end_lsn), 0)
        links[state.code] = Link(state.connected, state.last_contact, backlog)
    return links


def _lsn(text: str) -> int:
    """PostgreSQL's '16/B374D848' as a byte position."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)
