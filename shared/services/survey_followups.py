"""Low survey ratings the supervisor follows up (tindak lanjut SKM).

A visit rated 1 or 2 on any element is a follow-up until a supervisor marks it handled. The
list is read from the answers themselves, so no answer is ever lost to a failed write; the
handling is an audit event, of a `counter.` kind because it is done at the counter app, whose
database role writes only those (migration 0007).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from shared.domain.errors import NotFound
from shared.domain.states import Role
from shared.domain.survey import QUESTION_BY_KEY, as_elements, hide_numbers, low_elements
from shared.services.access import check_text, load_officer, require_role
from shared.store.models import Counter, Event, Officer, Service, SurveyResponse, Ticket
from shared.store.unit_of_work import UnitOfWork

HANDLED = "counter.followup_handled"
# How far back the board looks: older answers are the report's business, not today's board.
LOOKBACK_DAYS = 14
MAX_SHOWN = 50


@dataclass(frozen=True)
class LowRating:
    code: str  # U1..U9
    element: str  # the regulation's name
    rating: int  # 1 or 2


@dataclass(frozen=True)
class FollowUp:
    ticket_id: int
    label: str
    answered_at: datetime
    counter: int | None
    officer: str | None
    service: str  # its code
    low: tuple[LowRating, ...]
    comment: str  # long numbers hidden

    @property
    def elements(self) -> str:
        return ", ".join(f"{r.code} {r.element}: {r.rating}" for r in self.low)


def open_followups(uow: UnitOfWork, officer_id: int) -> tuple[FollowUp, ...]:
    """The low ratings of the last LOOKBACK_DAYS not yet handled, newest first (supervisors)."""
    require_role(load_officer(uow, officer_id), Role.SUPERVISOR, "see survey follow-ups")
    since = uow.local_now().date() - timedelta(days=LOOKBACK_DAYS)
    handled = set(uow.session.scalars(
        select(Event.ticket_id).where(Event.branch_id == uow.branch_id, Event.kind == HANDLED)
    ))
    rows = uow.session.execute(
        select(SurveyResponse, Ticket.label, Service.code, Counter.number)
        .join(Ticket, Ticket.id == SurveyResponse.ticket_id)
        .join(Service, Service.id == SurveyResponse.service_id)
        .outerjoin(Counter, Counter.id == SurveyResponse.counter_id)
        .where(SurveyResponse.branch_id == uow.branch_id, SurveyResponse.business_date >= since)
        .order_by(SurveyResponse.answered_at.desc(), SurveyResponse.id.desc())
    ).all()
    # Only the officers' names: the counter's role may not read the rest of their rows.
    names: dict[int, str] = {
        officer_id: name for officer_id, name in uow.session.execute(
            select(Officer.id, Officer.name).where(Officer.branch_id == uow.branch_id))
    }
    found: list[FollowUp] = []
    for response, label, service, counter in rows:
        low = low_elements(response.answers)
        if not low or response.ticket_id in handled:
            continue
        answers = as_elements(response.answers)
        found.append(FollowUp(
            ticket_id=response.ticket_id,
            label=label,
            answered_at=response.answered_at,
            counter=counter,
            officer=None if response.officer_id is None else names.get(response.officer_id),
            service=service,
            low=tuple(LowRating(QUESTION_BY_KEY[k].code, QUESTION_BY_KEY[k].element, answers[k])
                      for k in low),
            comment=hide_numbers(response.comment.strip()),
        ))
        if len(found) == MAX_SHOWN:
            break
    return tuple(found)


def mark_handled(uow: UnitOfWork, officer_id: int, ticket_id: int, note: str = "") -> None:
    """A supervisor marks a low rating followed up; the audit trail keeps who, when and how."""
    officer = load_officer(uow, officer_id)
    require_role(officer, Role.SUPERVISOR, "mark a survey follow-up handled")
    note = check_text(note, "the note", 200)
    response = uow.session.scalar(select(SurveyResponse).where(
        SurveyResponse.branch_id == uow.branch_id, SurveyResponse.ticket_id == ticket_id))
    if response is None or not low_elements(response.answers):
        raise NotFound("there is no low survey rating of that visit to follow up")
    already = uow.session.scalar(select(Event.id).where(
        Event.branch_id == uow.branch_id, Event.kind == HANDLED, Event.ticket_id == ticket_id))
    if already is None:  # marking twice (two supervisors at once) records it once
        uow.record(HANDLED, ticket_id=ticket_id, officer_id=officer.id,
                   counter_id=response.counter_id, service_id=response.service_id,
                   detail=note)
    uow.commit()
