"""An officer's own figures for today, read from the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from statistics import median

from sqlalchemy import select

from shared.store.models import Event
from shared.store.unit_of_work import UnitOfWork

_KINDS = ("ticket.start", "ticket.finish", "ticket.no_show", "ticket.transfer")


@dataclass(frozen=True)
class OfficerDay:
    served: int  # visits finished, whatever the outcome
    median_service_seconds: float | None  # start to finish (time on hold included)
    no_shows: int
    transferred: int


def start_of_day(uow: UnitOfWork) -> datetime:
    """Local midnight of the branch's business day, as UTC."""
    local = uow.local_now()
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo).astimezone(UTC)


def officer_day(uow: UnitOfWork, officer_id: int) -> OfficerDay:
    rows = uow.session.execute(
        select(Event.kind, Event.ticket_id, Event.at)
        .where(
            Event.branch_id == uow.branch_id,
            Event.officer_id == officer_id,
            Event.at >= start_of_day(uow),
            Event.kind.in_(_KINDS),
        )
        .order_by(Event.id)
    )
    started: dict[int | None, datetime] = {}
    durations: list[float] = []
    counts = dict.fromkeys(_KINDS, 0)
    for kind, ticket_id, at in rows:
        counts[kind] += 1
        if kind == "ticket.start":
            started[ticket_id] = at
        elif kind == "ticket.finish" and ticket_id in started:
            durations.append((at - started.pop(ticket_id)).total_seconds())
    return OfficerDay(
        served=counts["ticket.finish"],
        median_service_seconds=median(durations) if durations else None,
        no_shows=counts["ticket.no_show"],
        transferred=counts["ticket.transfer"],
    )
