"""`antrean notify`: the worker as a real process, killed with SIGKILL mid-send and run again
through a gateway outage, loses no message and sends none twice; `--once` and `--failed`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.cli.main import main
from shared.clock import CLOCK_ENV, CLOCK_SET_AT_ENV, ShiftedClock
from shared.services import notifications
from shared.services.issuing import Admission, issue_ticket
from shared.store.database import Store, open_store
from shared.store.models import OutboxMessage, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.shared.services.test_notifications import PHONE, with_channels
from tests.support.actions import run
from tests.support.clocks import clock_variables
from tests.support.gateway import GATEWAY_URL_ENV, FakeGateway

VIA = "sms=tests.support.gateway:channel_from_environment"


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    server = FakeGateway()
    yield server
    server.stop()


@pytest.fixture
def timeline() -> dict[str, str]:
    """One running clock for this process and the worker's, from Monday 09:00."""
    return clock_variables()


@pytest.fixture
def shared_store(database_url: str, timeline: dict[str, str]) -> Iterator[Store]:
    clock = ShiftedClock(datetime.fromisoformat(timeline[CLOCK_ENV]),
                         datetime.fromisoformat(timeline[CLOCK_SET_AT_ENV]))
    store = open_store(database_url, clock=clock)
    # Only the queued survey links: no 'your turn is near' derived for the waiting visitors.
    with_channels(store, sms_per_minute=100000, kinds=["survey"])
    yield store
    store.dispose()


def queue_surveys(store: Store, count: int) -> None:
    """`count` subscribed visitors, each with a survey link queued (never too late to send)."""
    for _ in range(count):
        token = run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token
        subscription = run(store, notifications.subscribe, token, "sms", PHONE)
        with UnitOfWork(store, "TST") as uow:
            ticket = uow.session.scalar(select(Ticket).where(Ticket.token == token))
            assert ticket is not None
            now = uow.now()
            uow.session.add(OutboxMessage(
                branch_id=uow.branch_id, kind="survey", subscription_id=subscription.id,
                ticket_id=ticket.id, dedupe_key=f"survey:test:{ticket.id}",
                parameters={"label": ticket.label, "token": token}, due_at=now,
                state="pending", attempts=0, next_attempt_at=now, last_error="",
                drop_reason="", created_at=now,
            ))
            uow.commit()


def states(store: Store) -> dict[str, int]:
    with UnitOfWork(store, "TST") as uow:
        return dict(uow.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())


def start_worker(store: Store, gateway: FakeGateway, timeline: dict[str, str]) -> subprocess.Popen[
        bytes]:
    env = {**os.environ, **timeline, GATEWAY_URL_ENV: gateway.url}
    return subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "--database", store.url, "--branch", "TST",
         "notify", "--via", VIA],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not reached within {seconds} s")


@pytest.mark.slow
def test_a_killed_worker_and_a_gateway_outage_lose_nothing_and_repeat_nothing(
    shared_store: Store, gateway: FakeGateway, timeline: dict[str, str]
) -> None:
    total = 120
    queue_surveys(shared_store, total)
    gateway.delay = 0.01  # a kill then most likely lands while a message is on its way
    first = start_worker(shared_store, gateway, timeline)
    try:
        wait_for(lambda: gateway.deliveries() >= 30, 60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert states(shared_store).get("pending", 0) > 0  # it died with work left
    gateway.down = True
    second = start_worker(shared_store, gateway, timeline)
    try:
        wait_for(lambda: gateway.refused > 0, 30)
        time.sleep(1.0)
        gateway.down = False
        wait_for(lambda: states(shared_store).get("sent", 0) == total, 90)
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = second.communicate(timeout=30)
    assert second.returncode == 0, errors.decode()
    assert states(shared_store) == {"sent": total}
    # Each outbox row reached the gateway under one key, and the gateway delivered each once.
    rows = Counter(key.split("-")[0] for key in gateway.delivered)
    assert len(rows) == total and set(rows.values()) == {1}
    assert gateway.deliveries() == total
    # Each message is written down as sent before the next leaves, so the kill left at most
    # the one in flight to go again: a channel without an idempotency key (a GSM modem)
    # repeats no more than that one.
    assert total <= sum(gateway.requests.values()) <= total + 1


def test_once_sends_what_is_due_and_failed_lists_what_was_given_up(
    shared_store: Store, gateway: FakeGateway, timeline: dict[str, str],
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    queue_surveys(shared_store, 2)
    for name, value in {**timeline, GATEWAY_URL_ENV: gateway.url}.items():
        monkeypatch.setenv(name, value)
    arguments = ["--database", shared_store.url, "--branch", "TST", "notify"]
    assert main([*arguments, "--once", "--via", VIA]) == 0
    assert "sent 2" in capsys.readouterr().out
    with UnitOfWork(shared_store, "TST") as uow:
        row = uow.session.scalars(select(OutboxMessage)).first()
        assert row is not None
        row.state, row.last_error = "failed", "sms: gateway refused: 400"
        uow.commit()
    assert main([*arguments, "--failed"]) == 0
    listed = capsys.readouterr().out
    assert "gateway refused: 400" in listed and PHONE not in listed
    assert main([*arguments, "--via", "fax=x:y"]) == 2


def test_keys_makes_the_web_push_key_pair_once(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(sqlite_url)
    with_channels(store)
    store.dispose()
    key_file = tmp_path / "vapid.pem"
    arguments = ["--database", sqlite_url, "--branch", "TST", "notify", "keys", "--key-file",
                 str(key_file)]
    assert main(arguments) == 0
    public = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(public) == 87 and key_file.stat().st_mode & 0o777 == 0o600
    assert main(arguments) == 2  # kept: every subscription depends on it
    assert "exists" in capsys.readouterr().err
    assert main([*arguments, "--replace"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] != public
