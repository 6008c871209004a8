"""Each service's outlook: counts, the wait, and the kiosk's own issuing rules."""

from __future__ import annotations

from datetime import time, timedelta

from shared.clock import ManualClock
from shared.services import counters
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.service_outlook import ServiceOutlook, branch_outlook
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run


def waits(store: Store) -> dict[str, ServiceOutlook]:
    outlook = attempt(store, "TST", branch_outlook, read_only=True)
    return {w.code: w for w in outlook.services}


def test_waiting_counts_and_an_estimate_for_each_open_service(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(4):
        run(store, issue_ticket, "JHT")
    lines = waits(store)
    assert sorted(w.prefix for w in lines.values()) == ["A", "B", "D"]
    jht = lines["JHT"]
    assert (jht.waiting, jht.issuing, jht.quota_left) == (4, "open", None)
    assert jht.wait is not None
    assert 0 < jht.wait.low_seconds < jht.wait.expected_seconds < jht.wait.high_seconds
    assert jht.issuing_hours == (time(8), time(15))
    # JKM: counters 2 and 3 serve it but are closed, so no counter will call it; they have
    # not opened today yet, so it is still issued (its officers may be late).
    assert (lines["JKM"].wait, lines["JKM"].issuing) == (None, "open")


def test_quota_left_then_full(store: Store, staff: Staff) -> None:
    run(store, counters.open_counter, 4, staff.ani)
    assert waits(store)["RESET"].quota_left == 3
    for _ in range(3):
        run(store, issue_ticket, "RESET")
    reset = waits(store)["RESET"]
    assert (reset.quota_left, reset.issuing, reset.waiting) == (0, "full", 3)


def test_closed_before_and_after_the_issuing_hours(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    clock.advance(timedelta(minutes=45))  # 08:45: RESET issues 08:00-08:30 only
    reset = waits(store)["RESET"]
    assert (reset.issuing, reset.opens_later_today) == ("closed", None)
    assert waits(store)["JHT"].issuing == "open"


def test_a_display_before_opening_says_when_tickets_start(store: Store, clock: ManualClock) -> None:
    store.clock = ManualClock(clock.now() - timedelta(minutes=30))  # 07:30
    lines = waits(store)
    assert {w.issuing for w in lines.values()} == {"closed"}
    assert lines["JHT"].opens_later_today == time(8)


def test_capacity_left_follows_the_kiosk(store: Store, staff: Staff, clock: ManualClock) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    clock.advance(timedelta(hours=6, minutes=30))  # 14:30: a new JHT visitor cannot be served
    for _ in range(3):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    assert waits(store)["JHT"].issuing == "capacity"
