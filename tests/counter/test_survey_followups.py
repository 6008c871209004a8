"""The board's section of low survey ratings: listed for the supervisor, marked handled."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from counter.login_page import NO_COUNTER
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.survey import answer_survey
from shared.services.survey_followups import HANDLED
from shared.store.database import Store
from shared.store.models import Event
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.counter.conftest import Terminal
from tests.support.actions import run


def test_a_low_rating_is_on_the_board_until_the_supervisor_marks_it_handled(
    sqlite_store: Store, sqlite_staff: Staff, make_terminal: Callable[..., Terminal]
) -> None:
    ticket = run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, counters.open_counter, 2, sqlite_staff.budi)
    for step in (calling.call_next, serving.start, serving.finish):
        run(sqlite_store, step, 2, sqlite_staff.budi)
    answers = dict.fromkeys(QUESTION_KEYS, 4) | {"conduct": 1}
    run(sqlite_store, answer_survey, ticket.token, answers, "Petugas ketus")

    officer = make_terminal(sqlite_store)
    officer.sign_in("ani", 1)
    assert officer.window.board_page is None  # an officer has no board, nor its follow-ups

    t = make_terminal(sqlite_store)
    t.sign_in("sri", NO_COUNTER)
    page = t.window.board_page
    assert page is not None
    box = page.followups
    texts = [box.model.data(box.model.index(0, c)) for c in range(1, 6)]
    assert texts == ["2", "Budi", "JHT A001", "U7 Perilaku pelaksana: 1", "Petugas ketus"]
    assert not box.handled.isEnabled()  # nothing chosen yet
    box.table.selectRow(0)
    assert box.handled.isEnabled()
    box.handled.click()
    assert box.model.rowCount() == 0
    with UnitOfWork(sqlite_store, "TST") as uow:
        marked = uow.session.scalars(select(Event.officer_id).where(Event.kind == HANDLED))
        assert list(marked) == [sqlite_staff.sri]
