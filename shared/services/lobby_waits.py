"""Per service, what the lobby is told: how many wait, how long a new ticket would wait, and
whether the kiosk still issues tickets today (hours, quota, capacity left before closing).

The issuing state is decided by the very checks `issue_ticket` runs, so the display never
says "open" while the kiosk refuses, or the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from sqlalchemy import func, select

from shared.domain.calendar import hours_on
from shared.domain.states import TicketState
from shared.estimation.estimator import estimate_queue
from shared.estimation.window import WaitEstimate
from shared.services.issuing import walk_in_quota, walk_in_refusal
from shared.store.hours import branch_holidays, issuing_hours
from shared.store.models import DailySequence, Service, Ticket
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import UnitOfWork

# "closed": outside issuing hours; "full": the daily quota is used up; "capacity": no new
# ticket could be served before closing. The same reasons IssuingClosed gives the kiosk.
IssuingState = Literal["open", "closed", "full", "capacity"]
_REFUSALS: dict[str, IssuingState] = {"closed": "closed", "full": "full", "capacity": "capacity"}


@dataclass(frozen=True)
class ServiceWait:
    service_id: int
    code: str
    prefix: str
    name_id: str
    name_en: str
    waiting: int
    estimate: WaitEstimate | None  # for a visitor taking a ticket now; None: nobody serves it
    issuing: IssuingState
    quota_left: int | None  # None: no fixed daily quota
    issuing_hours: tuple[time, time] | None  # today's, None when not issuing today
    opens_later_today: time | None = None  # when "closed" only because it is still early
    documents_id: tuple[str, ...] = ()
    documents_en: tuple[str, ...] = ()
    info_id: str = ""
    info_en: str = ""


def issuing_state(
    uow: UnitOfWork,
    service: Service,
    wait: WaitEstimate | None,
    taken_today: int,
    local_now: datetime,
) -> IssuingState:
    refusal = walk_in_refusal(uow, service, wait, taken_today, local_now)
    return "open" if refusal is None else _REFUSALS.get(refusal.reason, "closed")


def lobby_waits(uow: UnitOfWork) -> tuple[ServiceWait, ...]:
    """Every active service, by ticket prefix."""
    estimate = estimate_queue(uow)
    local_now = uow.local_now()
    today = local_now.date()
    bid = uow.branch_id
    waiting = dict(
        uow.session.execute(
            select(Ticket.service_id, func.count())
            .where(
                Ticket.branch_id == bid,
                Ticket.business_date == today,
                Ticket.state == TicketState.WAITING,
            )
            .group_by(Ticket.service_id)
        ).all()
    )
    taken = dict(
        uow.session.execute(
            select(DailySequence.service_id, DailySequence.last_number).where(
                DailySequence.branch_id == bid, DailySequence.business_date == today
            )
        ).all()
    )
    services = uow.session.scalars(
        select(Service)
        .where(Service.branch_id == bid, Service.active.is_(True))
        .order_by(Service.prefix)
    ).all()
    holidays = branch_holidays(uow)
    lines = []
    for service in services:
        wait = estimate.services.get(service.id)
        numbers_taken = int(taken.get(service.id, 0))
        details = service_settings(service)
        hours = hours_on(issuing_hours(uow, service), today, holidays)
        state = issuing_state(uow, service, wait, numbers_taken, local_now)
        quota = walk_in_quota(uow, service, today)
        early = state == "closed" and hours is not None and local_now.time() < hours[0]
        lines.append(
            ServiceWait(
                service_id=service.id,
                code=service.code,
                prefix=service.prefix,
                name_id=service.name_id,
                name_en=service.name_en,
                waiting=int(waiting.get(service.id, 0)),
                estimate=wait,
                issuing=state,
                quota_left=None if quota is None else max(0, quota - numbers_taken),
                issuing_hours=hours,
                opens_later_today=hours[0] if early and hours else None,
                documents_id=tuple(details.documents_id),
                documents_en=tuple(details.documents_en),
                info_id=details.info_id,
                info_en=details.info_en,
            )
        )
    return tuple(lines)
