"""Counter state: open, pause, resume, close, and which services a counter serves."""

from __future__ import annotations

from sqlalchemy import select

from shared.domain.errors import InvalidTransition, NotAllowed
from shared.domain.states import CounterState, Role, TicketState
from shared.services.access import (
    check_text,
    load_counter,
    load_officer,
    load_service,
    require_role,
)
from shared.services.replanning import replan
from shared.store.models import Counter, CounterService, Officer, Ticket
from shared.store.unit_of_work import UnitOfWork


def _acting_on(uow: UnitOfWork, counter: Counter, officer: Officer, action: str) -> None:
    if counter.officer_id != officer.id:
        require_role(officer, Role.SUPERVISOR, f"{action} another officer's counter")


def _set_state(
    uow: UnitOfWork,
    counter: Counter,
    state: CounterState,
    officer_id: int,
    kind: str,
    detail: str = "",
) -> None:
    from_state = counter.state
    counter.state = state
    counter.state_since = uow.now()
    uow.record(
        kind,
        counter_id=counter.id,
        officer_id=officer_id,
        from_state=from_state,
        to_state=state.value,
        detail=detail,
    )


def _require_idle(uow: UnitOfWork, counter: Counter, action: str) -> None:
    if counter.current_ticket_id is not None:
        ticket = uow.session.get_one(Ticket, counter.current_ticket_id)
        if ticket.state in (TicketState.CALLED, TicketState.SERVING):
            raise InvalidTransition(
                f"counter {counter.number} is busy with {ticket.label}; "
                f"finish it before you {action}",
                key="counter_busy", number=counter.number, label=ticket.label,
            )


def open_counter(uow: UnitOfWork, counter_number: int, officer_id: int) -> None:
    """An officer starts work at a counter (a supervisor may reopen it for them)."""
    officer = load_officer(uow, officer_id)
    counter = load_counter(uow, counter_number, lock=True)
    if counter.state != CounterState.CLOSED:
        if counter.officer_id == officer.id:
            return  # already open under this name: a repeated request has one effect
        raise InvalidTransition(f"counter {counter.number} is already open under another officer",
                                key="counter_taken", number=counter.number)
    elsewhere = uow.session.scalar(
        select(Counter).where(
            Counter.branch_id == uow.branch_id,
            Counter.officer_id == officer.id,
            Counter.state != CounterState.CLOSED,
            Counter.id != counter.id,
        )
    )
    if elsewhere is not None:
        raise NotAllowed(f"you are still at counter {elsewhere.number}; close it first",
                         key="still_at_counter", number=elsewhere.number)
    counter.officer_id = officer.id
    counter.pause_reason = ""
    _set_state(uow, counter, CounterState.OPEN, officer.id, "counter.opened")
    uow.commit()


def pause_counter(uow: UnitOfWork, counter_number: int, officer_id: int, reason: str) -> None:
    """A break or leave: the counter takes no calls and the estimates know it at once."""
    officer = load_officer(uow, officer_id)
    reason = check_text(reason, "the reason for the pause", 200, required=True)
    counter = load_counter(uow, counter_number, lock=True)
    _acting_on(uow, counter, officer, "pause")
    if counter.state == CounterState.PAUSED:
        return
    if counter.state != CounterState.OPEN:
        raise InvalidTransition(f"counter {counter.number} is closed; it cannot be paused",
                                key="counter_closed_no_pause", number=counter.number)
    _require_idle(uow, counter, "pause")
    counter.pause_reason = reason
    _set_state(uow, counter, CounterState.PAUSED, officer.id, "counter.paused", reason)
    replan(uow)
    uow.commit()


def resume_counter(uow: UnitOfWork, counter_number: int, officer_id: int) -> None:
    officer = load_officer(uow, officer_id)
    counter = load_counter(uow, counter_number, lock=True)
    _acting_on(uow, counter, officer, "resume")
    if counter.state == CounterState.OPEN:
        return
    if counter.state != CounterState.PAUSED:
        raise InvalidTransition(f"counter {counter.number} is closed; open it instead",
                                key="counter_closed_open_it", number=counter.number)
    counter.pause_reason = ""
    _set_state(uow, counter, CounterState.OPEN, officer.id, "counter.resumed")
    uow.commit()


def close_counter(uow: UnitOfWork, counter_number: int, officer_id: int) -> None:
    officer = load_officer(uow, officer_id)
    counter = load_counter(uow, counter_number, lock=True)
    _acting_on(uow, counter, officer, "close")
    if counter.state == CounterState.CLOSED:
        return
    _require_idle(uow, counter, "close")
    held = uow.session.scalar(
        select(Ticket).where(Ticket.counter_id == counter.id, Ticket.state == TicketState.HELD)
    )
    if held is not None:
        raise InvalidTransition(
            f"ticket {held.label} is on hold at counter {counter.number}; resume or transfer it",
            key="ticket_on_hold", label=held.label, number=counter.number,
        )
    counter.current_ticket_id = None
    counter.officer_id = None
    counter.pause_reason = ""
    _set_state(uow, counter, CounterState.CLOSED, officer.id, "counter.closed")
    replan(uow)
    uow.commit()


def assign_services(
    uow: UnitOfWork, counter_number: int, officer_id: int, service_codes: list[str]
) -> None:
    """A supervisor sets which services a counter serves, in order (e.g. when staff are absent)."""
    officer = load_officer(uow, officer_id)
    require_role(officer, Role.SUPERVISOR, "reassign services")
    if not service_codes:
        raise NotAllowed("a counter must serve at least one service", key="no_services")
    if len(set(service_codes)) != len(service_codes):
        raise NotAllowed("a service is listed twice", key="service_twice")
    services = [load_service(uow, code) for code in service_codes]
    counter = load_counter(uow, counter_number, lock=True)
    replace_assignments(uow, counter, [s.id for s in services])
    uow.record(
        "counter.services",
        counter_id=counter.id,
        officer_id=officer.id,
        detail=",".join(service_codes),
    )
    uow.commit()


def replace_assignments(uow: UnitOfWork, counter: Counter, service_ids: list[int]) -> None:
    counter.assignments.clear()
    uow.session.flush()
    for position, service_id in enumerate(service_ids):
        counter.assignments.append(
            CounterService(
                counter_id=counter.id,
                service_id=service_id,
                branch_id=uow.branch_id,
                position=position,
            )
        )
