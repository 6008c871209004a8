"""What happens at the counter after a call: start, finish, no-show, transfer, hold, resume."""

from __future__ import annotations

from datetime import timedelta

from shared.domain.errors import InvalidTransition, NotAllowed
from shared.domain.states import CounterState, Outcome, Role, TicketState
from shared.services.access import (
    check_text,
    counter_for_officer,
    load_officer,
    load_service,
    require_role,
)
from shared.services.tickets import current_ticket, done, find_ticket, move, replay
from shared.services.views import TicketView
from shared.store.unit_of_work import UnitOfWork


def start(
    uow: UnitOfWork, counter_number: int, officer_id: int, request_id: str | None = None
) -> TicketView:
    """The visitor has arrived at the counter: service begins."""
    if (view := replay(uow, request_id, "start", officer_id)) is not None:
        return view
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    move(uow, ticket, "start", counter=counter, officer_id=officer_id)
    ticket.started_at = uow.now()
    return done(uow, ticket, request_id, "start", officer_id)


def finish(
    uow: UnitOfWork,
    counter_number: int,
    officer_id: int,
    outcome: Outcome | str = Outcome.COMPLETED,
    request_id: str | None = None,
) -> TicketView:
    if (view := replay(uow, request_id, "finish", officer_id)) is not None:
        return view
    try:
        outcome = Outcome(outcome)
    except ValueError:
        allowed = ", ".join(o.value for o in Outcome)
        raise NotAllowed(f"unknown outcome {str(outcome)[:30]!r}; use one of {allowed}") from None
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    move(uow, ticket, "finish", counter=counter, officer_id=officer_id, detail=outcome.value)
    ticket.finished_at = uow.now()
    ticket.outcome = outcome.value
    counter.current_ticket_id = None
    return done(uow, ticket, request_id, "finish", officer_id)


def no_show(
    uow: UnitOfWork, counter_number: int, officer_id: int, request_id: str | None = None
) -> TicketView:
    """The called visitor did not come; the counter is free for the next call."""
    if (view := replay(uow, request_id, "no_show", officer_id)) is not None:
        return view
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    move(uow, ticket, "no_show", counter=counter, officer_id=officer_id)
    ticket.no_show_at = uow.now()
    counter.current_ticket_id = None
    return done(uow, ticket, request_id, "no_show", officer_id)


def reinstate(
    uow: UnitOfWork, officer_id: int, label: str, request_id: str | None = None
) -> TicketView:
    """A late visitor gets their place back, within the branch's grace period."""
    if (view := replay(uow, request_id, "reinstate", officer_id)) is not None:
        return view
    load_officer(uow, officer_id)
    ticket = find_ticket(uow, label, lock=True)
    grace = uow.settings.queue.no_show_grace_minutes
    if (
        ticket.state == TicketState.NO_SHOW
        and ticket.no_show_at is not None
        and uow.now() - ticket.no_show_at > timedelta(minutes=grace)
    ):
        raise InvalidTransition(
            f"ticket {ticket.label} missed its call more than {grace} minutes ago; "
            "take a new ticket",
            key="missed_too_long", label=ticket.label, grace=grace,
        )
    move(uow, ticket, "reinstate", officer_id=officer_id)
    ticket.counter_id = None
    ticket.officer_id = None
    ticket.call_count = 0
    ticket.no_show_at = None
    return done(uow, ticket, request_id, "reinstate", officer_id)


def transfer(
    uow: UnitOfWork,
    counter_number: int,
    officer_id: int,
    to_service: str,
    note: str = "",
    request_id: str | None = None,
) -> TicketView:
    """Send the visitor to another service's queue under the same number."""
    if (view := replay(uow, request_id, "transfer", officer_id)) is not None:
        return view
    note = check_text(note, "the transfer note", 500)
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    target = load_service(uow, to_service)
    if target.id == ticket.service_id:
        raise InvalidTransition(f"ticket {ticket.label} is already in {target.name_en}",
                                key="already_in_service", label=ticket.label,
                                service=target.name_id)
    detail = f"to {target.code}" + (f": {note}" if note else "")
    move(uow, ticket, "transfer", counter=counter, officer_id=officer_id, detail=detail)
    ticket.service_id = target.id
    if not target.transfer_keeps_place:
        ticket.queued_at = uow.now()
    ticket.counter_id = None
    ticket.officer_id = None
    ticket.call_count = 0
    ticket.called_at = None
    ticket.started_at = None
    counter.current_ticket_id = None
    return done(uow, ticket, request_id, "transfer", officer_id)


def hold(
    uow: UnitOfWork, counter_number: int, officer_id: int, request_id: str | None = None
) -> TicketView:
    """Park the visitor (e.g. fetching a document); the counter may serve others meanwhile."""
    if (view := replay(uow, request_id, "hold", officer_id)) is not None:
        return view
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    move(uow, ticket, "hold", counter=counter, officer_id=officer_id)
    counter.current_ticket_id = None
    return done(uow, ticket, request_id, "hold", officer_id)


def resume(
    uow: UnitOfWork,
    counter_number: int,
    officer_id: int,
    label: str,
    request_id: str | None = None,
) -> TicketView:
    if (view := replay(uow, request_id, "resume", officer_id)) is not None:
        return view
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = find_ticket(uow, label, lock=True)
    if ticket.state == TicketState.HELD and ticket.counter_id != counter.id:
        raise NotAllowed(f"ticket {ticket.label} is held at another counter",
                         key="held_elsewhere", label=ticket.label)
    if counter.state != CounterState.OPEN:
        raise NotAllowed(f"counter {counter.number} is {counter.state}; resume or open it first",
                         key="counter_not_open", number=counter.number,
                         state=CounterState(counter.state))
    if counter.current_ticket_id is not None:
        busy = current_ticket(uow, counter)
        raise InvalidTransition(f"counter {counter.number} is busy with {busy.label}",
                                key="counter_busy", number=counter.number, label=busy.label)
    move(uow, ticket, "resume", counter=counter, officer_id=officer_id)
    counter.current_ticket_id = ticket.id
    return done(uow, ticket, request_id, "resume", officer_id)


def cancel(
    uow: UnitOfWork, officer_id: int, label: str, reason: str, request_id: str | None = None
) -> TicketView:
    """A supervisor removes a waiting ticket, with a reason for the audit trail."""
    if (view := replay(uow, request_id, "cancel", officer_id)) is not None:
        return view
    officer = load_officer(uow, officer_id)
    require_role(officer, Role.SUPERVISOR, "cancel a ticket")
    reason = check_text(reason, "the reason for cancelling", 200, required=True)
    ticket = find_ticket(uow, label, lock=True)
    move(uow, ticket, "cancel", officer_id=officer_id, detail=reason)
    ticket.finished_at = uow.now()
    return done(uow, ticket, request_id, "cancel", officer_id)
