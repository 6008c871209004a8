"""A low survey rating becomes a follow-up on the supervisor's board until it is handled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.domain.errors import NotAllowed, NotFound
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.survey import answer_survey
from shared.services.survey_followups import HANDLED, mark_handled, open_followups
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.models import Event, SurveyResponse, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import run


def served(store: Store, officer: int, counter: int = 1) -> TicketView:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, counter, officer)
    for step in (calling.call_next, serving.start, serving.finish):
        run(store, step, counter, officer)
    run(store, counters.close_counter, counter, officer)
    return ticket


def test_a_low_rating_is_followed_up_by_the_supervisor_only(store: Store, staff: Staff) -> None:
    good = served(store, staff.ani)
    run(store, answer_survey, good.token, dict.fromkeys(QUESTION_KEYS, 3), "")
    poor = served(store, staff.budi, counter=2)
    answers = dict.fromkeys(QUESTION_KEYS, 4) | {"speed": 1, "complaints": 2}
    run(store, answer_survey, poor.token, answers, "Lama sekali, hubungi 0812 3456 7890")

    shown = run(store, open_followups, staff.sri)
    assert [f.label for f in shown] == [poor.label]  # the visit rated 3 everywhere is not there
    item = shown[0]
    assert (item.counter, item.officer, item.service) == (2, "Budi", "JHT")
    assert item.elements == (
        "U3 Waktu penyelesaian: 1, U8 Penanganan pengaduan, saran dan masukan: 2")
    assert "0812" not in item.comment and item.comment.startswith("Lama sekali")

    with pytest.raises(NotAllowed):
        run(store, open_followups, staff.ani)  # an officer does not see the board's list
    with pytest.raises(NotAllowed):
        run(store, mark_handled, staff.budi, item.ticket_id)
    with pytest.raises(NotFound):
        run(store, mark_handled, staff.sri, good.id)  # nothing low to follow up there

    run(store, mark_handled, staff.sri, item.ticket_id, "Ditelepon, minta maaf")
    run(store, mark_handled, staff.sri, item.ticket_id)  # twice: recorded once
    assert run(store, open_followups, staff.sri) == ()
    with UnitOfWork(store, "TST") as uow:
        audit = uow.session.execute(
            select(Event.officer_id, Event.counter_id, Event.detail).where(Event.kind == HANDLED)
        ).all()
        counter_two = uow.session.scalar(
            select(SurveyResponse.counter_id).where(SurveyResponse.ticket_id == poor.id))
    assert [tuple(a) for a in audit] == [(staff.sri, counter_two, "Ditelepon, minta maaf")]


def test_an_old_five_question_answer_rated_low_is_followed_up(
    store: Store, staff: Staff
) -> None:
    visit = served(store, staff.ani)
    with UnitOfWork(store, "TST") as uow:  # as the five-question form stored it
        ticket = uow.session.get_one(Ticket, visit.id)
        uow.session.add(SurveyResponse(
            branch_id=uow.branch_id, ticket_id=ticket.id, service_id=ticket.service_id,
            counter_id=ticket.counter_id, officer_id=ticket.officer_id,
            business_date=ticket.business_date, answered_at=uow.now(),
            answers={"requirements": 4, "procedure": 4, "speed": 4, "staff": 2,
                     "facilities": 4},
            comment=""))
        uow.commit()
    [item] = run(store, open_followups, staff.sri)
    assert (item.label, item.officer, item.elements) == (
        visit.label, "Ani", "U7 Perilaku pelaksana: 2")
