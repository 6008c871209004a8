"""Calling visitors to a counter: call next, call a specific number, recall."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, and_, case, func, select

from shared.domain.errors import InvalidTransition, NotAllowed
from shared.domain.states import CounterState, TicketState
from shared.services.access import check_text, counter_for_officer, served_service_ids
from shared.services.fast_calling import FALL_BACK, call_next_in_one_statement
from shared.services.tickets import (
    acting,
    current_ticket,
    done,
    find_ticket,
    max_calls,
    move,
    replay,
)
from shared.services.views import TicketView, ticket_view
from shared.store.models import Counter, CounterService, Ticket
from shared.store.unit_of_work import UnitOfWork


def _require_open(counter: Counter) -> None:
    if counter.state != CounterState.OPEN:
        raise NotAllowed(f"counter {counter.number} is {counter.state}; open or resume it first",
                         key="counter_not_open", number=counter.number,
                         state=CounterState(counter.state))


def _clear_counter(uow: UnitOfWork, counter: Counter, officer_id: int) -> None:
    """Make room for the next call; a called ticket past the recall limit becomes a no-show."""
    if counter.current_ticket_id is None:
        return
    ticket = current_ticket(uow, counter)
    if ticket.state == TicketState.CALLED and ticket.call_count >= max_calls(uow):
        move(uow, ticket, "no_show", counter=counter, officer_id=officer_id, detail="call limit")
        ticket.no_show_at = uow.now()
        counter.current_ticket_id = None
        return
    if ticket.state in (TicketState.CALLED, TicketState.SERVING):
        raise InvalidTransition(
            f"ticket {ticket.label} is still {ticket.state} at counter {counter.number}; "
            "finish it, mark it no-show or transfer it first",
            key="ticket_still_open", label=ticket.label, number=counter.number,
            state=TicketState(ticket.state),
        )
    counter.current_ticket_id = None


def promise_owed(uow: UnitOfWork, now: datetime) -> ColumnElement[bool]:
    """A waiting ticket never called whose printed window ended more than the branch's grace
    ago: the visitor is owed the next call ("janji terlewat") ahead of those not yet owed,
    once (calling it sets first_called_at). The same test as migration 0009's procedure."""
    grace = 60.0 * uow.settings.queue.promise_grace_minutes
    if uow.store.dialect == "postgresql":
        ends = Ticket.issued_at + func.make_interval(
            0, 0, 0, 0, 0, 0, Ticket.window_high_seconds + grace
        )
        overdue = ends <= now
    else:  # SQLite keeps naive UTC text: compare in seconds
        since = (func.julianday(now.astimezone(UTC).replace(tzinfo=None))
                 - func.julianday(Ticket.issued_at)) * 86400.0
        overdue = since >= Ticket.window_high_seconds + grace
    return and_(
        Ticket.first_called_at.is_(None), Ticket.window_high_seconds.is_not(None), overdue
    )


def next_in_line(uow: UnitOfWork, counter: Counter) -> Ticket | None:
    """docs/design.md's call order: priority, then due bookings, then visitors owed a missed
    window, then the longest-waiting."""
    now = uow.now()
    booking_due = case((and_(Ticket.due_at.is_not(None), Ticket.due_at <= now), 0), else_=1)
    owed = case((promise_owed(uow, now), 0), else_=1)
    order: list[ColumnExpressionArgument[Any]] = [Ticket.priority.desc(), booking_due]
    if counter.call_policy == "service_order":
        order.append(CounterService.position)
    order += [owed, Ticket.queued_at, Ticket.id]
    query = (
        select(Ticket)
        .join(
            CounterService,
            and_(
                CounterService.service_id == Ticket.service_id,
                CounterService.counter_id == counter.id,
            ),
        )
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == uow.local_now().date(),
            Ticket.state == TicketState.WAITING,
        )
        .order_by(*order)
        .limit(1)
    )
    if uow.store.dialect == "postgresql":
        # Another counter's claim is skipped, never waited on (SQLite serialises writers).
        query = query.with_for_update(of=Ticket, skip_locked=True)
    return uow.session.scalar(query)


def _call(uow: UnitOfWork, counter: Counter, ticket: Ticket, officer_id: int, detail: str) -> None:
    move(uow, ticket, "call", counter=counter, officer_id=officer_id, detail=detail)
    now = uow.now()
    ticket.called_at = now
    ticket.first_called_at = ticket.first_called_at or now
    ticket.call_count = 1
    ticket.counter_id = counter.id
    ticket.officer_id = officer_id
    counter.current_ticket_id = ticket.id


def call_next(
    uow: UnitOfWork, counter_number: int, officer_id: int, request_id: str | None = None
) -> TicketView | None:
    """Call the next visitor to this counter; None when nobody is waiting for it."""
    if uow.store.dialect == "postgresql":
        clock = uow.store.clock
        fast = call_next_in_one_statement(
            uow.store,
            uow.branch_code,
            counter_number,
            officer_id,
            request_id,
            clock.now() if clock else None,
        )
        if fast is not FALL_BACK:
            return fast
    earlier = uow.replayed(request_id, "call_next", acting(officer_id))
    if earlier is not None:
        return (
            ticket_view(uow, uow.session.get_one(Ticket, earlier.ticket_id))
            if earlier.ticket_id
            else None
        )
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    _require_open(counter)
    _clear_counter(uow, counter, officer_id)
    ticket = next_in_line(uow, counter)
    if ticket is None:
        uow.remember(request_id, "call_next", None, acting(officer_id))
        uow.commit()
        return None
    _call(uow, counter, ticket, officer_id, "")
    return done(uow, ticket, request_id, "call_next", officer_id)


def call_ticket(
    uow: UnitOfWork,
    counter_number: int,
    officer_id: int,
    label: str,
    reason: str,
    request_id: str | None = None,
) -> TicketView:
    """Call one waiting number out of turn; the reason goes into the audit trail."""
    if (view := replay(uow, request_id, "call_ticket", officer_id)) is not None:
        return view
    reason = check_text(reason, "the reason for calling out of turn", 200, required=True)
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    _require_open(counter)
    ticket = find_ticket(uow, label, lock=True)
    if ticket.service_id not in served_service_ids(counter):
        raise NotAllowed(f"counter {counter.number} does not serve ticket {ticket.label}'s service",
                         key="counter_cannot_serve", number=counter.number, label=ticket.label)
    _clear_counter(uow, counter, officer_id)
    _call(uow, counter, ticket, officer_id, reason)
    return done(uow, ticket, request_id, "call_ticket", officer_id)


def recall(
    uow: UnitOfWork, counter_number: int, officer_id: int, request_id: str | None = None
) -> TicketView:
    """Call the current number again, up to the branch's call limit."""
    if (view := replay(uow, request_id, "recall", officer_id)) is not None:
        return view
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    ticket = current_ticket(uow, counter)
    limit = max_calls(uow)
    if ticket.state == TicketState.CALLED and ticket.call_count >= limit:
        raise InvalidTransition(
            f"ticket {ticket.label} has been called {ticket.call_count} times (the limit); "
            "mark it no-show",
            key="call_limit", label=ticket.label, count=ticket.call_count,
        )
    move(uow, ticket, "recall", counter=counter, officer_id=officer_id)
    ticket.call_count += 1
    ticket.called_at = uow.now()
    return done(uow, ticket, request_id, "recall", officer_id)
