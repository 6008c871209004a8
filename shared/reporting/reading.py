"""Rows a report needs for a range of business days: few queries, only the columns used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.engine import Connection

from shared.store.models import Branch, Counter, Event, Officer, Service, Ticket

# Ticket events a figure reads; the rest (recall, hold, resume) change no figure.
TICKET_KINDS = (
    "ticket.issued",
    "ticket.call",
    "ticket.start",
    "ticket.finish",
    "ticket.no_show",
    "ticket.reinstate",
    "ticket.transfer",
    "ticket.cancel",
)


@dataclass(frozen=True)
class ServiceRow:
    id: int
    code: str
    name_id: str
    name_en: str
    target_wait_seconds: int
    mean_service_seconds: float


@dataclass(frozen=True)
class TicketRow:
    id: int
    business_date: date
    issued_service_id: int
    estimate_seconds: float | None
    window_low_seconds: float | None
    window_high_seconds: float | None


@dataclass(frozen=True)
class EventRow:
    """One audit event; ticket_id is None for counter events."""

    at: datetime
    kind: str
    ticket_id: int | None
    counter_id: int | None
    officer_id: int | None
    service_id: int | None
    to_state: str | None
    detail: str


@dataclass
class ReportRows:
    branch_code: str
    branch_name: str
    zone: ZoneInfo
    first: date
    last: date
    services: dict[int, ServiceRow] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)  # counter id -> number
    officers: dict[int, str] = field(default_factory=dict)  # officer id -> name
    tickets: list[TicketRow] = field(default_factory=list)
    ticket_events: list[EventRow] = field(default_factory=list)  # ordered by id
    counter_events: list[EventRow] = field(default_factory=list)  # ordered by id


def read_report_rows(
    connection: Connection, branch_code: str, first: date, last: date
) -> ReportRows:
    """Everything a report of `first`..`last` (inclusive business days) reads, in six queries."""
    branch = connection.execute(
        select(Branch.id, Branch.name, Branch.timezone).where(Branch.code == branch_code)
    ).one_or_none()
    if branch is None:
        raise LookupError(f"no branch {branch_code} in this database")
    branch_id, name, timezone = branch
    zone = ZoneInfo(timezone)
    rows = ReportRows(branch_code, name, zone, first, last)
    for s in connection.execute(
        select(
            Service.id,
            Service.code,
            Service.name_id,
            Service.name_en,
            Service.target_wait_seconds,
            Service.mean_service_seconds,
        ).where(Service.branch_id == branch_id)
    ):
        rows.services[s.id] = ServiceRow(*s)
    rows.counters = {
        cid: number
        for cid, number in connection.execute(
            select(Counter.id, Counter.number).where(Counter.branch_id == branch_id)
        )
    }
    rows.officers = {
        oid: name
        for oid, name in connection.execute(
            select(Officer.id, Officer.name).where(Officer.branch_id == branch_id)
        )
    }
    in_range = (
        Ticket.branch_id == branch_id,
        Ticket.business_date >= first,
        Ticket.business_date <= last,
    )
    rows.tickets = [
        TicketRow(*t)
        for t in connection.execute(
            select(
                Ticket.id,
                Ticket.business_date,
                Ticket.issued_service_id,
                Ticket.estimate_seconds,
                Ticket.window_low_seconds,
                Ticket.window_high_seconds,
            ).where(*in_range)
        )
    ]
    columns = (
        Event.at,
        Event.kind,
        Event.ticket_id,
        Event.counter_id,
        Event.officer_id,
        Event.service_id,
        Event.to_state,
        Event.detail,
    )
    rows.ticket_events = [
        EventRow(*e)
        for e in connection.execute(
            select(*columns)
            .join(Ticket, Event.ticket_id == Ticket.id)
            .where(*in_range, Event.kind.in_(TICKET_KINDS))
            .order_by(Event.id)
        )
    ]
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last + timedelta(days=1), time(), zone)
    rows.counter_events = [
        EventRow(*e)
        for e in connection.execute(
            select(*columns)
            .where(
                Event.branch_id == branch_id,
                Event.kind.in_(("counter.opened", "counter.paused", "counter.resumed",
                                "counter.closed")),
                Event.at >= start,
                Event.at < end,
            )
            .order_by(Event.id)
        )
    ]
    return rows
