"""Small immutable results the services hand back to the apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.store.models import Counter, Service, Ticket
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TicketView:
    id: int
    label: str
    service_code: str
    service_name_id: str
    service_name_en: str
    state: str
    priority: bool
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    call_count: int
    counter_number: int | None
    token: str
    outcome: str | None = None
    people_ahead: int = 0
    estimate_seconds: float | None = None
    window_low_seconds: float | None = None
    window_high_seconds: float | None = None
    booked: bool = False  # an online booking's ticket, due at its slot


def ticket_view(uow: UnitOfWork, ticket: Ticket) -> TicketView:
    service = uow.session.get(Service, ticket.service_id)
    assert service is not None
    counter = uow.session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    return TicketView(
        id=ticket.id,
        label=ticket.label,
        service_code=service.code,
        service_name_id=service.name_id,
        service_name_en=service.name_en,
        state=ticket.state,
        priority=ticket.priority,
        issued_at=ticket.issued_at,
        queued_at=ticket.queued_at,
        called_at=ticket.called_at,
        started_at=ticket.started_at,
        call_count=ticket.call_count,
        counter_number=counter.number if counter else None,
        token=ticket.token,
        outcome=ticket.outcome,
        people_ahead=ticket.ahead_at_issue,
        estimate_seconds=ticket.estimate_seconds,
        window_low_seconds=ticket.window_low_seconds,
        window_high_seconds=ticket.window_high_seconds,
        booked=ticket.due_at is not None,
    )
