"""What an officer's counter screen shows, in one read: the counter, its ticket, its queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnExpressionArgument, and_, case, func, select

from shared.domain.states import TicketState
from shared.services.access import load_counter
from shared.services.officer_day import OfficerDay, officer_day
from shared.services.tickets import max_calls
from shared.store.models import CounterService, Event, Officer, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

# A counter screen shows the head of the line; the rest is only a count.
QUEUE_ROWS = 200


@dataclass(frozen=True)
class ServiceChoice:
    code: str
    prefix: str
    name_id: str
    name_en: str


@dataclass(frozen=True)
class CurrentTicket:
    """The visitor at (or called to) the counter."""

    label: str
    service: ServiceChoice
    state: str  # called or serving
    priority: bool
    issued_at: datetime
    called_at: datetime  # when this counter called it (the first call, not a recall)
    started_at: datetime | None
    call_count: int
    transfer_note: str  # what the officer who transferred it wrote, if it was transferred

    @property
    def waited_seconds(self) -> float:
        """From taking the ticket to being called here: the wait the visitor lived."""
        return max((self.called_at - self.issued_at).total_seconds(), 0.0)


@dataclass(frozen=True)
class HeldTicket:
    label: str
    service: ServiceChoice
    held_since: datetime


@dataclass(frozen=True)
class QueuedTicket:
    label: str
    service: ServiceChoice
    priority: bool
    due_at: datetime | None
    queued_at: datetime


@dataclass(frozen=True)
class DeskView:
    at: datetime
    counter_number: int
    counter_name: str
    state: str  # open, paused or closed
    state_since: datetime | None
    pause_reason: str
    officer_id: int | None  # who has the counter open
    officer_name: str | None
    current: CurrentTicket | None
    held: tuple[HeldTicket, ...]
    queue: tuple[QueuedTicket, ...]  # in the order "call next" takes them (first rows only)
    waiting_total: int
    services: tuple[ServiceChoice, ...]  # what this counter serves, in its order
    all_services: tuple[ServiceChoice, ...]  # every active service: transfer targets
    max_calls: int
    figures: OfficerDay | None  # the viewing officer's day


def _choice(service: Service) -> ServiceChoice:
    return ServiceChoice(service.code, service.prefix, service.name_id, service.name_en)


def desk_view(uow: UnitOfWork, counter_number: int, viewer_id: int | None = None) -> DeskView:
    counter = load_counter(uow, counter_number)
    session = uow.session
    services = {
        s.id: s for s in session.scalars(select(Service).where(Service.branch_id == uow.branch_id))
    }
    officer_name = None
    if counter.officer_id is not None:
        officer_name = session.scalar(select(Officer.name).where(Officer.id == counter.officer_id))
    current = None
    if counter.current_ticket_id is not None:
        ticket = session.get_one(Ticket, counter.current_ticket_id)
        if ticket.state in (TicketState.CALLED, TicketState.SERVING):
            current = _current(uow, ticket, services[ticket.service_id])
    # A ticket held twice has two hold events; the latest one says since when it waits.
    held_since = func.max(Event.at)
    held = tuple(
        HeldTicket(t.label, _choice(services[t.service_id]), since)
        for t, since in session.execute(
            select(Ticket, held_since)
            .join(Event, and_(Event.ticket_id == Ticket.id, Event.kind == "ticket.hold"))
            .where(Ticket.counter_id == counter.id, Ticket.state == TicketState.HELD)
            .group_by(Ticket.id)
            .order_by(held_since, Ticket.id)
        )
    )
    queue, total = _queue(uow, counter.id, counter.call_policy, services)
    active = sorted((s for s in services.values() if s.active), key=lambda s: s.prefix)
    return DeskView(
        at=uow.now(),
        counter_number=counter.number,
        counter_name=counter.name,
        state=counter.state,
        state_since=counter.state_since,
        pause_reason=counter.pause_reason,
        officer_id=counter.officer_id,
        officer_name=officer_name,
        current=current,
        held=held,
        queue=queue,
        waiting_total=total,
        services=tuple(_choice(services[a.service_id]) for a in counter.assignments),
        all_services=tuple(_choice(s) for s in active),
        max_calls=max_calls(uow),
        figures=officer_day(uow, viewer_id) if viewer_id is not None else None,
    )


def _current(uow: UnitOfWork, ticket: Ticket, service: Service) -> CurrentTicket:
    session = uow.session
    called_at = session.scalar(
        select(Event.at)
        .where(Event.ticket_id == ticket.id, Event.kind.in_(("ticket.call", "ticket.resume")))
        .order_by(Event.id.desc())
        .limit(1)
    )
    note = session.scalar(
        select(Event.detail)
        .where(Event.ticket_id == ticket.id, Event.kind == "ticket.transfer")
        .order_by(Event.id.desc())
        .limit(1)
    )
    return CurrentTicket(
        label=ticket.label,
        service=_choice(service),
        state=ticket.state,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        called_at=called_at or ticket.called_at or uow.now(),
        started_at=ticket.started_at,
        call_count=ticket.call_count,
        transfer_note=note or "",
    )


def _queue(
    uow: UnitOfWork, counter_id: int, policy: str, services: dict[int, Service]
) -> tuple[tuple[QueuedTicket, ...], int]:
    """The counter's waiting tickets in call order (docs/design.md's, as `call_next` applies it)."""
    now = uow.now()
    booking_due = case((and_(Ticket.due_at.is_not(None), Ticket.due_at <= now), 0), else_=1)
    order: list[ColumnExpressionArgument[Any]] = [Ticket.priority.desc(), booking_due]
    if policy == "service_order":
        order.append(CounterService.position)
    order += [Ticket.queued_at, Ticket.id]
    where = (
        Ticket.branch_id == uow.branch_id,
        Ticket.business_date == uow.local_now().date(),
        Ticket.state == TicketState.WAITING,
    )
    joined = and_(
        CounterService.service_id == Ticket.service_id, CounterService.counter_id == counter_id
    )
    rows = uow.session.scalars(
        select(Ticket).join(CounterService, joined).where(*where).order_by(*order).limit(QUEUE_ROWS)
    ).all()
    queue = tuple(
        QueuedTicket(t.label, _choice(services[t.service_id]), t.priority, t.due_at, t.queued_at)
        for t in rows
    )
    total = len(queue)
    if total == QUEUE_ROWS:
        total = int(
            uow.session.scalar(
                select(func.count()).select_from(Ticket).join(CounterService, joined).where(*where)
            )
            or 0
        )
    return queue, total
