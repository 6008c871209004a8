"""A visitor's own ticket as their phone shows it: place, window, the call, what to do next."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select

from shared.domain.errors import NotFound
from shared.domain.states import TicketState
from shared.domain.text import has_unprintable
from shared.estimation.estimator import QueueEstimate, estimate_queue
from shared.services.service_outlook import call_window
from shared.store.models import Counter, Service, SurveyResponse, Ticket
from shared.store.unit_of_work import UnitOfWork

TOKEN_LIMIT = 64
SURVEY_DAYS = 7  # a visit can be rated for a week


@dataclass(frozen=True)
class TicketStatus:
    label: str
    service_name_id: str
    service_name_en: str
    state: str
    priority: bool
    business_date: date
    issued_at: datetime  # local time of the branch
    people_ahead: int | None  # waiting tickets called before this one; None unless waiting
    window: tuple[datetime, datetime] | None  # expected call, local; None: not estimated
    counter_number: int | None
    counter_name: str | None
    call_count: int
    max_calls: int
    reinstate_until: datetime | None  # a missed visitor may still ask a counter to be taken
    survey: str  # "not_yet" (visit not over), "open", "answered", "closed"
    booked: bool
    # The window moved by more than queue.replan_notice_minutes since the visitor was told it
    # (a counter closed or paused, the roster changed): the page says so.
    window_moved: bool = False

    @property
    def fingerprint(self) -> tuple[object, ...]:
        """What the page shows; a live page repaints only when this changes."""
        return (self.state, self.people_ahead, self.window, self.counter_number,
                self.call_count, self.survey, self.window_moved)


def load_ticket(uow: UnitOfWork, token: str) -> Ticket:
    ticket = None
    # A NUL byte cannot even be compared on PostgreSQL, and no token holds one.
    if 0 < len(token) <= TOKEN_LIMIT and not has_unprintable(token):
        ticket = uow.session.scalar(
            select(Ticket).where(Ticket.branch_id == uow.branch_id, Ticket.token == token)
        )
    if ticket is None:
        raise NotFound("there is no ticket with this link")
    return ticket


def ticket_status(
    uow: UnitOfWork, token: str, estimate: Callable[[], QueueEstimate] | None = None
) -> TicketStatus:
    """`estimate`: where to get the queue's estimate (one shared by every page showing a
    ticket); asked only for a waiting ticket, so a wrong token costs no estimate."""
    ticket = load_ticket(uow, token)
    service = uow.session.get_one(Service, ticket.service_id)
    zone = uow.zone
    counter = uow.session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    ahead = window = None
    if ticket.state == TicketState.WAITING:
        ahead = _people_ahead(uow, ticket)
        queue_estimate = estimate() if estimate is not None else estimate_queue(uow)
        wait = queue_estimate.tickets.get(ticket.id)
        if wait is not None:
            # In whole minutes, as the kiosk, the ticket and the lobby show their figures.
            call = call_window(queue_estimate.at, wait)
            window = (call[0].astimezone(zone), call[1].astimezone(zone))
    reinstate_until = None
    if ticket.state == TicketState.NO_SHOW and ticket.no_show_at is not None:
        grace = timedelta(minutes=uow.settings.queue.no_show_grace_minutes)
        if uow.now() < ticket.no_show_at + grace:
            reinstate_until = (ticket.no_show_at + grace).astimezone(zone)
    return TicketStatus(
        label=ticket.label,
        service_name_id=service.name_id,
        service_name_en=service.name_en,
        state=ticket.state,
        priority=ticket.priority,
        business_date=ticket.business_date,
        issued_at=ticket.issued_at.astimezone(zone),
        people_ahead=ahead,
        window=window,
        counter_number=counter.number if counter else None,
        counter_name=counter.name if counter else None,
        call_count=ticket.call_count,
        max_calls=uow.settings.queue.max_calls,
        reinstate_until=reinstate_until,
        survey=survey_state(uow, ticket),
        booked=ticket.due_at is not None,
        window_moved=ticket.state == TicketState.WAITING and ticket.window_moved_at is not None,
    )


def survey_state(uow: UnitOfWork, ticket: Ticket) -> str:
    if ticket.state != TicketState.DONE:
        return "not_yet"
    answered = uow.session.scalar(
        select(SurveyResponse.id).where(SurveyResponse.ticket_id == ticket.id)
    )
    if answered is not None:
        return "answered"
    if uow.local_now().date() > ticket.business_date + timedelta(days=SURVEY_DAYS):
        return "closed"
    return "open"


def _people_ahead(uow: UnitOfWork, ticket: Ticket) -> int:
    """Waiting tickets of the same service that its counters take first: priority visitors,
    bookings already due, then everyone who queued earlier."""
    earlier = or_(
        Ticket.queued_at < ticket.queued_at,
        and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id),
    )
    if ticket.priority:
        first = and_(Ticket.priority.is_(True), earlier)
    else:
        due = and_(Ticket.due_at.is_not(None), Ticket.due_at <= uow.now())
        first = or_(Ticket.priority.is_(True), due, earlier)
    return int(
        uow.session.scalar(
            select(func.count()).where(
                Ticket.branch_id == uow.branch_id,
                Ticket.business_date == ticket.business_date,
                Ticket.service_id == ticket.service_id,
                Ticket.state == TicketState.WAITING,
                Ticket.id != ticket.id,
                first,
            )
        )
        or 0
    )
