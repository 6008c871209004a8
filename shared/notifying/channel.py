"""The one interface every channel implements, and how a failed delivery is reported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    """One message, ready to leave: the outbox row it came from and what to say."""

    # The outbox row's id: the same on every retry, so a gateway that takes an idempotency
    # key never delivers one message twice.
    key: str
    # Where it goes: a phone number in E.164 form (+62812...) for SMS and WhatsApp, or a Web
    # Push subscription as the browser gave it (JSON: endpoint and keys).
    address: str
    title: str
    text: str
    # The visitor's ticket or booking page, opened when the message is tapped.
    url: str | None = None


class DeliveryFailed(Exception):
    """The channel could not deliver. `retry` says whether trying again later can help (a
    gateway down, a timeout, a rate limit) or not (a number that does not exist, a push
    subscription the browser withdrew); `after_seconds` is the channel's own hint, if any."""

    def __init__(self, reason: str, *, retry: bool, after_seconds: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry
        self.after_seconds = after_seconds


class Channel(Protocol):
    """A way to reach a visitor. `send` blocks until the provider accepted the message and
    returns the provider's id for it (or None when it gives none); it raises DeliveryFailed
    otherwise. Implementations keep no state about messages: retries, backoff and rate
    limits are the worker's."""

    name: str

    def send(self, message: Message) -> str | None: ...
