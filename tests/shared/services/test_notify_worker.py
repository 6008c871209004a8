"""The notify worker against a real local HTTP gateway: what leaves, in which language, what is
retried while the gateway is down, what is given up and shown to the supervisor, and what a
worker that died mid-send leaves for the next one."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from shared.clock import ManualClock
from shared.config import BranchConfig
from shared.notifying.channel import Channel, Message
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.messages import render
from shared.services import notifications, outbox
from shared.services.alerts import MESSAGES_FAILED, MESSAGES_PILING, branch_alerts
from shared.services.counters import open_counter
from shared.services.notify_worker import NotifyWorker, TokenBucket, quoted_forms
from shared.store.database import Store
from shared.store.models import OutboxMessage
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.shared.services.test_notifications import (
    E164,
    PHONE,
    issued,
    outbox_rows,
    with_channels,
)
from tests.support.actions import called_next, run
from tests.support.gateway import FakeGateway, GatewayChannel


@pytest.fixture
def gateway() -> Iterator[FakeGateway]:
    server = FakeGateway()
    yield server
    server.stop()


@pytest.fixture
def sms_store(store: Store) -> Store:
    with_channels(store)
    return store


def worker_for(store: Store, gateway: FakeGateway) -> NotifyWorker:
    def channels(name: str, _settings: BranchConfig) -> Channel:
        return GatewayChannel(gateway.url, name, timeout=2.0)

    return NotifyWorker(store, "TST", channels, rng=random.Random(7))


def called_visitors(store: Store, staff: Staff, count: int, language: str = "id") -> None:
    tokens = [issued(store) for _ in range(count)]
    for token in tokens:
        run(store, notifications.subscribe, token, "sms", PHONE, language)
    run(store, open_counter, 1, staff.ani)
    called_next(store, 1, staff.ani)


def test_a_call_leaves_as_one_message_in_the_visitors_language(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    called_visitors(sms_store, staff, 1, "id")
    worker = worker_for(sms_store, gateway)
    assert worker.drain().sent == 1
    assert gateway.texts() == [
        f"Nomor {outbox_rows(sms_store)[0].parameters['label']} dipanggil — silakan ke Loket 1."]
    row = outbox_rows(sms_store)[0]
    assert (row.state, row.attempts, row.provider_id) == ("sent", 1, "gw-1")
    assert worker.drain().sent == 0  # nothing twice


def test_messages_wait_out_a_gateway_outage_and_leave_once_it_is_back(
    sms_store: Store, staff: Staff, gateway: FakeGateway, clock: ManualClock
) -> None:
    called_visitors(sms_store, staff, 1)
    worker = worker_for(sms_store, gateway)
    gateway.down = True
    assert worker.drain().retried == 1
    gateway.down = False
    gateway.stop()  # then the port closes altogether
    clock.advance(3600)
    assert worker.drain().retried == 1
    row = outbox_rows(sms_store)[0]
    assert (row.state, row.attempts) == ("pending", 2)
    assert "unreachable" in row.last_error
    assert row.next_attempt_at > clock.now()  # backing off
    gateway.start()
    assert worker.drain().sent == 0  # not before its time
    clock.advance(3600)
    assert worker.drain().sent == 1
    assert gateway.deliveries() == 1


def test_the_backoff_grows_with_jitter_and_respects_the_channels_hint() -> None:
    rng = random.Random(1)
    first = [outbox.backoff_seconds(1, rng) for _ in range(50)]
    fifth = [outbox.backoff_seconds(5, rng) for _ in range(50)]
    assert all(2.5 <= d <= 5 for d in first) and len(set(first)) > 40
    assert all(40 <= d <= 80 for d in fifth)
    assert outbox.backoff_seconds(30, rng) <= outbox.BACKOFF_CAP_SECONDS
    assert outbox.backoff_seconds(1, rng, hint=120) == 120


def test_a_refused_message_is_given_up_and_shown_on_the_supervisors_board(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    called_visitors(sms_store, staff, 1)
    with UnitOfWork(sms_store, "TST") as uow:  # a 'called' without its counter: unsayable
        uow.session.execute(update(OutboxMessage).values(parameters={"label": "A001"}))
        uow.commit()
    worker = worker_for(sms_store, gateway)
    assert worker.drain().failed == 1
    assert gateway.deliveries() == 0
    with UnitOfWork(sms_store, "TST") as uow:
        alerts = [a for a in branch_alerts(uow) if a.kind == MESSAGES_FAILED]
    assert [(a.service_code, a.visitors) for a in alerts] == [("sms", 1)]
    assert "gagal terkirim" in alerts[0].text


def test_retries_piling_up_are_shown_on_the_supervisors_board(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    with_channels(sms_store, retry_pile_up=2)
    tokens = [issued(sms_store) for _ in range(3)]
    for token in tokens:
        run(sms_store, notifications.subscribe, token, "sms", PHONE)
    run(sms_store, open_counter, 1, staff.ani)
    run(sms_store, open_counter, 2, staff.budi)
    called_next(sms_store, 1, staff.ani)
    called_next(sms_store, 2, staff.budi)
    gateway.down = True
    assert worker_for(sms_store, gateway).drain().retried == 2
    with UnitOfWork(sms_store, "TST") as uow:
        alerts = [a for a in branch_alerts(uow) if a.kind == MESSAGES_PILING]
    assert [(a.service_code, a.visitors) for a in alerts] == [("sms", 2)]


def test_a_worker_that_died_mid_send_leaves_it_to_the_next_under_the_same_key(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    called_visitors(sms_store, staff, 1)
    worker = worker_for(sms_store, gateway)
    with UnitOfWork(sms_store, "TST") as uow:
        (claimed,) = outbox.claim(uow, 10)
    # It reached the gateway, then the worker died before writing it down.
    channel = GatewayChannel(gateway.url)
    with UnitOfWork(sms_store, "TST") as uow:
        settings = uow.settings
    channel.send(render(claimed.key, claimed.address, claimed.kind, claimed.parameters,
                        claimed.language, settings))
    assert worker.start() == 1
    assert worker.drain().sent == 1
    assert gateway.deliveries() == 1 and gateway.requests[claimed.key] == 2
    row = outbox_rows(sms_store)[0]
    assert (row.state, row.attempts) == ("sent", 2)


def test_a_channels_rate_is_kept_and_what_exceeds_it_waits_unsent(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    with_channels(sms_store, sms_per_minute=20)  # a burst of 2
    tokens = [issued(sms_store) for _ in range(4)]
    for token in tokens:
        run(sms_store, notifications.subscribe, token, "sms", PHONE)
    for number, officer in ((1, staff.ani), (2, staff.budi), (3, staff.citra)):
        run(sms_store, open_counter, number, officer)
        called_next(sms_store, number, officer)
    tally = worker_for(sms_store, gateway).drain()
    assert (tally.sent, tally.released) == (2, 1)
    with UnitOfWork(sms_store, "TST") as uow:
        waiting = uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.state == "pending")).all()
        assert [(m.attempts, m.next_attempt_at > uow.now()) for m in waiting] == [(0, True)]


def test_a_token_bucket_allows_a_burst_then_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(60, clock=lambda: now[0])  # one a second, a burst of 6
    assert [bucket.take() for _ in range(7)] == [True] * 6 + [False]
    assert bucket.wait_seconds() == pytest.approx(1.0)
    now[0] += 1.0
    assert bucket.take() and not bucket.take()


def test_a_refusal_that_quotes_the_number_is_written_down_without_it(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    called_visitors(sms_store, staff, 1)
    gateway.unknown.add(E164)
    assert worker_for(sms_store, gateway).drain().failed == 1
    row = outbox_rows(sms_store)[0]
    assert row.state == "failed" and E164 not in row.last_error
    assert "<address> is not a mobile number" in row.last_error


def test_each_message_is_written_down_as_sent_before_the_next_leaves(
    sms_store: Store, staff: Staff, gateway: FakeGateway
) -> None:
    """A GSM modem or WhatsApp takes no idempotency key: a worker killed after a send must
    find every earlier message of its batch already recorded, so only the one in flight can
    go twice."""
    tokens = [issued(sms_store) for _ in range(2)]
    for token in tokens:
        run(sms_store, notifications.subscribe, token, "sms", PHONE)
    run(sms_store, open_counter, 1, staff.ani)
    run(sms_store, open_counter, 2, staff.budi)
    called_next(sms_store, 1, staff.ani)
    called_next(sms_store, 2, staff.budi)
    seen: list[list[str]] = []  # the outbox's states each time a message is about to leave

    class Watching(GatewayChannel):
        def send(self, message: Message) -> str | None:
            seen.append(sorted(row.state for row in outbox_rows(sms_store)))
            return super().send(message)

    def channels(name: str, _settings: BranchConfig) -> Channel:
        return Watching(gateway.url, name, timeout=2.0)

    worker = NotifyWorker(sms_store, "TST", channels, rng=random.Random(7))
    assert worker.drain().sent == 2
    assert seen == [["sending", "sending"], ["sending", "sent"]]


def test_a_provider_quoting_the_number_in_any_form_leaves_it_out_of_the_error() -> None:
    forms = quoted_forms(E164)
    assert forms == [E164, E164[1:], "0" + E164[3:]]
    assert quoted_forms("") == []
    assert quoted_forms('{"endpoint": "https://push.example/x"}') == [
        '{"endpoint": "https://push.example/x"}']


def test_a_channel_not_set_up_yet_is_tried_again_not_given_up(sms_store: Store,
                                                              staff: Staff) -> None:
    """A worker started before its token or key file was in place loses nothing."""
    called_visitors(sms_store, staff, 1)

    def channels(name: str, _settings: BranchConfig) -> Channel:
        raise ChannelUnavailable("[channels.sms_gateway]: $GW_KEY is not set")

    worker = NotifyWorker(sms_store, "TST", channels, rng=random.Random(7))
    assert worker.drain().retried == 1
    row = outbox_rows(sms_store)[0]
    assert (row.state, row.attempts) == ("pending", 1) and "GW_KEY" in row.last_error
