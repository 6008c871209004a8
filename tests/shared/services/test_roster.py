"""Today's roster and the supervisor's alerts, on both databases at a chosen time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.errors import InvalidTransition, NotAllowed, NotFound
from shared.estimation.estimator import estimate_queue
from shared.estimation.history import history
from shared.services import counters, roster, serving
from shared.services.alerts import AT_RISK, OVER_TARGET, SILENT, branch_alerts
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.models import Counter, Event
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import JAKARTA

MONDAY = date(2026, 11, 23)  # the clock fixture's day, 08:00 in the branch


def test_a_supervisor_plans_the_roster_an_officer_may_not(store: Store, staff: Staff) -> None:
    line = run(store, roster.add_absence, 2, MONDAY, time(9), time(12), "leave", "cuti tahunan",
               by=staff.sri)
    assert (line.counter_number, line.reason, line.note) == (2, "leave", "cuti tahunan")
    assert line.starts_at.isoformat() == "2026-11-23T02:00:00+00:00"  # 09:00 in Jakarta
    with pytest.raises(NotAllowed):
        run(store, roster.add_absence, 1, MONDAY, time(12), time(13), "lunch", by=staff.ani)
    with pytest.raises(NotAllowed):
        run(store, roster.remove_absence, line.id, by=staff.ani)
    ahead = run(store, roster.add_absence, 1, MONDAY + timedelta(days=4), time(11, 30),
                time(13), "prayer", by=staff.sri)
    assert [x.id for x in attempt(store, "TST", lambda uow: roster.roster(uow, MONDAY))] == [
        line.id
    ]
    week = attempt(store, "TST", lambda uow: roster.roster(uow, MONDAY, MONDAY + timedelta(6)))
    assert [x.id for x in week] == [line.id, ahead.id]
    run(store, roster.remove_absence, line.id, by=staff.sri)
    assert attempt(store, "TST", lambda uow: roster.roster(uow, MONDAY)) == ()
    with pytest.raises(NotFound):
        run(store, roster.remove_absence, line.id, by=staff.sri)
    kinds = attempt(store, "TST", lambda uow: list(uow.session.scalars(
        select(Event.kind).where(Event.kind.like("counter.roster%")).order_by(Event.id))))
    assert kinds == ["counter.roster_added", "counter.roster_added", "counter.roster_removed"]


@pytest.mark.parametrize(
    ("start", "end", "reason", "day"),
    [(time(10), time(9), "leave", MONDAY), (time(9), time(10), "holiday", MONDAY),
     (time(9), time(10), "leave", MONDAY - timedelta(days=1))],
)
def test_a_wrong_entry_is_refused(
    store: Store, staff: Staff, start: time, end: time, reason: str, day: date
) -> None:
    with pytest.raises(InvalidTransition):
        run(store, roster.add_absence, 1, day, start, end, reason, by=staff.sri)


def test_the_first_ticket_of_the_day_foresees_a_rostered_absence(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    # JHT is served by counters 1 and 2; counter 2 is on leave all morning.
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    for _ in range(6):
        run(store, issue_ticket, "JHT")
    before = attempt(store, "TST", estimate_queue, read_only=True).services
    run(store, roster.add_absence, 2, MONDAY, time(8), time(12), "training", by=staff.sri)
    after = attempt(store, "TST", estimate_queue, read_only=True).services
    jht = next(sid for sid, w in before.items() if w is not None
               and w.expected_seconds > 0 and sid in after)
    first, second = before[jht], after[jht]
    assert first is not None and second is not None
    assert second.expected_seconds > 1.8 * first.expected_seconds  # one counter instead of two


def test_a_silent_counter_is_alerted_and_taken_as_away(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    for _ in range(14):
        run(store, issue_ticket, "JHT")
    called_next(store, 1, staff.ani)  # counter 1 works; counter 2's officer has gone
    clock.advance(timedelta(minutes=19))
    assert [a for a in attempt(store, "TST", branch_alerts, read_only=True)
            if a.kind == SILENT] == []
    trusting = attempt(store, "TST", estimate_queue, read_only=True)
    clock.advance(timedelta(minutes=1))
    alerts = attempt(store, "TST", branch_alerts, read_only=True)
    silent = [a for a in alerts if a.kind == SILENT]
    # Counter 1 has a visitor: only counter 2 is silent; 13 wait for JHT (and JKM, none).
    assert [a.text for a in silent] == [
        "Loket 2 belum memanggil selama 20 menit; 13 orang menunggu layanannya"
    ]
    away = attempt(store, "TST", estimate_queue, read_only=True)
    later = [t for t in away.tickets if t in trusting.tickets]
    assert later and all(
        away.tickets[t].expected_seconds > trusting.tickets[t].expected_seconds for t in later[1:]
    )


def test_a_wait_past_its_target_and_windows_at_risk_are_alerted(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(3):
        run(store, issue_ticket, "JHT")
    assert [a.kind for a in attempt(store, "TST", branch_alerts, read_only=True)] == []
    clock.advance(timedelta(minutes=31))  # JHT's target in the small branch: 30 minutes
    kinds = {a.kind: a for a in attempt(store, "TST", branch_alerts, read_only=True)}
    assert kinds[OVER_TARGET].text.startswith("JHT: tunggu terlama 31 menit")
    clock.advance(timedelta(hours=3))
    kinds = {a.kind: a for a in attempt(store, "TST", branch_alerts, read_only=True)}
    assert kinds[AT_RISK].visitors == 3


def test_history_learns_an_open_counter_that_called_nobody(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    # On Monday counters 1 and 2 (JHT) were open 08:00-12:00 and 20 JHT visitors came at
    # 08:00; counter 1 served one every 12 minutes, counter 2's officer was not there.
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    for _ in range(20):
        run(store, issue_ticket, "JHT")
    for _ in range(20):
        called_next(store, 1, staff.ani)
        run(store, serving.start, 1, staff.ani)
        clock.advance(timedelta(minutes=12))
        run(store, serving.finish, 1, staff.ani)
    run(store, counters.close_counter, 1, staff.ani)
    run(store, counters.close_counter, 2, staff.budi)
    clock.set(datetime(2026, 11, 30, 8, 0, tzinfo=JAKARTA))  # a week later
    shares = attempt(store, "TST",
                     lambda uow: history(uow, MONDAY + timedelta(days=7)).open_share)
    ids = attempt(store, "TST", lambda uow: dict(uow.session.execute(
        select(Counter.number, Counter.id)).all()))
    morning = range(33, 47)  # 08:15-11:45
    assert [shares[ids[1]][s] for s in morning] == [1.0] * len(morning)
    assert [shares[ids[2]][s] for s in morning] == [0.0] * len(morning)
