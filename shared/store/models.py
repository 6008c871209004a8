"""Typed models. Every row belongs to a branch, so one PostgreSQL database can hold many."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Branch(Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    # The whole validated branch config, so every PC on the LAN reads the same settings.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Service(Base):
    __tablename__ = "services"
    # Prefixes are unique among active services (checked by the config); a retired service
    # keeps its prefix for the history, so the database does not force uniqueness here.
    __table_args__ = (UniqueConstraint("branch_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    prefix: Mapped[str] = mapped_column(String(2))
    name_id: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    daily_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    priority_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    transfer_keeps_place: Mapped[bool] = mapped_column(Boolean, default=True)
    mean_service_seconds: Mapped[float] = mapped_column(Float, default=600.0)
    target_wait_seconds: Mapped[int] = mapped_column(Integer, default=1800)
    # Issuing hours, documents and info texts: read whole, never queried by field.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Officer(Base):
    __tablename__ = "officers"
    __table_args__ = (UniqueConstraint("branch_id", "login"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    login: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    # Loaded only when read: on PostgreSQL no app role may select it, and the login path gets
    # one officer's hash from `antrean_officer_secret` (shared/services/officers.py).
    secret_hash: Mapped[str] = mapped_column(String(255), deferred=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Wrong PINs since the last good one, and until when no PIN is checked (a growing pause,
    # then a lockout a supervisor can lift).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("branch_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    call_policy: Mapped[str] = mapped_column(String(20), default="longest_waiting")
    state: Mapped[str] = mapped_column(String(10), default="closed")
    state_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    pause_reason: Mapped[str] = mapped_column(String(200), default="")
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), nullable=True)
    current_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", use_alter=True), nullable=True
    )

    assignments: Mapped[list[CounterService]] = relationship(
        order_by="CounterService.position", cascade="all, delete-orphan"
    )


class CounterService(Base):
    """Which services a counter serves, in order of preference."""

    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)


class DailySequence(Base):
    """The last number issued per service per business day: the single source of numbers."""

    __tablename__ = "daily_sequences"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    # Since when the kiosk refuses walk-ins (and, apart, priority visitors) for capacity; None:
    # it issues. Kept here so every kiosk, the display and the web say the same, and a refused
    # service reopens only when its wait clearly improves (shared/services/issuing.py).
    capacity_refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    priority_capacity_refused_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, nullable=True
    )


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("issued_service_id", "business_date", "number"),
        Index("ix_tickets_queue", "branch_id", "state", "service_id", "queued_at"),
        Index("ix_tickets_day", "branch_id", "business_date"),
        # Call next reads each served service's head off these (priority, then FIFO) instead
        # of sorting every waiting ticket; partial, so calls and finishes do not maintain them.
        Index(
            "ix_tickets_waiting",
            "branch_id", "service_id", "business_date", text("priority DESC"), "queued_at", "id",
            postgresql_where=text("state = 'waiting'"),
            sqlite_where=text("state = 'waiting'"),
        ),
        Index(
            "ix_tickets_waiting_bookings",
            "branch_id", "service_id", "business_date", text("priority DESC"), "queued_at", "id",
            postgresql_where=text("state = 'waiting' AND due_at IS NOT NULL"),
            sqlite_where=text("state = 'waiting' AND due_at IS NOT NULL"),
        ),
        # PostgreSQL's call next finds visitors owed a missed window (printed window ended)
        # as a range of this (migration 0011); SQLite's ordinary path needs none.
        Index(
            "ix_tickets_promise_ends",
            "branch_id", "service_id", "business_date",
            text("((issued_at AT TIME ZONE 'UTC') + make_interval(secs => window_high_seconds))"),
            postgresql_where=text(
                "state = 'waiting' AND first_called_at IS NULL AND window_high_seconds IS NOT NULL"
            ),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    business_date: Mapped[date] = mapped_column(Date)
    issued_service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(10))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bookings (online queue) are called first once their slot is due.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The FIFO key: issue time, kept on transfer unless the target service says otherwise.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    no_show_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(24), nullable=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), nullable=True)
    kiosk: Mapped[str] = mapped_column(String(40), default="")
    # What the visitor was told at issue: the estimate is judged against it later.
    ahead_at_issue: Mapped[int] = mapped_column(Integer, default=0)
    estimate_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    window_low_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    window_high_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The window as last re-planned (a counter closed or paused, the roster changed), and
    # when it last moved by more than queue.replan_notice_minutes: the phone page says so.
    window_from_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    window_until_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    window_moved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Event(Base):
    """The audit trail: one row per transition of a ticket or counter, the source of statistics.

    Append-only and without foreign keys: each would lock the row it names on every insert,
    and fifty counters calling at once would all lock the same branch and service (migration
    0005). The services write the ids of rows they hold."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_branch_id", "branch_id", "id"),
        Index("ix_events_ticket", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counter_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    officer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    from_state: Mapped[str | None] = mapped_column(String(10), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(10), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class RosterEntry(Base):
    """A planned absence or break of one counter (leave, training, a meeting, lunch, prayers),
    entered by a supervisor today or ahead: the estimator expects nobody there then."""

    __tablename__ = "roster_entries"
    __table_args__ = (Index("ix_roster_entries_day", "branch_id", "business_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"))
    business_date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProcessedRequest(Base):
    """Requests already applied, so a double tap or network retry has one effect."""

    __tablename__ = "processed_requests"

    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    action: Mapped[str] = mapped_column(String(32))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class Kiosk(Base):
    """A kiosk and its printer's last known state, so counters and supervisors see problems."""

    __tablename__ = "kiosks"
    __table_args__ = (UniqueConstraint("branch_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    name: Mapped[str] = mapped_column(String(40))
    printer_state: Mapped[str] = mapped_column(String(20), default="unknown")
    detail: Mapped[str] = mapped_column(String(400), default="")
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Booking(Base):
    """A reserved slot (antrean online); checking in at the kiosk turns it into a ticket."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_slot", "branch_id", "service_id", "business_date", "slot_start"),
        # One active booking per person (NIK) per service per day; cancelling frees it.
        Index(
            "uq_bookings_active_nik",
            "branch_id",
            "service_id",
            "business_date",
            "nik_digest",
            unique=True,
            sqlite_where=text("state != 'cancelled'"),
            postgresql_where=text("state != 'cancelled'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    business_date: Mapped[date] = mapped_column(Date)
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    # The NIK is kept only as a keyed digest (enough to refuse a second booking) and its
    # last four digits (enough for an officer to check the KTP against the booking).
    nik_digest: Mapped[str] = mapped_column(String(64))
    nik_last4: Mapped[str] = mapped_column(String(4))
    phone: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12))
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)


class BranchKey(Base):
    """The branch's secret for keyed digests (NIK); only the roles that book may read it."""

    __tablename__ = "branch_keys"

    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), primary_key=True)
    nik_key: Mapped[str] = mapped_column(String(64))


class SurveyResponse(Base):
    """One visitor's rating of one visit (SKM): at most one per ticket."""

    __tablename__ = "survey_responses"
    __table_args__ = (Index("ix_survey_responses_branch", "branch_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), nullable=True)
    business_date: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")


class NotificationSubscription(Base):
    """A visitor's opt-in to messages about one ticket or booking on one channel (webpush,
    sms, whatsapp). The address is kept only while the ticket or booking needs it, then
    blanked (`purged_at`); only the notify worker (the owner) may read it on PostgreSQL, so
    it is loaded only when asked for (docs/messages.md)."""

    __tablename__ = "notification_subscriptions"
    __table_args__ = (
        Index("ix_notification_subscriptions_ticket", "ticket_id"),
        Index("ix_notification_subscriptions_booking", "booking_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(12))
    # A phone number in E.164 form, or a Web Push subscription's JSON; '' once purged.
    address: Mapped[str] = mapped_column(Text, deferred=True)
    language: Mapped[str] = mapped_column(String(2), default="id")
    consented_at: Mapped[datetime] = mapped_column(UTCDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutboxMessage(Base):
    """One message to a visitor, written in the transaction of the change that causes it and
    sent by `antrean notify`. The dedupe key is unique: a message is never queued twice."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_next", "state", "next_attempt_at"),
        Index("ix_outbox_messages_subscription", "subscription_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    subscription_id: Mapped[int] = mapped_column(ForeignKey("notification_subscriptions.id"))
    ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    booking_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    # What the text needs (label, counter, times), filled in by the language at sending.
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending -> sending (an attempt under way) -> sent | dropped | failed (retries spent)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(400), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    provider_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    drop_reason: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
