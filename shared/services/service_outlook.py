"""The outlook of each service right now: how many wait, how long a visitor taking a ticket
now would wait, and whether the kiosk issues one (or why not, and until when).

One read for every place a visitor looks — the kiosk's home and service screens, the printed
ticket, the lobby display, the phone pages — made of the very checks `issue_ticket` runs on
one estimate at one instant, so the same moment shows the same figures everywhere. The
figures are whole minutes of wait (`wait_minutes`) and the call window they give
(`call_window`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, cast

from sqlalchemy import func, select

from shared.config import WEEKDAYS, BranchConfig
from shared.domain.calendar import closing_at, hours_on
from shared.domain.errors import IssuingClosed
from shared.domain.states import TicketState
from shared.estimation.estimator import QueueEstimate, estimate_queue
from shared.estimation.window import WaitEstimate
from shared.services.issuing import (
    note_capacity,
    wait_quantile,
    walk_in_quota,
    walk_in_refusal,
)
from shared.store.hours import (
    branch_holidays,
    closing_margin_seconds,
    issuing_hours,
    opening_hours,
)
from shared.store.models import DailySequence, Service, Ticket
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import UnitOfWork

# "open": the kiosk issues; "closed": outside issuing hours; "full": the daily quota is used
# up; "capacity": a new ticket would not be called before closing; "unserved": no counter
# serves the service for the rest of the day. The reasons IssuingClosed gives.
IssuingState = Literal["open", "closed", "full", "capacity", "unserved"]
_REFUSALS = ("closed", "full", "capacity", "unserved")


def wait_minutes(wait: WaitEstimate) -> tuple[int, int]:
    """The 80 % window of a wait in whole minutes, as every screen and the ticket show it."""
    low, _expected, high = wait.minutes
    return low, high


def call_window(at: datetime, wait: WaitEstimate) -> tuple[datetime, datetime]:
    """When a visitor with this wait, taken at `at`, is expected to be called."""
    low, high = wait_minutes(wait)
    return at + timedelta(minutes=low), at + timedelta(minutes=high)


@dataclass(frozen=True)
class ServiceOutlook:
    service_id: int
    code: str
    prefix: str
    name_id: str
    name_en: str
    priority: bool  # the outlook of a priority visitor (they wait behind priority visitors only)
    waiting: int  # in its queue (for a priority visitor: the priority tickets only)
    priority_allowed: bool
    wait: WaitEstimate | None  # for a visitor taking a ticket now; None: nobody serves it
    issuing: IssuingState
    earliest: datetime | None  # local time it can be offered again, when refused
    quota_left: int | None  # None: no fixed daily quota
    issuing_hours: tuple[time, time] | None  # today's, None when not issuing today
    opens_later_today: time | None = None  # when "closed" only because it is still early
    documents_id: tuple[str, ...] = ()
    documents_en: tuple[str, ...] = ()
    info_id: str = ""
    info_en: str = ""

    @property
    def available(self) -> bool:
        return self.issuing == "open"

    @property
    def unavailable(self) -> IssuingState | None:
        """Why the kiosk refuses it now; None: it issues."""
        return None if self.issuing == "open" else self.issuing

    @property
    def wait_minutes(self) -> tuple[int, int] | None:
        return None if self.wait is None else wait_minutes(self.wait)


@dataclass(frozen=True)
class BranchOutlook:
    at: datetime  # local time of the reading
    services: tuple[ServiceOutlook, ...]  # in the order the branch config lists them
    # The same for a priority visitor, for the services that have a priority queue.
    priority_services: tuple[ServiceOutlook, ...]
    # When an outlook changes with no event to announce it (a window opens or closes).
    next_change_at: datetime | None
    estimate: QueueEstimate  # the one estimate every figure comes from

    def service(self, code: str, priority: bool = False) -> ServiceOutlook | None:
        outlooks = self.priority_services if priority else self.services
        return next((s for s in outlooks if s.code == code), None)


def hidden_at_kiosk(config: BranchConfig) -> frozenset[str]:
    """Services the branch settings keep off the kiosk: those never issued there
    (`issuing_hours = {}`, no day at all: reached only by transfer, e.g. an interview after
    verification). Issuing hours of None mean "the branch's hours", so those stay."""
    return frozenset(
        service.code
        for service in config.services
        if service.issuing_hours is not None
        and not any(service.issuing_hours.on_weekday(day) for day in WEEKDAYS)
    )


@dataclass(frozen=True)
class _Today:
    """Today's sequence rows: numbers taken and since when capacity refuses, per service."""

    taken: dict[int, int]
    refused: dict[tuple[int, bool], datetime]


def _today(uow: UnitOfWork, today: date) -> _Today:
    rows = uow.session.execute(
        select(
            DailySequence.service_id,
            DailySequence.last_number,
            DailySequence.capacity_refused_at,
            DailySequence.priority_capacity_refused_at,
        ).where(DailySequence.branch_id == uow.branch_id, DailySequence.business_date == today)
    )
    taken: dict[int, int] = {}
    refused: dict[tuple[int, bool], datetime] = {}
    for service_id, number, walk_ins, priority in rows:
        taken[int(service_id)] = int(number)
        for urgent, since in ((False, walk_ins), (True, priority)):
            if since is not None:
                refused[(int(service_id), urgent)] = since
    return _Today(taken, refused)


def branch_outlook(
    uow: UnitOfWork, hidden: Collection[str] = (), *, settle: bool = False
) -> BranchOutlook:
    """Every active service but `hidden`, in the order the branch config lists them.

    `settle`: also record where the capacity rule now refuses or issues again, as the issuing
    decision does, and commit (a kiosk reading in a writable transaction), so a service stays
    refused for every process once one has seen it refused."""
    local_now = uow.local_now()
    today = local_now.date()
    services = [
        s
        for s in uow.session.scalars(
            select(Service).where(Service.branch_id == uow.branch_id, Service.active.is_(True))
        )
        if s.code not in hidden
    ]
    order = {entry.code: index for index, entry in enumerate(uow.settings.services)}
    services.sort(key=lambda s: (order.get(s.code, len(order)), s.prefix))
    waiting = _counts(uow, today, priority=False)
    waiting_priority = _counts(uow, today, priority=True)
    day = _today(uow, today)
    estimate = estimate_queue(uow)
    holidays = branch_holidays(uow)
    outlooks: list[ServiceOutlook] = []
    priority_outlooks: list[ServiceOutlook] = []
    changes: list[datetime] = []
    noted = False
    for service in services:
        hours = hours_on(issuing_hours(uow, service), today, holidays)
        taken = day.taken.get(service.id, 0)
        quota = walk_in_quota(uow, service, today)
        variants = [(outlooks, estimate.services, waiting, False)]
        if service.priority_allowed:
            variants.append((priority_outlooks, estimate.priority, waiting_priority, True))
        for found, waits, counts, urgent in variants:
            wait = waits.get(service.id)
            since = day.refused.get((service.id, urgent))
            beyond = (service.id, urgent) in estimate.not_today
            refusal = walk_in_refusal(uow, service, wait, taken, local_now, since, beyond)
            state = _state(refusal)
            if settle and state in ("open", "full", "capacity"):
                refused = state == "capacity"
                noted |= note_capacity(uow, service, today, urgent, refused, since)
            early = state == "closed" and hours is not None and local_now.time() < hours[0]
            details = service_settings(service)
            found.append(
                ServiceOutlook(
                    service_id=service.id,
                    code=service.code,
                    prefix=service.prefix,
                    name_id=service.name_id,
                    name_en=service.name_en,
                    priority=urgent,
                    waiting=counts.get(service.id, 0),
                    priority_allowed=service.priority_allowed,
                    wait=wait,
                    issuing=state,
                    earliest=_as_datetime(refusal.earliest) if refusal else None,
                    quota_left=None if quota is None else max(0, quota - taken),
                    issuing_hours=hours,
                    opens_later_today=hours[0] if early and hours else None,
                    documents_id=tuple(details.documents_id),
                    documents_en=tuple(details.documents_en),
                    info_id=details.info_id,
                    info_en=details.info_en,
                )
            )
            changes += _moments_of_change(uow, local_now, hours, wait, refusal, since)
    if noted:
        uow.commit()
    future = [moment for moment in changes if moment > local_now]
    return BranchOutlook(
        local_now,
        tuple(outlooks),
        tuple(priority_outlooks),
        min(future) if future else None,
        estimate,
    )


def _state(refusal: IssuingClosed | None) -> IssuingState:
    if refusal is None:
        return "open"
    reason = refusal.reason if refusal.reason in _REFUSALS else "closed"
    return cast(IssuingState, reason)


def _as_datetime(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _moments_of_change(
    uow: UnitOfWork,
    local_now: datetime,
    hours: tuple[time, time] | None,
    wait: WaitEstimate | None,
    refusal: IssuingClosed | None,
    refused_since: datetime | None,
) -> list[datetime]:
    moments = []
    if hours is not None:
        moments += [datetime.combine(local_now.date(), t, tzinfo=local_now.tzinfo) for t in hours]
    if refusal is not None and isinstance(refusal.earliest, datetime):
        moments.append(refusal.earliest)
    closes = closing_at(opening_hours(uow), local_now, branch_holidays(uow))
    if refusal is None and wait is not None and closes is not None:
        # The moment the capacity rule will start refusing, if the queue stays as it is.
        rules = uow.settings.queue
        latest = closes - timedelta(seconds=closing_margin_seconds(uow))
        if refused_since is not None:
            latest -= timedelta(minutes=rules.capacity_reopen_minutes)
        moments.append(latest - timedelta(seconds=wait_quantile(wait, rules.capacity_wait_share)))
    return moments


def _counts(uow: UnitOfWork, today: date, priority: bool) -> dict[int, int]:
    query = select(Ticket.service_id, func.count()).where(
        Ticket.branch_id == uow.branch_id,
        Ticket.business_date == today,
        Ticket.state == TicketState.WAITING,
    )
    if priority:
        query = query.where(Ticket.priority.is_(True))
    rows = uow.session.execute(query.group_by(Ticket.service_id))
    return {int(service_id): int(count) for service_id, count in rows}
