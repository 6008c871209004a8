"""The outbox as the notify worker works it: claim what is due, drop what came too late,
record each attempt, derive "your turn is near", and erase addresses no longer needed.

A message is marked `sending` (its attempt counted) before it leaves, in a transaction of its
own; the outcome is written after. A worker killed in between leaves it `sending`: the next
worker sends it again under the same key, which the gateway takes as its idempotency key,
so the visitor gets it once (docs/messages.md). The worker runs as the database's owner: it
alone reads addresses.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, exists, func, literal, or_, select, update

from shared.domain.states import BookingState, TicketState
from shared.estimation.estimator import estimate_queue
from shared.services.ticket_status import ticket_status
from shared.store.models import (
    Booking,
    NotificationSubscription,
    OutboxMessage,
    SurveyResponse,
    Ticket,
)
from shared.store.unit_of_work import UnitOfWork

PENDING, SENDING, SENT, DROPPED, FAILED = "pending", "sending", "sent", "dropped", "failed"
# How long a claimed message may stay `sending` before another worker may take it over.
LEASE_SECONDS = 120
# Retries: full jitter on an exponential delay, never longer than the cap.
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 900.0


@dataclass(frozen=True)
class Claimed:
    """One message claimed for an attempt, with what sending it needs."""

    id: int
    key: str  # the same on every attempt: the gateway's idempotency key
    kind: str
    channel: str
    address: str
    language: str
    parameters: dict[str, Any]
    attempts: int  # including this one
    due_at: datetime
    created_at: datetime


def message_key(row: OutboxMessage) -> str:
    """The row's id and a digest of what makes it unique: stable across retries and restarts,
    and never the same for two databases' rows that happen to share an id."""
    seed = f"{row.dedupe_key}|{row.created_at.isoformat()}".encode()
    return f"{row.id}-{hashlib.sha256(seed).hexdigest()[:12]}"


def backoff_seconds(attempts: int, rng: random.Random, hint: float | None = None) -> float:
    """The wait before the next attempt: full jitter over base·2^(attempts-1), at least the
    channel's own hint (a Retry-After)."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    delay = rng.uniform(ceiling / 2, ceiling)
    return max(delay, hint or 0.0)


def resolve_interrupted(uow: UnitOfWork) -> int:
    """At start: messages left `sending` by a worker that died go out again at once, under
    the same key. One worker per branch is the rule; a second one's messages in flight would
    also be sent again, which the gateway's idempotency key makes harmless."""
    result = uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.branch_id == uow.branch_id, OutboxMessage.state == SENDING)
        .values(state=PENDING, next_attempt_at=uow.now())
    )
    uow.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def claim(uow: UnitOfWork, limit: int) -> list[Claimed]:
    """Take up to `limit` due messages (rows another worker holds are skipped), drop those
    too late to matter, mark the rest `sending` with the attempt counted. Commits."""
    now = uow.now()
    rows = uow.session.execute(
        select(OutboxMessage, NotificationSubscription.channel,
               NotificationSubscription.address, NotificationSubscription.language)
        .join(NotificationSubscription,
              NotificationSubscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.branch_id == uow.branch_id,
            OutboxMessage.state.in_((PENDING, SENDING)),
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OutboxMessage)
    ).all()
    reasons = _too_late(uow, [(row[0], row[2]) for row in rows])
    claimed = []
    for message, channel, address, language in rows:
        reason = reasons.get(message.id)
        if reason is not None:
            message.state, message.drop_reason = DROPPED, reason
            continue
        message.state = SENDING
        message.attempts += 1
        message.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
        claimed.append(Claimed(
            message.id, message_key(message), message.kind, channel, address, language,
            dict(message.parameters), message.attempts, message.due_at, message.created_at,
        ))
    uow.commit()
    return claimed


def _too_late(
    uow: UnitOfWork, rows: list[tuple[OutboxMessage, str]]
) -> dict[int, str]:
    """Why each message is no longer worth sending, by outbox id (absent: send it)."""
    if not rows:
        return {}
    ticket_ids = {m.ticket_id for m, _ in rows if m.ticket_id is not None}
    booking_ids = {m.booking_id for m, _ in rows if m.booking_id is not None}
    tickets = {t.id: t for t in uow.session.scalars(
        select(Ticket).where(Ticket.id.in_(ticket_ids)))} if ticket_ids else {}
    bookings = {b.id: b for b in uow.session.scalars(
        select(Booking).where(Booking.id.in_(booking_ids)))} if booking_ids else {}
    surveys = {m.ticket_id for m, _ in rows if m.kind == "survey" and m.ticket_id is not None}
    answered = set(uow.session.scalars(
        select(SurveyResponse.ticket_id).where(SurveyResponse.ticket_id.in_(surveys))
    )) if surveys else set()
    now = uow.now()
    today = uow.local_now().date()
    enabled = set(uow.settings.messages.kinds)
    grace = timedelta(minutes=uow.settings.queue.no_show_grace_minutes)
    reasons: dict[int, str] = {}
    for message, address in rows:
        ticket = tickets.get(message.ticket_id) if message.ticket_id is not None else None
        booking = bookings.get(message.booking_id) if message.booking_id is not None else None
        reason = None
        if not address:
            reason = "the visitor withdrew or the address was erased"
        elif message.kind not in enabled:
            reason = "this kind of message is turned off at the branch"
        elif message.kind.startswith("reminder_"):
            if booking is None or booking.state == BookingState.CANCELLED:
                reason = "the booking was cancelled"
            elif booking.state == BookingState.CHECKED_IN:
                reason = "the visitor has already checked in"
            elif booking.slot_start <= now:
                reason = "the booked slot has begun"
        elif ticket is None:
            reason = "the ticket is gone"
        elif message.kind == "survey" and ticket.id in answered:
            reason = "the visitor has already answered the survey"
        elif message.kind != "survey" and ticket.business_date != today:
            reason = "the visit's day is over"
        elif message.kind in ("near", "moved") and ticket.state != TicketState.WAITING:
            reason = f"the visitor is no longer waiting ({ticket.state})"
        elif message.kind == "called" and ticket.state != TicketState.CALLED:
            reason = f"the call is over ({ticket.state})"
        elif message.kind == "missed" and (
            ticket.state != TicketState.NO_SHOW
            or (ticket.no_show_at is not None and ticket.no_show_at + grace <= now)
        ):
            reason = "the missed number was reinstated or can no longer be"
        if reason is not None:
            reasons[message.id] = reason
    return reasons


def record_sent(uow: UnitOfWork, sent: list[tuple[int, str | None]]) -> None:
    """Messages the gateway accepted, by id with the provider's id; one transaction for a
    batch (a worker killed before this sends them again under the same key). Commits."""
    now = uow.now()
    for message_id, provider_id in sent:
        uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id)
            .values(state=SENT, sent_at=now, provider_id=(provider_id or "")[:200] or None,
                    last_error="")
        )
    uow.commit()


def release(uow: UnitOfWork, message_id: int, after_seconds: float) -> None:
    """Put a claimed message back unsent (its channel's rate is used up): the attempt does
    not count. Commits."""
    uow.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state == SENDING)
        .values(state=PENDING, attempts=OutboxMessage.attempts - 1,
                next_attempt_at=uow.now() + timedelta(seconds=after_seconds))
    )
    uow.commit()


def record_failure(
    uow: UnitOfWork, message_id: int, error: str, *, retry_after: float | None
) -> str:
    """An attempt failed: another later (`retry_after` seconds), or given up when None or
    the attempts are spent. Returns the new state. Commits."""
    attempts = uow.session.scalar(
        select(OutboxMessage.attempts).where(OutboxMessage.id == message_id)
    ) or 0
    give_up = retry_after is None or attempts >= uow.settings.messages.max_attempts
    values: dict[str, Any] = {"last_error": error[:400]}
    if give_up:
        values["state"] = FAILED
    else:
        values.update(state=PENDING,
                      next_attempt_at=uow.now() + timedelta(seconds=retry_after or 0.0))
    uow.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
    )
    uow.commit()
    return FAILED if give_up else PENDING


def next_due(uow: UnitOfWork) -> datetime | None:
    """When the earliest waiting message falls due (to sleep until then)."""
    return uow.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.branch_id == uow.branch_id,
            OutboxMessage.state.in_((PENDING, SENDING)),
        )
    )


def queue_near_messages(uow: UnitOfWork) -> int:
    """'Your turn is near' for subscribed waiting visitors who now have at most
    messages.near_people_ahead people ahead, or whose window opens within
    messages.near_minutes_before. Derived from the current queue each time it is run, once
    per ticket and subscription (the dedupe key), in the worker's own transaction: no change
    causes it alone. Commits; returns how many were queued."""
    rules = uow.settings.messages
    if "near" not in rules.kinds or not (rules.near_people_ahead or rules.near_minutes_before):
        return 0
    today = uow.local_now().date()
    near_key = (literal("near:") + cast(Ticket.id, String) + literal(":")
                + cast(NotificationSubscription.id, String))
    candidates = uow.session.execute(
        select(NotificationSubscription.id, Ticket.id, Ticket.token, Ticket.label)
        .join(Ticket, Ticket.id == NotificationSubscription.ticket_id)
        .where(
            NotificationSubscription.branch_id == uow.branch_id,
            NotificationSubscription.purged_at.is_(None),
            Ticket.business_date == today,
            Ticket.state == TicketState.WAITING,
            ~exists().where(OutboxMessage.dedupe_key == near_key),
        )
        .order_by(Ticket.id)
    ).all()
    if not candidates:
        return 0
    estimate = estimate_queue(uow)
    now = uow.now()
    soon = timedelta(minutes=rules.near_minutes_before)
    queued = 0
    for subscription_id, ticket_id, token, label in candidates:
        status = ticket_status(uow, token, lambda: estimate)
        ahead = status.people_ahead
        by_count = rules.near_people_ahead and ahead is not None and (
            ahead <= rules.near_people_ahead)
        by_time = rules.near_minutes_before and status.window is not None and (
            status.window[0] - now <= soon)
        if not (by_count or by_time):
            continue
        window = status.window
        uow.session.add(OutboxMessage(
            branch_id=uow.branch_id, kind="near", subscription_id=subscription_id,
            ticket_id=ticket_id, booking_id=None, dedupe_key=f"near:{ticket_id}:{subscription_id}",
            parameters={"label": label, "token": token, "ahead": ahead or 0,
                        "from": (window[0] if window else now).isoformat(),
                        "until": (window[1] if window else now).isoformat()},
            due_at=now, state=PENDING, attempts=0, next_attempt_at=now, last_error="",
            drop_reason="", created_at=now,
        ))
        queued += 1
    uow.commit()
    return queued


def purge_addresses(uow: UnitOfWork) -> int:
    """Erase the addresses no ticket or booking needs any more: the visit is over (done,
    cancelled, or missed past the reinstating grace) and nothing is left to send, the
    visit's day has passed, or the booking was cancelled or its slot has ended unused.
    What is still queued for a past day is dropped first, and the phone numbers of bookings
    whose day is over are blanked. Commits; returns how many subscriptions were erased."""
    now = uow.now()
    today = uow.local_now().date()
    grace = timedelta(minutes=uow.settings.queue.no_show_grace_minutes)
    live = and_(NotificationSubscription.branch_id == uow.branch_id,
                NotificationSubscription.purged_at.is_(None))
    past_day = select(NotificationSubscription.id).join(
        Ticket, Ticket.id == NotificationSubscription.ticket_id
    ).where(live, Ticket.business_date < today)
    uow.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.subscription_id.in_(past_day),
               OutboxMessage.state.in_((PENDING, SENDING)))
        .values(state=DROPPED, drop_reason="the visit's day is over")
    )
    unsent = exists().where(OutboxMessage.subscription_id == NotificationSubscription.id,
                            OutboxMessage.state.in_((PENDING, SENDING)))
    over = or_(
        Ticket.business_date < today,
        Ticket.state.in_((TicketState.DONE, TicketState.CANCELLED)),
        and_(Ticket.state == TicketState.NO_SHOW, Ticket.no_show_at <= now - grace),
    )
    by_ticket = select(NotificationSubscription.id).join(
        Ticket, Ticket.id == NotificationSubscription.ticket_id
    ).where(live, over, ~unsent)
    by_booking = select(NotificationSubscription.id).join(
        Booking, Booking.id == NotificationSubscription.booking_id
    ).where(
        live, NotificationSubscription.ticket_id.is_(None),
        or_(Booking.state == BookingState.CANCELLED, Booking.slot_end <= now),
    )
    ids = set(uow.session.scalars(by_ticket)) | set(uow.session.scalars(by_booking))
    # A booking's own phone number (typed when booking) goes too once its day is over.
    uow.session.execute(
        update(Booking)
        .where(Booking.branch_id == uow.branch_id, Booking.business_date < today,
               Booking.phone != "")
        .values(phone="")
    )
    if ids:
        uow.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.subscription_id.in_(ids),
                   OutboxMessage.state.in_((PENDING, SENDING)))
            .values(state=DROPPED, drop_reason="the address was erased")
        )
        uow.session.execute(
            update(NotificationSubscription)
            .where(NotificationSubscription.id.in_(ids))
            .values(address="", purged_at=now)
        )
    uow.commit()
    return len(ids)


@dataclass(frozen=True)
class ChannelTrouble:
    channel: str
    failed: int  # given up today
    retrying: int  # waiting for another attempt after failing


def channel_trouble(uow: UnitOfWork, since: datetime) -> tuple[ChannelTrouble, ...]:
    """Per channel: messages given up since `since`, and those piling up for a retry."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = uow.session.execute(
        select(NotificationSubscription.channel, OutboxMessage.state, func.count())
        .join(NotificationSubscription,
              NotificationSubscription.id == OutboxMessage.subscription_id)
        .where(
            OutboxMessage.branch_id == uow.branch_id,
            or_(and_(OutboxMessage.state == FAILED, OutboxMessage.created_at >= since),
                and_(OutboxMessage.state == PENDING, OutboxMessage.attempts > 0)),
        )
        .group_by(NotificationSubscription.channel, OutboxMessage.state)
    )
    for channel, state, count in rows:
        counts[channel][0 if state == FAILED else 1] += int(count)
    return tuple(ChannelTrouble(c, f, r) for c, (f, r) in sorted(counts.items()))
