"""Re-planning: when a counter closes or pauses or the roster changes, every waiting visitor's
window is recomputed at once, and a visitor whose window moved by more than
queue.replan_notice_minutes is marked so their phone page can tell them.

A move is judged against the window the visitor was last told: the printed one, or the one
of the last mark. Small drifts therefore add up to a notice instead of each passing unseen,
and a visitor is not told again about a window they already know. The ticket keeps that
last-told window (`window_from_at`, `window_until_at`) and when it was marked
(`window_moved_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from shared.domain.states import TicketState
from shared.estimation.estimator import estimate_queue
from shared.services.service_outlook import call_window
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Replanned:
    waiting: int  # windows recomputed
    moved: tuple[str, ...]  # labels of the visitors marked


def told_window(ticket: Ticket) -> tuple[datetime, datetime] | None:
    """The window the visitor was last told: the last re-planned one, else the printed one."""
    if ticket.window_from_at is not None and ticket.window_until_at is not None:
        return ticket.window_from_at, ticket.window_until_at
    if ticket.window_low_seconds is None or ticket.window_high_seconds is None:
        return None
    return (
        ticket.issued_at + timedelta(seconds=ticket.window_low_seconds),
        ticket.issued_at + timedelta(seconds=ticket.window_high_seconds),
    )


def replan(uow: UnitOfWork) -> Replanned:
    """Recompute every waiting window in this unit of work (flushed, not committed)."""
    uow.session.flush()  # the change that asked for it counts
    estimate = estimate_queue(uow)
    limit = timedelta(minutes=uow.settings.queue.replan_notice_minutes)
    tickets = uow.session.scalars(
        select(Ticket)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == uow.local_now().date(),
            Ticket.state == TicketState.WAITING,
        )
        .order_by(Ticket.id)
    ).all()
    moved = []
    for ticket in tickets:
        wait = estimate.tickets.get(ticket.id)
        told = told_window(ticket)
        if wait is None or told is None:
            continue  # nothing to compare: the page already says there is no estimate
        start, end = call_window(estimate.at, wait)
        if abs(start - told[0]) > limit or abs(end - told[1]) > limit:
            ticket.window_from_at, ticket.window_until_at = start, end
            ticket.window_moved_at = estimate.at
            moved.append(ticket.label)
    # No event of its own: the counter's or roster's event that caused it tells every page.
    return Replanned(len(tickets), tuple(moved))
