"""Shared steps of the ticket actions: find the ticket, check the move, record it."""

from __future__ import annotations

from sqlalchemy import select

from shared.domain.errors import InvalidTransition, NotFound
from shared.domain.labels import parse_label
from shared.domain.states import TICKET_TRANSITIONS, TicketState
from shared.services.views import TicketView, ticket_view
from shared.store.models import Counter, Service, Ticket
from shared.store.unit_of_work import UnitOfWork


def max_calls(uow: UnitOfWork) -> int:
    return uow.settings.queue.max_calls


def find_ticket(uow: UnitOfWork, label: str, lock: bool = False) -> Ticket:
    """Today's ticket with this label (the label names its issuing service's prefix)."""
    try:
        prefix, number = parse_label(label)
    except ValueError as error:
        raise NotFound(str(error)) from None
    query = (
        select(Ticket)
        .join(Service, Service.id == Ticket.issued_service_id)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == uow.local_now().date(),
            Service.prefix == prefix,
            Ticket.number == number,
        )
    )
    if lock and uow.store.dialect == "postgresql":
        query = query.with_for_update(of=Ticket)
    ticket = uow.session.scalar(query)
    if ticket is None:
        raise NotFound(f"there is no ticket {label.strip().upper()[:8]} today",
                       key="no_ticket_today", label=label.strip().upper()[:8])
    return ticket


def current_ticket(uow: UnitOfWork, counter: Counter) -> Ticket:
    if counter.current_ticket_id is None:
        raise InvalidTransition(f"counter {counter.number} has no ticket now; call the next one",
                                key="no_current_ticket", number=counter.number)
    return uow.session.get_one(Ticket, counter.current_ticket_id)


def move(
    uow: UnitOfWork,
    ticket: Ticket,
    action: str,
    *,
    counter: Counter | None = None,
    officer_id: int | None = None,
    detail: str = "",
) -> None:
    """Apply one lifecycle transition and its audit event, or refuse it plainly."""
    allowed_from, to_state = TICKET_TRANSITIONS[action]
    if ticket.state not in allowed_from:
        raise InvalidTransition(
            f"ticket {ticket.label} is {TicketState(ticket.state).value}; "
            f"{action.replace('_', ' ')} needs it to be "
            + " or ".join(sorted(s.value for s in allowed_from)),
            key="ticket_wrong_state", label=ticket.label, state=TicketState(ticket.state),
        )
    from_state = ticket.state
    ticket.state = to_state
    uow.record(
        f"ticket.{action}",
        ticket_id=ticket.id,
        counter_id=counter.id if counter else ticket.counter_id,
        officer_id=officer_id,
        service_id=ticket.service_id,
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )


def acting(officer_id: int) -> str:
    """Who sends a counter's requests: the officer (a request id is theirs alone)."""
    return f"officer {officer_id}"


def replay(
    uow: UnitOfWork, request_id: str | None, action: str, officer_id: int
) -> TicketView | None:
    earlier = uow.replayed(request_id, action, acting(officer_id))
    if earlier is None:
        return None
    if earlier.ticket_id is None:
        raise InvalidTransition("this request was already applied")
    return ticket_view(uow, uow.session.get_one(Ticket, earlier.ticket_id))


def done(
    uow: UnitOfWork, ticket: Ticket, request_id: str | None, action: str, officer_id: int
) -> TicketView:
    uow.remember(request_id, action, ticket.id, acting(officer_id))
    uow.session.flush()
    view = ticket_view(uow, ticket)
    uow.commit()
    return view
