"""The notify worker's loop: wake on a committed change (or when the next message falls due),
claim due messages, send each through its channel within the channel's rate, and write down
what happened. Started by `antrean notify`; one per branch (docs/messages.md)."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from shared.changes.watcher import ChangeWatcher
from shared.config import BranchConfig
from shared.notifying.channel import Channel, DeliveryFailed
from shared.notifying.factory import ChannelUnavailable
from shared.notifying.messages import render
from shared.services import outbox
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

# The longest the worker sleeps with nothing due: a message written by a process whose change
# notice was lost still leaves within this, and the turn-is-near check runs this often.
IDLE_SECONDS = 2.0
PURGE_EVERY_SECONDS = 60.0
# 'Near' needs the queue's estimate: at most this often, however many calls wake the worker.
NEAR_EVERY_SECONDS = 1.0
BATCH = 50

ChannelSource = Callable[[str, BranchConfig], Channel]


def quoted_forms(address: str) -> list[str]:
    """How a provider may quote a number back: as stored (+628...), without the plus (as
    WhatsApp is sent it) or in the local form (08...); longest first."""
    if not address.startswith("+62") or not address[1:].isdigit():
        return [address] if address else []
    return [address, address[1:], "0" + address[3:]]


class TokenBucket:
    """At most `per_minute` messages a minute, with a burst of a tenth of that at once."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, per_minute / 10.0)
        self.tokens = self.capacity
        self.clock = clock
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def take(self) -> bool:
        self._refill()
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def wait_seconds(self) -> float:
        self._refill()
        return max(0.0, (1.0 - self.tokens) / self.rate)


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0  # put back unsent: the channel's rate was used up

    def __iadd__(self, other: Tally) -> Tally:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released
        return self


@dataclass
class NotifyWorker:
    store: Store
    branch_code: str
    channels: ChannelSource
    rng: random.Random = field(default_factory=random.Random)
    batch: int = BATCH
    buckets: dict[str, TokenBucket] = field(default_factory=dict)
    _built: dict[str, Channel] = field(default_factory=dict)
    _last_purge: float = float("-inf")
    _last_near: float = float("-inf")

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.store, self.branch_code)

    def start(self) -> int:
        """Messages a dead worker left mid-send go out again (same key); returns how many."""
        with self.uow() as uow:
            return outbox.resolve_interrupted(uow)

    def _channel(self, name: str, settings: BranchConfig) -> Channel:
        if name not in self._built:
            self._built[name] = self.channels(name, settings)
        return self._built[name]

    def _bucket(self, name: str, settings: BranchConfig) -> TokenBucket:
        per_minute = settings.messages.per_minute(name)
        bucket = self.buckets.get(name)
        if bucket is None or bucket.rate != per_minute / 60.0:
            bucket = self.buckets[name] = TokenBucket(per_minute)
        return bucket

    def housekeeping(self) -> None:
        """Queue 'your turn is near' where it is now due; erase addresses now and then."""
        if time.monotonic() - self._last_near >= NEAR_EVERY_SECONDS:
            with self.uow() as uow:
                outbox.queue_near_messages(uow)
            self._last_near = time.monotonic()
        if time.monotonic() - self._last_purge >= PURGE_EVERY_SECONDS:
            with self.uow() as uow:
                erased = outbox.purge_addresses(uow)
            self._last_purge = time.monotonic()
            if erased:
                log.info("erased %d addresses no longer needed", erased)

    def drain(self) -> Tally:
        """Send everything due now (within the channels' rates); returns what happened."""
        tally = Tally()
        while True:
            with self.uow() as uow:
                settings = uow.settings
                claimed = outbox.claim(uow, self.batch)
            if not claimed:
                return tally
            for message in claimed:
                tally += self._attempt(message, settings)
            if len(claimed) < self.batch or tally.released:
                return tally

    def _attempt(self, message: outbox.Claimed, settings: BranchConfig) -> Tally:
        bucket = self._bucket(message.channel, settings)
        if not bucket.take():
            with self.uow() as uow:
                outbox.release(uow, message.id, bucket.wait_seconds())
            return Tally(released=1)
        # Logged by id and kind only: never the address or the text.
        try:
            rendered = render(message.key, message.address, message.kind, message.parameters,
                              message.language, settings)
            provider_id = self._channel(message.channel, settings).send(rendered)
        except DeliveryFailed as error:
            retry = (outbox.backoff_seconds(message.attempts, self.rng, error.after_seconds)
                     if error.retry else None)
            return self._failed(message, f"{message.channel}: {error.reason}", retry)
        except ChannelUnavailable as error:
            # A token or key file not in place yet: the operator can fix it, so try again.
            retry = outbox.backoff_seconds(message.attempts, self.rng)
            return self._failed(message, f"{message.channel}: {error}", retry)
        except (KeyError, ValueError) as error:
            return self._failed(message, f"{message.channel}: {error}", None)
        # Written down at once, each in its own commit: a modem or WhatsApp takes no
        # idempotency key, so after a crash only the one message in flight can go twice.
        with self.uow() as uow:
            outbox.record_sent(uow, [(message.id, provider_id)])
        return Tally(sent=1)

    def _failed(self, message: outbox.Claimed, error: str, retry: float | None) -> Tally:
        # The error goes to the log and to `last_error`, which the counter's role reads: a
        # provider that quotes the number back must not carry it there.
        for form in quoted_forms(message.address):
            error = error.replace(form, "<address>")
        with self.uow() as uow:
            state = outbox.record_failure(uow, message.id, error, retry_after=retry)
        log.warning("message %d (%s) attempt %d failed: %s", message.id, message.kind,
                    message.attempts, error)
        return Tally(failed=1) if state == outbox.FAILED else Tally(retried=1)

    def sleep_seconds(self) -> float:
        """Until the next message falls due, at most IDLE_SECONDS."""
        with UnitOfWork(self.store, self.branch_code, read_only=True) as uow:
            due = outbox.next_due(uow)
            now = uow.now()
        if due is None:
            return IDLE_SECONDS
        return max(0.0, min(IDLE_SECONDS, (due - now) / timedelta(seconds=1)))

    def run(self, stop: threading.Event, watcher: ChangeWatcher | None = None) -> Tally:
        """Until `stop` is set: drain, then wait for a change or the next due message."""
        total = Tally()
        resent = self.start()
        if resent:
            log.info("%d messages interrupted mid-send go out again", resent)
        while not stop.is_set():
            try:
                self.housekeeping()
                total += self.drain()
                pause = self.sleep_seconds()
            except (SQLAlchemyError, OSError):  # the database went away: keep the worker alive
                log.exception("the notify worker's round failed; trying again shortly")
                pause = IDLE_SECONDS
            if pause <= 0:
                continue
            if watcher is not None:
                watcher.wait(pause)
            else:
                stop.wait(pause)
        return total
