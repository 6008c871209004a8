"""The clocks: a manual one for tests and simulations, a shifted one chosen by environment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.clock import (
    CLOCK_ENV,
    CLOCK_SET_AT_ENV,
    ManualClock,
    ShiftedClock,
    clock_from_environment,
)
from shared.store.database import open_store
from tests.support.branches import MONDAY_0800
from tests.support.clocks import MONDAY_0900, clock_variables


def test_a_manual_clock_moves_only_forwards() -> None:
    clock = ManualClock(MONDAY_0800)
    assert clock.advance(90) == MONDAY_0800 + timedelta(seconds=90)
    with pytest.raises(ValueError, match="backwards"):
        clock.set(MONDAY_0800)


def test_a_shifted_clock_reads_its_start_at_the_instant_it_was_set() -> None:
    set_at = datetime(2030, 1, 1, tzinfo=UTC)
    clock = ShiftedClock(MONDAY_0800, set_at)
    shift = MONDAY_0800 - set_at
    before = datetime.now(UTC)
    reading = clock.now()
    after = datetime.now(UTC)
    assert before + shift <= reading <= after + shift  # it runs at real speed


def test_no_variable_means_the_database_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CLOCK_ENV, raising=False)
    assert clock_from_environment() is None


def test_processes_given_the_same_variables_share_one_timeline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in clock_variables(MONDAY_0900).items():
        monkeypatch.setenv(name, value)
    first, second = clock_from_environment(), clock_from_environment()
    assert first is not None and second is not None
    assert abs(second.now() - first.now()) < timedelta(seconds=1)
    assert MONDAY_0900 <= first.now() < MONDAY_0900 + timedelta(minutes=5)


def test_a_store_opened_without_a_clock_takes_the_chosen_one(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    monkeypatch.setenv(CLOCK_ENV, MONDAY_0900.isoformat())
    monkeypatch.delenv(CLOCK_SET_AT_ENV, raising=False)
    store = open_store(sqlite_url)
    try:
        assert store.clock is not None
        assert MONDAY_0900 <= store.clock.now() < MONDAY_0900 + timedelta(minutes=5)
    finally:
        store.dispose()


@pytest.mark.parametrize("raw", ["tomorrow", "2026-11-23T08:00:00"])
def test_a_bad_clock_variable_is_refused_plainly(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv(CLOCK_ENV, raw)
    with pytest.raises(ValueError, match=r"ANTREAN_CLOCK=.*UTC offset"):
        clock_from_environment()
