"""A visitor opting in to messages about their ticket or booking, and opting out.

One live subscription per ticket (or booking) and channel: giving another number replaces the
first. The address is written here and read only by the notify worker; on PostgreSQL the
kiosk and web role may write it but never read it back, so nothing here loads it. A booking's
reminders (the evening before, an hour before) are queued with the opt-in, in its transaction;
the other messages come from the changes that cause them (migration 0010's triggers) or from
the worker (the turn is near). See docs/messages.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from shared.domain.errors import DomainError, NotFound
from shared.domain.states import BookingState, TicketState
from shared.notifying.factory import CHANNELS, offered
from shared.services.ticket_status import load_ticket
from shared.store.models import Booking, NotificationSubscription, OutboxMessage, Service
from shared.store.unit_of_work import UnitOfWork

CONSENT_KEY = "message.consent"
CONSENT_PHONE_KEY = "message.consent_phone"
LANGUAGES = ("id", "en")
# A ticket a visitor still waits on, or is being served for (the survey follows).
_FOLLOWED = frozenset({TicketState.WAITING, TicketState.CALLED, TicketState.SERVING,
                       TicketState.HELD})


class InvalidAddress(DomainError):
    pass


class ChannelNotOffered(DomainError):
    pass


class SubscriptionClosed(DomainError):
    pass


@dataclass(frozen=True)
class Subscription:
    id: int
    channel: str
    language: str
    consented_at: datetime
    ticket_id: int | None
    booking_id: int | None


def channels_offered(uow: UnitOfWork) -> tuple[str, ...]:
    """The channels this branch has set up, in the order the page offers them."""
    return offered(uow.settings.channels)


def normalise_phone(text: str) -> str:
    """A mobile number as typed (0812-3456-7890, 62812..., +62 812...) in E.164 form."""
    digits = re.sub(r"[\s\-.()/]", "", text.strip())
    if digits.startswith("+"):
        number = digits[1:]
    elif digits.startswith("0"):
        number = "62" + digits[1:]
    elif digits.startswith("62"):
        number = digits
    else:
        number = ""
    indonesian_mobile = number.startswith("628") and 10 <= len(number) <= 15
    foreign = not number.startswith("62") and 8 <= len(number) <= 15
    if not number.isdigit() or not (indonesian_mobile or foreign):
        raise InvalidAddress("this mobile number is not recognised", key="notify_bad_phone")
    return "+" + number


def normalise_push(text: str) -> str:
    """A Web Push subscription as the browser's PushSubscription.toJSON() gives it, checked
    and kept as compact JSON (endpoint and the two keys only)."""
    try:
        data: Any = json.loads(text)
        endpoint = str(data["endpoint"])
        keys = {"p256dh": str(data["keys"]["p256dh"]), "auth": str(data["keys"]["auth"])}
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidAddress("not a push subscription", key="notify_bad_push") from error
    parts = urlsplit(endpoint)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(endpoint) > 1000 or not (
        all(re.fullmatch(r"[A-Za-z0-9_\-=]{8,200}", value) for value in keys.values())
    ):
        raise InvalidAddress("not a push subscription", key="notify_bad_push")
    return json.dumps({"endpoint": endpoint, "keys": keys}, separators=(",", ":"))


def _address(channel: str, address: str) -> str:
    return normalise_push(address) if channel == "webpush" else normalise_phone(address)


def _check(uow: UnitOfWork, channel: str, language: str) -> None:
    if channel not in CHANNELS or channel not in channels_offered(uow):
        raise ChannelNotOffered(f"this branch sends no messages by {channel!r}",
                                key="notify_channel_off")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")


def _view(row: NotificationSubscription) -> Subscription:
    return Subscription(row.id, row.channel, row.language, row.consented_at, row.ticket_id,
                        row.booking_id)


def _upsert(
    uow: UnitOfWork, channel: str, address: str, language: str, *,
    ticket_id: int | None = None, booking_id: int | None = None,
) -> NotificationSubscription:
    owner = (NotificationSubscription.ticket_id == ticket_id if ticket_id is not None
             else NotificationSubscription.booking_id == booking_id)
    row = uow.session.scalar(
        select(NotificationSubscription).where(
            NotificationSubscription.branch_id == uow.branch_id, owner,
            NotificationSubscription.channel == channel,
            NotificationSubscription.purged_at.is_(None),
        ).order_by(NotificationSubscription.id.desc()).limit(1)
    )
    if row is None:
        row = NotificationSubscription(
            branch_id=uow.branch_id, ticket_id=ticket_id, booking_id=booking_id,
            channel=channel, address=address, language=language, consented_at=uow.now(),
        )
        uow.session.add(row)
    else:
        row.address, row.language, row.consented_at = address, language, uow.now()
    uow.session.flush()
    return row


def subscribe(
    uow: UnitOfWork, ticket_token: str, channel: str, address: str, language: str = "id"
) -> Subscription:
    """Opt the visitor holding this ticket in to its messages on `channel`; commits."""
    ticket = load_ticket(uow, ticket_token)
    _check(uow, channel, language)
    if ticket.state not in _FOLLOWED or ticket.business_date != uow.local_now().date():
        raise SubscriptionClosed("messages are no longer sent for this ticket",
                                 key="notify_closed")
    row = _upsert(uow, channel, _address(channel, address), language, ticket_id=ticket.id)
    view = _view(row)
    uow.commit()
    return view


def subscribe_booking(
    uow: UnitOfWork, booking_code: str, channel: str, address: str, language: str = "id"
) -> Subscription:
    """Opt a booking in to its reminders (and, once checked in, its ticket's messages);
    the reminders are queued in the same transaction. Commits."""
    booking = uow.session.scalar(
        select(Booking).where(Booking.branch_id == uow.branch_id,
                              Booking.code == booking_code.strip().upper())
    )
    if booking is None:
        raise NotFound("there is no booking with this code")
    _check(uow, channel, language)
    if booking.state == BookingState.CANCELLED or booking.slot_end <= uow.now():
        raise SubscriptionClosed("messages are no longer sent for this booking",
                                 key="notify_closed")
    row = _upsert(uow, channel, _address(channel, address), language,
                  ticket_id=booking.ticket_id, booking_id=booking.id)
    if booking.state == BookingState.BOOKED:
        _queue_reminders(uow, booking, row.id)
    view = _view(row)
    uow.commit()
    return view


def reminder_times(uow: UnitOfWork, booking: Booking) -> dict[str, datetime]:
    """When each of a booking's reminders is due: the evening before at the configured hour
    (local), and the configured minutes before its slot."""
    rules = uow.settings.messages
    slot_day = booking.slot_start.astimezone(uow.zone).date()
    evening = datetime.combine(slot_day - timedelta(days=1),
                               time(rules.reminder_evening_hour), uow.zone)
    return {
        "reminder_evening": evening,
        "reminder_hour": booking.slot_start - timedelta(minutes=rules.reminder_minutes_before),
    }


def _queue_reminders(uow: UnitOfWork, booking: Booking, subscription_id: int) -> None:
    service = uow.session.get_one(Service, booking.service_id)
    now = uow.now()
    for kind, due in reminder_times(uow, booking).items():
        if kind not in uow.settings.messages.kinds or due <= now:
            continue  # turned off, or too late to remind (booked within the hour)
        key = f"{kind}:b{booking.id}:s{subscription_id}"
        if uow.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue  # a new number for the same booking: the reminder is already queued
        uow.session.add(OutboxMessage(
            branch_id=uow.branch_id, kind=kind, subscription_id=subscription_id,
            ticket_id=None, booking_id=booking.id, dedupe_key=key,
            parameters={"code": booking.code, "service_id": service.name_id,
                        "service_en": service.name_en,
                        "slot_start": booking.slot_start.isoformat()},
            due_at=due, state="pending", attempts=0, next_attempt_at=due, last_error="",
            drop_reason="", created_at=now,
        ))
    uow.session.flush()


def unsubscribe(uow: UnitOfWork, ticket_token: str, subscription_id: int) -> None:
    """Withdraw one of this ticket's subscriptions: its address is erased at once and what is
    still queued for it is dropped by the worker. Commits."""
    ticket = load_ticket(uow, ticket_token)
    row = uow.session.scalar(
        select(NotificationSubscription).where(
            NotificationSubscription.id == subscription_id,
            NotificationSubscription.ticket_id == ticket.id,
        )
    )
    if row is None:
        raise NotFound("this ticket has no such subscription")
    if row.purged_at is None:
        row.address, row.purged_at = "", uow.now()
    uow.commit()


def subscriptions_for(uow: UnitOfWork, ticket_token: str) -> list[Subscription]:
    """The ticket's live subscriptions, oldest first (what the page says is switched on)."""
    ticket = load_ticket(uow, ticket_token)
    rows = uow.session.scalars(
        select(NotificationSubscription).where(
            NotificationSubscription.ticket_id == ticket.id,
            NotificationSubscription.purged_at.is_(None),
        ).order_by(NotificationSubscription.id)
    )
    return [_view(row) for row in rows]
