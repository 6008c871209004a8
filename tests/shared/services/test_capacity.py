"""Capacity-aware issuing: no ticket that cannot be served before closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.errors import IssuingClosed
from shared.estimation.window import window
from shared.services import counters, serving
from shared.services.access import load_service
from shared.services.issuing import (
    Admission,
    capacity_refusal,
    issue_ticket,
    wait_quantile,
)
from shared.services.runner import attempt
from shared.services.service_outlook import ServiceOutlook, branch_outlook
from shared.services.snapshot import live_snapshot
from shared.store.database import Store
from shared.store.models import Branch, DailySequence, Event
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import MONDAY_0800


def test_ticket_carries_its_estimate_and_window(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    first = run(store, issue_ticket, "JHT")
    second = run(store, issue_ticket, "JHT")
    assert first.estimate_seconds == 0
    assert second.estimate_seconds is not None and second.estimate_seconds > 10 * 60
    low, high = second.window_low_seconds, second.window_high_seconds
    assert low is not None and high is not None and low < second.estimate_seconds < high


def test_refuses_when_the_window_passes_closing_and_offers_the_next_day(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)  # the only JHT-first counter open
    clock.set(MONDAY_0800.replace(hour=13, minute=30))  # 90 minutes before closing at 15:00
    issued = 0
    with pytest.raises(IssuingClosed) as refused:
        for _ in range(30):
            run(store, issue_ticket, "JHT")
            issued += 1
    assert refused.value.reason == "capacity"
    assert refused.value.earliest == MONDAY_0800 + timedelta(days=1)
    # About 80 minutes of 12-minute visits at one counter, minus the window's spread.
    assert 3 <= issued <= 7
    snapshot = run(store, live_snapshot)
    assert snapshot.service("JHT").issued_today == issued  # the refusal burnt no number
    # Opening a second JHT counter makes room at once.
    run(store, counters.open_counter, 2, staff.budi)
    run(store, issue_ticket, "JHT")


def test_capacity_check_can_be_waived(store: Store, clock: ManualClock) -> None:
    clock.set(MONDAY_0800.replace(hour=14, minute=55))
    with pytest.raises(IssuingClosed):
        run(store, issue_ticket, "JHT")
    assert run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).label == "A001"


def _set_queue_rules(store: Store, **rules: object) -> None:
    with store.sessions() as session, session.begin():
        branch = session.scalars(select(Branch)).one()
        queue = dict(branch.settings.get("queue", {}))
        branch.settings = {**branch.settings, "queue": {**queue, **rules}}


def _jht_outlook(store: Store) -> ServiceOutlook:
    found = attempt(store, "TST", branch_outlook, read_only=True).service("JHT")
    assert found is not None
    return found


@pytest.mark.parametrize("expected", [30.0, 600.0, 5400.0])
def test_the_quantile_follows_the_window(expected: float) -> None:
    wait = window(expected, (0.3 * expected) ** 2, 2)
    assert wait_quantile(wait, 0.9) == pytest.approx(wait.high_seconds)
    assert wait.low_seconds < wait_quantile(wait, 0.5) < wait.expected_seconds
    assert wait_quantile(wait, 0.5) < wait_quantile(wait, 0.65) < wait.high_seconds


def test_the_rule_reads_its_quantile_so_fewer_are_refused(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    """At the window's end the rule refuses visitors most of whom would be called in time."""

    def issued_until_refused() -> int:
        issued = 0
        with pytest.raises(IssuingClosed):
            for _ in range(30):
                run(store, issue_ticket, "JHT")
                issued += 1
        return issued

    run(store, counters.open_counter, 1, staff.ani)
    clock.set(MONDAY_0800.replace(hour=13, minute=0))
    _set_queue_rules(store, capacity_wait_share=0.9)
    at_the_end = issued_until_refused()
    _set_queue_rules(store, capacity_wait_share=0.65, capacity_reopen_minutes=0)
    assert at_the_end + issued_until_refused() > at_the_end  # 0.65 admits more after 0.9 refused


def test_a_refused_service_reopens_only_when_the_wait_clearly_improves(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    clock.set(MONDAY_0800.replace(hour=13, minute=30))
    _set_queue_rules(store, capacity_reopen_minutes=30)
    labels = []
    with pytest.raises(IssuingClosed) as refused:
        for _ in range(30):
            labels.append(run(store, issue_ticket, "JHT").label)
    assert refused.value.reason == "capacity"
    # Every process now reads the refusal from the store, not from its own estimate.
    assert _jht_outlook(store).issuing == "capacity"
    # One visitor fewer ahead: enough for the bare rule, not for a reopening.
    run(store, serving.cancel, staff.sri, labels[-1], "left")
    _set_queue_rules(store, capacity_reopen_minutes=0)
    assert _jht_outlook(store).issuing == "open"  # what the bare rule would say (no hysteresis)
    _set_queue_rules(store, capacity_reopen_minutes=30)
    assert _jht_outlook(store).issuing == "capacity"
    with pytest.raises(IssuingClosed):
        run(store, issue_ticket, "JHT")
    # A second JHT counter halves the wait: clearly better, so it reopens for everyone.
    run(store, counters.open_counter, 2, staff.budi)
    assert _jht_outlook(store).issuing == "open"
    run(store, issue_ticket, "JHT")
    with store.read_sessions() as session:
        row = session.scalars(select(DailySequence).where(DailySequence.last_number > 0)).all()
        jht = next(r for r in row if r.last_number == len(labels) + 1)
        assert jht.capacity_refused_at is None
        kinds = session.scalars(select(Event.kind).where(Event.kind.like("service.%"))).all()
    assert kinds == ["service.capacity_refused", "service.capacity_reopened"]


def test_a_kiosk_reading_records_the_refusal_for_every_process(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    clock.set(MONDAY_0800.replace(hour=13, minute=30))
    for _ in range(12):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    _set_queue_rules(store, capacity_reopen_minutes=30)
    kiosk = attempt(store, "TST", lambda uow: branch_outlook(uow, settle=True))
    assert kiosk.service("JHT") is not None
    assert _jht_outlook(store).issuing == "capacity"
    run(store, serving.cancel, staff.sri, "A012", "left")
    assert _jht_outlook(store).issuing == "capacity"  # still: the recorded refusal holds


def test_no_ticket_for_a_service_no_counter_will_serve_today(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 4, staff.ani)  # the only RESET counter
    run(store, issue_ticket, "RESET")
    run(store, counters.open_counter, 1, staff.budi)
    called_next(store, 4, staff.ani)
    run(store, serving.start, 4, staff.ani)
    run(store, serving.finish, 4, staff.ani)
    run(store, counters.close_counter, 4, staff.ani)  # gone for the day
    clock.advance(timedelta(minutes=5))
    with pytest.raises(IssuingClosed) as refused:
        run(store, issue_ticket, "RESET")
    assert refused.value.reason == "unserved"
    assert refused.value.earliest == MONDAY_0800 + timedelta(days=1)
    reset = attempt(store, "TST", branch_outlook, read_only=True).service("RESET")
    assert reset is not None and reset.issuing == "unserved"
    # A counter that has not opened yet today may still come: JKM's are only late.
    jkm = attempt(store, "TST", branch_outlook, read_only=True).service("JKM")
    assert jkm is not None and (jkm.wait, jkm.issuing) == (None, "open")


def test_no_wait_because_the_counters_day_is_full_refuses_for_capacity(
    store: Store, staff: Staff
) -> None:
    """An estimate that ran out of the counters' day (no wait, yet counters serve the
    service) is a visitor not called today: refused, not issued without a window."""
    run(store, counters.open_counter, 1, staff.ani)

    def decide(uow: UnitOfWork, not_today: bool) -> IssuingClosed | None:
        service = load_service(uow, "JHT")
        return capacity_refusal(uow, service, None, uow.local_now(), None, not_today)

    refusal = run(store, decide, True)
    assert refusal is not None and refusal.reason == "capacity"
    assert run(store, decide, False) is None  # no wait, nothing known: issued as before
