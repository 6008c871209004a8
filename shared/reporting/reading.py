"""Rows a report needs for a range of business days: few queries, only the columns used."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.engine import Connection

from shared.store.models import (
    Booking,
    Branch,
    Counter,
    Event,
    Officer,
    Service,
    SurveyResponse,
    Ticket,
)
from shared.store.unit_of_work import branch_settings

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


@dataclass(frozen=True)
class SurveyRow:
    """One visitor's survey answers; who answered is not read."""

    service_id: int
    counter_id: int | None
    officer_id: int | None
    answered_at: datetime
    answers: dict[str, Any]  # question key -> 1..4
    comment: str


@dataclass(frozen=True)
class BookingRow:
    """One booking of a day in the range; the visitor's NIK and phone are not read."""

    service_id: int
    business_date: date
    slot_end: datetime
    state: str
    ticket_id: int | None


@dataclass
class ReportRows:
    branch_code: str
    branch_name: str
    zone: ZoneInfo
    first: date
    last: date
    # When the report is made: a booking still unused after its check-in time is "not used",
    # one before it is still to come.
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    checkin_late: timedelta = timedelta(minutes=15)
    services: dict[int, ServiceRow] = field(default_factory=dict)
    counters: dict[int, int] = field(default_factory=dict)  # counter id -> number
    officers: dict[int, str] = field(default_factory=dict)  # officer id -> name
    tickets: list[TicketRow] = field(default_factory=list)
    ticket_events: list[EventRow] = field(default_factory=list)  # ordered by id
    counter_events: list[EventRow] = field(default_factory=list)  # ordered by id
    survey_responses: list[SurveyRow] = field(default_factory=list)
    bookings: list[BookingRow] = field(default_factory=list)


def read_report_rows(
    connection: Connection,
    branch_code: str,
    first: date,
    last: date,
    now: datetime | None = None,
) -> ReportRows:
    """Everything a report of `first`..`last` (inclusive business days) reads, in eight
    queries; `now` (default: this machine's clock) tells bookings not used from those to come."""
    branch = connection.execute(
        select(Branch.id, Branch.name, Branch.timezone, Branch.settings)
        .where(Branch.code == branch_code)
    ).one_or_none()
    if branch is None:
        raise LookupError(f"no branch {branch_code} in this database")
    branch_id, name, timezone, settings = branch
    zone = ZoneInfo(timezone)
    rules = branch_settings(branch_id, settings).booking
    rows = ReportRows(
        branch_code,
        name,
        zone,
        first,
        last,
        now=now or datetime.now(UTC),
        checkin_late=timedelta(minutes=rules.checkin_late_minutes),
    )
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
    in_range = _of_days(Ticket, branch_id, first, last)
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
    rows.survey_responses = [
        SurveyRow(*r)
        for r in connection.execute(
            select(
                SurveyResponse.service_id,
                SurveyResponse.counter_id,
                SurveyResponse.officer_id,
                SurveyResponse.answered_at,
                SurveyResponse.answers,
                SurveyResponse.comment,
            ).where(*_of_days(SurveyResponse, branch_id, first, last))
        )
    ]
    rows.bookings = [
        BookingRow(*b)
        for b in connection.execute(
            select(
                Booking.service_id,
                Booking.business_date,
                Booking.slot_end,
                Booking.state,
                Booking.ticket_id,
            ).where(*_of_days(Booking, branch_id, first, last))
        )
    ]
    return rows


def _of_days(
    table: type[Ticket | SurveyResponse | Booking], branch_id: int, first: date, last: date
) -> tuple[ColumnElement[bool], ...]:
    """The branch's rows of the business days `first`..`last`."""
    return (
        table.branch_id == branch_id,
        table.business_date >= first,
        table.business_date <= last,
    )
