"""The branch works alone while the central server is down, and its copy catches up after:
no row lost or doubled in any published table, and the branch never waited for the region."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import time as clock_time
from datetime import timedelta
from typing import Any, TypeVar

import psycopg
import pytest

from shared.central.status import replication_status, slot_state
from shared.domain.survey import QUESTIONS
from shared.services import calling, counters, issuing, officers, roster, serving
from shared.services.survey import answer_survey
from tests.shared.central.replicas import Replicated, differences
from tests.support.actions import run

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
# Only to end the test instead of hanging if the branch did wait for the region; not a timing.
BRANCH_DAY_LIMIT_SECONDS = 120.0
ALL_GOOD = {question.key: 4 for question in QUESTIONS}
T = TypeVar("T")


def open_counters(region: Replicated) -> dict[int, int]:
    staffed = {}
    for number in (1, 2):
        officer = run(region.store, officers.add_officer, f"petugas{number}",
                      f"Petugas {number}", "officer", "1234")
        run(region.store, counters.open_counter, number, officer.id)
        staffed[number] = officer.id
    return staffed


def serve_one(region: Replicated, counter: int, officer: int) -> str:
    """Call, start and finish the next visitor; returns their ticket's token."""
    called = run(region.store, calling.call_next, counter, officer)
    assert called is not None, f"nobody waited for counter {counter}"
    region.clock.advance(timedelta(minutes=2))
    run(region.store, serving.start, counter, officer)
    region.clock.advance(timedelta(minutes=10))
    run(region.store, serving.finish, counter, officer)
    return called.token


def test_a_branch_day_during_a_central_outage_arrives_whole_afterwards(
    replicated: Replicated,
) -> None:
    region = replicated
    staffed = open_counters(region)
    for _ in range(4):
        run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    serve_one(region, 1, staffed[1])
    region.caught_up()
    assert differences(region) == {}

    region.central.stop()
    # The outage is real: nothing answers where the copy lives.
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(region.copy_url, connect_timeout=3).close()
    durations: list[float] = []
    failures: list[BaseException] = []

    def branch_day() -> None:
        def timed(action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
            started = time.monotonic()
            result = run(region.store, action, *args, **kwargs)
            durations.append(time.monotonic() - started)
            return result

        try:
            for number in range(12):
                region.clock.advance(timedelta(minutes=1))
                timed(issuing.issue_ticket, "JKM" if number % 3 == 0 else "JHT", kiosk="K1")
            for _ in range(3):
                for counter, officer in staffed.items():
                    token = serve_one(region, counter, officer)
            timed(answer_survey, token, ALL_GOOD, "cepat")
            called = timed(calling.call_next, 1, staffed[1])
            assert called is not None
            region.clock.advance(timedelta(minutes=31))
            timed(serving.no_show, 1, staffed[1])
            timed(roster.add_absence, 2, region.clock.now().date(), clock_time(12),
                  clock_time(13), "lunch")
            timed(counters.pause_counter, 2, staffed[2], "istirahat")
        except BaseException as error:  # handed to the test's thread, which fails on it
            failures.append(error)

    worker = threading.Thread(target=branch_day, daemon=True)  # never holds the suite
    worker.start()
    worker.join(BRANCH_DAY_LIMIT_SECONDS)
    assert not worker.is_alive(), "the branch's calls were still waiting with the region down"
    assert failures == []
    middle = sorted(durations)[len(durations) // 2]
    print(f"branch calls during the outage: {len(durations)}, slowest "
          f"{max(durations) * 1000:.1f} ms, median {middle * 1000:.1f} ms")

    # Meanwhile the branch keeps for the copy the WAL it has not received: that is the cost.
    waiting = slot_state(region.branch_url, region.slot)
    assert waiting is not None and not waiting.active
    assert waiting.lag_bytes > 0 and waiting.retained_bytes >= waiting.lag_bytes

    region.central.start()
    region.caught_up()
    assert differences(region) == {}
    [branch] = replication_status(region.central_url, branch_urls={"TST": region.branch_url})
    assert branch.subscription.connected
    assert branch.slot is not None and branch.slot.lag_bytes < waiting.lag_bytes
    # The branch's commits never wait for the copy's acknowledgement.
    assert branch.slot.sync_state == "async"
    with psycopg.connect(region.branch_url) as connection:
        standbys = connection.execute("SHOW synchronous_standby_names").fetchone()
    assert standbys == ("",)
