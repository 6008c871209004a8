"""A visitor's ticket as the phone shows it, and the survey: once per visit, after it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.errors import NotFound
from shared.domain.survey import QUESTION_KEYS, SurveyRefused
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.survey import answer_survey
from shared.services.ticket_status import ticket_status
from shared.store.database import Store
from shared.store.models import SurveyResponse
from tests.conftest import Staff
from tests.support.actions import run

ALL_GOOD = dict.fromkeys(QUESTION_KEYS, 4)


def test_waiting_ticket_shows_place_and_window(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    tickets = [run(store, issue_ticket, "JHT") for _ in range(3)]
    run(store, issue_ticket, "JKM")
    status = run(store, ticket_status, tickets[2].token)
    assert (status.label, status.state, status.people_ahead) == ("A003", "waiting", 2)
    assert status.window is not None and status.window[0] <= status.window[1]
    assert status.window[0] >= status.issued_at
    priority = run(store, issue_ticket, "JHT", priority=True)
    assert run(store, ticket_status, tickets[2].token).people_ahead == 3
    assert run(store, ticket_status, priority.token).people_ahead == 0
    run(store, calling.call_next, 1, staff.ani)  # the priority visitor
    assert run(store, ticket_status, tickets[2].token).people_ahead == 2


def test_called_ticket_names_its_counter_then_missed_says_until_when(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 2, staff.budi)
    ticket = run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 2, staff.budi)
    status = run(store, ticket_status, ticket.token)
    assert (status.state, status.counter_number, status.counter_name) == ("called", 2, "Loket 2")
    assert status.people_ahead is None and status.survey == "not_yet"
    clock.advance(timedelta(minutes=2))
    run(store, serving.no_show, 2, staff.budi)
    missed = run(store, ticket_status, ticket.token)
    assert missed.state == "no_show"
    assert missed.reinstate_until is not None
    clock.advance(timedelta(minutes=31))
    assert run(store, ticket_status, ticket.token).reinstate_until is None


def test_unknown_or_huge_token_is_not_found(store: Store) -> None:
    for token in ("nope", "", "x" * 10_000):
        with pytest.raises(NotFound):
            run(store, ticket_status, token)


def visit(store: Store, staff: Staff) -> str:
    run(store, counters.open_counter, 1, staff.ani)
    ticket = run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 1, staff.ani)
    run(store, serving.start, 1, staff.ani)
    return ticket.token


def test_survey_opens_after_the_visit_and_takes_one_answer(store: Store, staff: Staff) -> None:
    token = visit(store, staff)
    with pytest.raises(SurveyRefused, match="when your visit is over"):
        run(store, answer_survey, token, ALL_GOOD)
    run(store, serving.finish, 1, staff.ani)
    assert run(store, ticket_status, token).survey == "open"
    run(store, answer_survey, token, {**ALL_GOOD, "speed": "2"}, "  Cepat, terima kasih  ")
    assert run(store, ticket_status, token).survey == "answered"
    with pytest.raises(SurveyRefused, match="already been rated"):
        run(store, answer_survey, token, ALL_GOOD)
    with store.sessions() as session:
        response = session.scalars(select(SurveyResponse)).one()
        assert response.answers["speed"] == 2 and response.comment == "Cepat, terima kasih"
        assert response.officer_id == staff.ani


@pytest.mark.parametrize(
    ("answers", "comment", "message"),
    [
        ({**ALL_GOOD, "speed": 5}, "", "speed"),
        ({**ALL_GOOD, "speed": 0}, "", "speed"),
        ({k: v for k, v in ALL_GOOD.items() if k != "conduct"}, "", "conduct"),
        ({**ALL_GOOD, "bribe": 4}, "", "unknown"),
        ({**ALL_GOOD, "speed": True}, "", "speed"),
        (ALL_GOOD, "x" * 1001, "longer than 1000"),
    ],
)
def test_bad_answers_are_refused_and_the_survey_stays_open(
    store: Store, staff: Staff, answers: dict[str, object], comment: str, message: str
) -> None:
    token = visit(store, staff)
    run(store, serving.finish, 1, staff.ani)
    with pytest.raises(SurveyRefused, match=message):
        run(store, answer_survey, token, answers, comment)
    assert run(store, ticket_status, token).survey == "open"


def test_survey_closes_after_a_week(store: Store, staff: Staff, clock: ManualClock) -> None:
    token = visit(store, staff)
    run(store, serving.finish, 1, staff.ani)
    clock.advance(timedelta(days=8))
    assert run(store, ticket_status, token).survey == "closed"
    with pytest.raises(SurveyRefused, match="closed"):
        run(store, answer_survey, token, ALL_GOOD)
