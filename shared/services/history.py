"""What past days say: arrivals by service and local time, and service times observed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from statistics import median

from sqlalchemy import func, select

from shared.store.models import Service, Ticket
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ArrivalHistory:
    arrivals: list[tuple[str, datetime]]  # (service code, local issue time)
    service_minutes: dict[str, float]  # median observed, else the configured figure
    days: int  # business days with at least one ticket


def arrival_history(uow: UnitOfWork, first: date, last: date) -> ArrivalHistory:
    zone = uow.zone
    services = {
        s.id: s
        for s in uow.session.scalars(select(Service).where(Service.branch_id == uow.branch_id))
    }
    in_range = (
        Ticket.branch_id == uow.branch_id,
        Ticket.business_date >= first,
        Ticket.business_date <= last,
    )
    arrivals = [
        (services[sid].code, issued.astimezone(zone))
        for sid, issued in uow.session.execute(
            select(Ticket.issued_service_id, Ticket.issued_at).where(*in_range)
        )
    ]
    durations: dict[str, list[float]] = {}
    for sid, started, finished in uow.session.execute(
        select(Ticket.service_id, Ticket.started_at, Ticket.finished_at).where(
            *in_range, Ticket.started_at.is_not(None), Ticket.finished_at.is_not(None)
        )
    ):
        assert started is not None and finished is not None  # the query keeps finished visits
        durations.setdefault(services[sid].code, []).append(
            (finished - started).total_seconds() / 60
        )
    days = uow.session.scalar(
        select(func.count(func.distinct(Ticket.business_date))).where(*in_range)
    )
    minutes = {
        s.code: median(durations[s.code]) if durations.get(s.code) else s.mean_service_seconds / 60
        for s in services.values()
        if s.active
    }
    return ArrivalHistory(arrivals, minutes, int(days or 0))
