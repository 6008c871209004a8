"""What the kiosk can offer a visitor right now: per service the wait, or why not and until when.

The same checks as `issue_ticket` (issuing hours, capacity before closing, daily quota), read
without taking a number, so the home screen tells the truth before the visitor taps.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal, cast

from sqlalchemy import func, select

from shared.config import WEEKDAYS, BranchConfig
from shared.domain.calendar import closing_at, hours_on
from shared.domain.errors import IssuingClosed
from shared.domain.states import TicketState
from shared.estimation.estimator import estimate_queue
from shared.estimation.window import WaitEstimate
from shared.services.issuing import walk_in_refusal
from shared.store.hours import (
    branch_holidays,
    closing_margin_seconds,
    issuing_hours,
    opening_hours,
)
from shared.store.models import DailySequence, Service, Ticket
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import UnitOfWork

Unavailable = Literal["closed", "full", "capacity"]


@dataclass(frozen=True)
class ServiceOffer:
    code: str
    prefix: str
    name_id: str
    name_en: str
    waiting: int  # in its queue (priority visitors: the priority tickets only)
    priority_allowed: bool
    documents_id: tuple[str, ...]
    documents_en: tuple[str, ...]
    info_id: str
    info_en: str
    wait: WaitEstimate | None  # None: no counter will call it today
    unavailable: Unavailable | None = None
    earliest: datetime | None = None  # local time it can be offered again, when unavailable
    issuing_hours: tuple[time, time] | None = None  # today's issuing hours; None: not today

    @property
    def available(self) -> bool:
        return self.unavailable is None


@dataclass(frozen=True)
class KioskOffer:
    at: datetime  # local time of the reading
    services: tuple[ServiceOffer, ...]
    # The same for a priority visitor, for the services that have a priority queue.
    priority_services: tuple[ServiceOffer, ...]
    # When an offer changes with no event to announce it (a window opens or closes).
    next_change_at: datetime | None

    def service(self, code: str, priority: bool = False) -> ServiceOffer | None:
        offers = self.priority_services if priority else self.services
        return next((s for s in offers if s.code == code), None)


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


def kiosk_offer(uow: UnitOfWork, hidden: Collection[str] = ()) -> KioskOffer:
    """Every active service the kiosk shows, in the order the branch config lists them."""
    local_now = uow.local_now()
    today = local_now.date()
    hidden_codes = set(hidden) | hidden_at_kiosk(uow.settings)
    services = [
        s
        for s in uow.session.scalars(
            select(Service).where(Service.branch_id == uow.branch_id, Service.active.is_(True))
        )
        if s.code not in hidden_codes
    ]
    order = {entry.code: index for index, entry in enumerate(uow.settings.services)}
    services.sort(key=lambda s: (order.get(s.code, len(order)), s.prefix))
    waiting = _counts(uow, today, priority=False)
    waiting_priority = _counts(uow, today, priority=True)
    taken = _numbers_taken(uow, today)
    estimate = estimate_queue(uow)
    offers, priority_offers = [], []
    changes: list[datetime] = []
    for service in services:
        hours = hours_on(issuing_hours(uow, service), today, branch_holidays(uow))
        variants = [(offers, estimate.services, waiting)]
        if service.priority_allowed:
            # A priority visitor waits only behind other priority visitors.
            variants.append((priority_offers, estimate.priority, waiting_priority))
        for found, waits, counts in variants:
            wait = waits.get(service.id)
            refusal = walk_in_refusal(uow, service, wait, taken.get(service.id, 0), local_now)
            found.append(_service_offer(service, counts.get(service.id, 0), wait, refusal, hours))
            changes += _moments_of_change(uow, local_now, hours, wait, refusal)
    future = [moment for moment in changes if moment > local_now]
    return KioskOffer(
        local_now, tuple(offers), tuple(priority_offers), min(future) if future else None
    )


def _service_offer(
    service: Service,
    waiting: int,
    wait: WaitEstimate | None,
    refusal: IssuingClosed | None,
    hours: tuple[time, time] | None,
) -> ServiceOffer:
    details = service_settings(service)
    return ServiceOffer(
        code=service.code,
        prefix=service.prefix,
        name_id=service.name_id,
        name_en=service.name_en,
        waiting=waiting,
        priority_allowed=service.priority_allowed,
        documents_id=tuple(details.documents_id),
        documents_en=tuple(details.documents_en),
        info_id=details.info_id,
        info_en=details.info_en,
        wait=wait,
        unavailable=cast(Unavailable, refusal.reason) if refusal else None,
        earliest=_as_datetime(refusal.earliest) if refusal else None,
        issuing_hours=hours,
    )


def _as_datetime(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _moments_of_change(
    uow: UnitOfWork,
    local_now: datetime,
    hours: tuple[time, time] | None,
    wait: WaitEstimate | None,
    refusal: IssuingClosed | None,
) -> list[datetime]:
    moments = []
    if hours is not None:
        moments += [datetime.combine(local_now.date(), t, tzinfo=local_now.tzinfo) for t in hours]
    if refusal is not None and isinstance(refusal.earliest, datetime):
        moments.append(refusal.earliest)
    closes = closing_at(opening_hours(uow), local_now, branch_holidays(uow))
    if refusal is None and wait is not None and closes is not None:
        # The moment the capacity rule will start refusing, if the queue stays as it is.
        latest = closes - timedelta(seconds=closing_margin_seconds(uow))
        moments.append(latest - timedelta(seconds=wait.high_seconds))
    return moments


def _counts(uow: UnitOfWork, today: object, priority: bool) -> dict[int, int]:
    query = select(Ticket.service_id, func.count()).where(
        Ticket.branch_id == uow.branch_id,
        Ticket.business_date == today,
        Ticket.state == TicketState.WAITING,
    )
    if priority:
        query = query.where(Ticket.priority.is_(True))
    rows = uow.session.execute(query.group_by(Ticket.service_id))
    return {int(service_id): int(count) for service_id, count in rows}


def _numbers_taken(uow: UnitOfWork, today: object) -> dict[int, int]:
    rows = uow.session.execute(
        select(DailySequence.service_id, DailySequence.last_number).where(
            DailySequence.branch_id == uow.branch_id, DailySequence.business_date == today
        )
    )
    return {int(service_id): int(number) for service_id, number in rows}
