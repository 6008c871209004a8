"""Issuing: numbering, hours, quota, priority, idempotency, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.clock import ManualClock
from shared.domain.errors import IssuingClosed, NotAllowed, NotFound
from shared.services.issuing import issue_ticket
from shared.services.snapshot import live_snapshot
from shared.services.tickets import find_ticket
from shared.store.database import Store
from shared.store.models import DailySequence, Service
from shared.store.unit_of_work import UnitOfWork
from tests.support.actions import run
from tests.support.branches import JAKARTA, MONDAY_0800


def test_numbers_are_per_service_and_consecutive(store: Store) -> None:
    labels = [run(store, issue_ticket, code).label for code in ["JHT", "JHT", "JKM", "JHT"]]
    assert labels == ["A001", "A002", "B001", "A003"]


def test_people_ahead_counts_waiting_in_the_same_service(store: Store) -> None:
    run(store, issue_ticket, "JHT")
    run(store, issue_ticket, "JKM")
    third = run(store, issue_ticket, "JHT")
    assert third.people_ahead == 1
    priority = run(store, issue_ticket, "JHT", priority=True)
    assert priority.people_ahead == 0


def test_numbering_restarts_on_the_next_business_day(store: Store, clock: ManualClock) -> None:
    assert run(store, issue_ticket, "JHT").label == "A001"
    clock.set(MONDAY_0800 + timedelta(days=1))
    assert run(store, issue_ticket, "JHT").label == "A001"


def test_same_request_twice_gives_one_ticket(store: Store) -> None:
    first = run(store, issue_ticket, "JHT", request_id="tap-1")
    again = run(store, issue_ticket, "JHT", request_id="tap-1")
    assert again.id == first.id and again.label == "A001"
    assert run(store, issue_ticket, "JHT", request_id="tap-2").label == "A002"


def test_closed_outside_issuing_hours_names_the_next_opening(
    store: Store, clock: ManualClock
) -> None:
    clock.set(MONDAY_0800.replace(hour=8, minute=45))
    with pytest.raises(IssuingClosed) as refused:
        run(store, issue_ticket, "RESET")
    assert refused.value.reason == "closed"
    assert refused.value.earliest == MONDAY_0800.replace(day=24)  # Tuesday 08:00
    clock.set(MONDAY_0800.replace(hour=15, minute=0))
    with pytest.raises(IssuingClosed):
        run(store, issue_ticket, "JHT")


def test_holiday_is_closed(store: Store, clock: ManualClock) -> None:
    clock.set(MONDAY_0800.replace(month=12, day=25, hour=9))  # a Friday, and Christmas
    with pytest.raises(IssuingClosed) as refused:
        run(store, issue_ticket, "JHT")
    earliest = refused.value.earliest
    assert earliest is not None and earliest.astimezone(JAKARTA).day == 28  # Monday after


def test_quota_stops_issuing_without_burning_a_number(store: Store) -> None:
    assert [run(store, issue_ticket, "RESET").label for _ in range(3)] == [
        "D001", "D002", "D003"
    ]
    for _ in range(2):
        with pytest.raises(IssuingClosed) as refused:
            run(store, issue_ticket, "RESET")
        assert refused.value.reason == "full"
    snapshot = run(store, live_snapshot)
    assert snapshot.service("RESET").issued_today == 3


def numbers_taken(store: Store, service_code: str, last_number: int) -> None:
    """As if `last_number` tickets of the service had been issued today."""
    with UnitOfWork(store, "TST") as uow:
        service = uow.session.query(Service).filter_by(code=service_code).one()
        uow.session.add(DailySequence(service_id=service.id, business_date=uow.local_now().date(),
                                      branch_id=uow.branch_id, last_number=last_number))
        uow.session.commit()


def test_numbers_past_9999_are_issued_and_found_by_their_label(store: Store) -> None:
    numbers_taken(store, "JHT", 9999)
    issued = run(store, issue_ticket, "JHT")
    assert issued.label == "A10000"
    found = run(store, lambda uow: find_ticket(uow, " a10000 ").id)
    assert found == issued.id


def test_a_service_without_quota_stops_at_the_last_number_a_label_can_carry(
    store: Store,
) -> None:
    numbers_taken(store, "JHT", 999_998)
    assert run(store, issue_ticket, "JHT").label == "A999999"
    assert run(store, lambda uow: find_ticket(uow, "A999999").number) == 999_999
    with pytest.raises(IssuingClosed) as refused:
        run(store, issue_ticket, "JHT")
    assert refused.value.reason == "full"


def test_priority_only_where_the_service_allows_it(store: Store) -> None:
    with pytest.raises(NotAllowed, match="no priority queue"):
        run(store, issue_ticket, "RESET", priority=True)
    assert run(store, issue_ticket, "JHT", priority=True).priority


def test_unknown_service_is_a_clear_error_and_loses_nothing(store: Store) -> None:
    run(store, issue_ticket, "JHT")
    with pytest.raises(NotFound, match="no service 'XYZ'"):
        run(store, issue_ticket, "XYZ")
    with pytest.raises(NotAllowed, match="too long"):
        run(store, issue_ticket, "JHT", kiosk="k" * 10_000)
    assert run(store, issue_ticket, "JHT").label == "A002"


def test_tokens_are_unguessable_and_distinct(store: Store) -> None:
    tokens = {run(store, issue_ticket, "JHT").token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 20 for t in tokens)
