"""Taking a visitor's survey answers (SKM): once per ticket, after the visit is over."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError

from shared.domain.survey import Question, SurveyRefused, asked, check_answers
from shared.services.ticket_status import load_ticket, survey_state
from shared.store.models import SurveyResponse
from shared.store.unit_of_work import UnitOfWork

_REFUSALS = {
    "not_yet": "the survey opens when your visit is over",
    "answered": "this visit has already been rated; thank you",
    "closed": "the survey of this visit has closed",
}


def answer_survey(
    uow: UnitOfWork, token: str, answers: Mapping[str, object], comment: str = ""
) -> None:
    ticket = load_ticket(uow, token)
    state = survey_state(uow, ticket)
    if state != "open":
        raise SurveyRefused(_REFUSALS[state], state)
    clean = check_answers(answers, comment.strip(), uow.settings.survey.elements)
    uow.session.add(
        SurveyResponse(
            branch_id=uow.branch_id,
            ticket_id=ticket.id,
            service_id=ticket.service_id,
            counter_id=ticket.counter_id,
            officer_id=ticket.officer_id,
            business_date=ticket.business_date,
            answered_at=uow.now(),
            answers=clean,
            comment=comment.strip(),
        )
    )
    try:
        uow.session.flush()
    except IntegrityError as error:  # two answers raced: the first one counts
        raise SurveyRefused(_REFUSALS["answered"], "answered") from error
    uow.record("survey.answered", ticket_id=ticket.id, service_id=ticket.service_id)
    uow.commit()


def asked_questions(uow: UnitOfWork) -> tuple[Question, ...]:
    """The survey elements this branch asks, in the regulation's order."""
    return asked(uow.settings.survey.elements)
