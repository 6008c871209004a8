"""What the supervisor's board shows: every counter with its idle time, missed visitors
who may still be reinstated, and kiosks whose printer needs a hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from shared.domain.states import CounterState, TicketState
from shared.services.kiosks import printer_needs_a_hand
from shared.services.officer_day import start_of_day
from shared.services.snapshot import CounterLine, KioskLine, ServiceLine, live_snapshot
from shared.store.models import Event, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

WAITING_LABELS = 500


@dataclass(frozen=True)
class BoardCounter:
    line: CounterLine
    idle_seconds: float | None  # open with nobody at the counter: since its last ticket


@dataclass(frozen=True)
class MissedTicket:
    label: str
    service_code: str
    no_show_at: datetime
    reinstate_until: datetime


@dataclass(frozen=True)
class BoardView:
    at: datetime
    timezone: str
    counters: tuple[BoardCounter, ...]
    services: tuple[ServiceLine, ...]
    missed: tuple[MissedTicket, ...]  # no-shows still within the grace period
    alerts: tuple[KioskLine, ...]  # kiosks not ready or not accepting visitors
    waiting: tuple[str, ...]  # labels of today's waiting tickets, oldest first (to cancel one)


def board_view(uow: UnitOfWork) -> BoardView:
    snapshot = live_snapshot(uow)
    now = snapshot.at
    last_ticket_event = dict(
        uow.session.execute(
            select(Event.counter_id, func.max(Event.at))
            .where(
                Event.branch_id == uow.branch_id,
                Event.at >= start_of_day(uow),
                Event.kind.like("ticket.%"),
                Event.counter_id.is_not(None),
            )
            .group_by(Event.counter_id)
        ).all()
    )
    counters = []
    for line in snapshot.counters:
        idle = None
        if line.state == CounterState.OPEN and line.current_label is None:
            since = [t for t in (line.state_since, last_ticket_event.get(line.id)) if t]
            idle = (now - max(since)).total_seconds() if since else None
        counters.append(BoardCounter(line, idle))
    alerts = tuple(
        k for k in snapshot.kiosks if printer_needs_a_hand(k.printer_state) or not k.accepting
    )
    return BoardView(
        now,
        snapshot.timezone,
        tuple(counters),
        snapshot.services,
        _missed(uow, now),
        alerts,
        _waiting(uow),
    )


def _missed(uow: UnitOfWork, now: datetime) -> tuple[MissedTicket, ...]:
    grace = timedelta(minutes=uow.settings.queue.no_show_grace_minutes)
    rows = uow.session.execute(
        select(Ticket.label, Service.code, Ticket.no_show_at)
        .join(Service, Service.id == Ticket.service_id)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == uow.local_now().date(),
            Ticket.state == TicketState.NO_SHOW,
            Ticket.no_show_at >= now - grace,
        )
        .order_by(Ticket.no_show_at.desc())
    )
    missed = []
    for label, code, at in rows:
        assert at is not None  # the query keeps tickets marked no-show only
        missed.append(MissedTicket(label, code, at, at + grace))
    return tuple(missed)


def _waiting(uow: UnitOfWork) -> tuple[str, ...]:
    return tuple(
        uow.session.scalars(
            select(Ticket.label)
            .where(
                Ticket.branch_id == uow.branch_id,
                Ticket.business_date == uow.local_now().date(),
                Ticket.state == TicketState.WAITING,
            )
            .order_by(Ticket.queued_at, Ticket.id)
            .limit(WAITING_LABELS)
        )
    )
