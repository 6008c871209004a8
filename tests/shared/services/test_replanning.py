"""Re-planning: a counter closing or pausing recomputes every waiting window at once, and a
visitor whose window moved by more than queue.replan_notice_minutes is marked for their page."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from shared.clock import ManualClock
from shared.services.counters import close_counter, open_counter, pause_counter
from shared.services.issuing import Admission, issue_ticket
from shared.services.replanning import replan, told_window
from shared.services.roster import add_absence, remove_absence
from shared.services.ticket_status import ticket_status
from shared.store.database import Store
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import JAKARTA


def waiting_tickets(store: Store) -> list[Ticket]:
    with UnitOfWork(store, "TST") as uow:
        tickets = uow.session.scalars(select(Ticket).order_by(Ticket.id)).all()
        uow.session.expunge_all()
        return list(tickets)


def issue_jht(store: Store, clock: ManualClock, count: int) -> None:
    for _ in range(count):
        clock.advance(20)
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)


def test_closing_a_counter_marks_the_visitors_whose_window_moved(
    store: Store, clock: ManualClock, staff: Staff
) -> None:
    run(store, open_counter, 1, staff.ani)
    run(store, open_counter, 2, staff.budi)
    issue_jht(store, clock, 8)
    printed = {t.label: told_window(t) for t in waiting_tickets(store)}
    assert all(window is not None for window in printed.values())
    clock.advance(30)
    run(store, close_counter, 2, staff.budi)  # half the JHT capacity gone
    after = waiting_tickets(store)
    moved = [t for t in after if t.window_moved_at is not None]
    # The first visitors are called about as planned; the last ones much later.
    assert after[0].window_moved_at is None
    assert after[-1].window_moved_at == clock.now()
    for ticket in moved:
        before = printed[ticket.label]
        assert before is not None and ticket.window_until_at is not None
        assert ticket.window_until_at - before[1] > timedelta(minutes=10)
    with UnitOfWork(store, "TST") as uow:
        status = ticket_status(uow, after[-1].token)
        assert status.window_moved
        assert ticket_status(uow, after[0].token).window_moved is False
    # Judged against the window last told: nothing new, nobody is marked again.
    clock.advance(30)
    with UnitOfWork(store, "TST") as uow:
        assert replan(uow).moved == ()
        uow.commit()


def test_a_small_move_is_not_announced(store: Store, clock: ManualClock, staff: Staff) -> None:
    run(store, open_counter, 1, staff.ani)
    run(store, open_counter, 2, staff.budi)
    issue_jht(store, clock, 1)
    clock.advance(30)
    run(store, pause_counter, 2, staff.budi, "istirahat")
    assert [t.window_moved_at for t in waiting_tickets(store)] == [None]


def test_pausing_a_counter_replans_too(store: Store, clock: ManualClock, staff: Staff) -> None:
    run(store, open_counter, 1, staff.ani)
    run(store, open_counter, 2, staff.budi)
    issue_jht(store, clock, 8)
    clock.advance(30)
    run(store, pause_counter, 1, staff.ani, "cuti mendadak")  # leave: not back today
    assert waiting_tickets(store)[-1].window_moved_at == clock.now()


def test_a_roster_change_for_today_replans(store: Store, clock: ManualClock, staff: Staff) -> None:
    run(store, open_counter, 1, staff.ani)
    run(store, open_counter, 2, staff.budi)
    issue_jht(store, clock, 8)
    clock.advance(30)
    today = clock.now().astimezone(JAKARTA).date()
    entry = run(store, add_absence, 2, today, time(8, 10), time(14, 0), "meeting")
    assert waiting_tickets(store)[-1].window_moved_at == clock.now()
    clock.advance(60)
    run(store, remove_absence, entry.id)  # back after all: the windows move back, told again
    assert waiting_tickets(store)[-1].window_moved_at == clock.now()
