"""Capacity-aware issuing: no ticket that cannot be served before closing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import ManualClock
from shared.domain.errors import IssuingClosed
from shared.services import counters
from shared.services.issuing import Admission, issue_ticket
from shared.services.snapshot import live_snapshot
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import MONDAY_0800


def test_ticket_carries_its_estimate_and_window(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    first = run(store, issue_ticket, "JHT")
    second = run(store, issue_ticket, "JHT")
    assert first.estimate_seconds == 0
    assert second.estimate_seconds is not None and second.estimate_seconds > 10 * 60
    assert second.window_low_seconds < second.estimate_seconds < second.window_high_seconds


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
