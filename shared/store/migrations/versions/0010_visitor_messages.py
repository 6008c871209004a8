"""Messages to visitors outside the hall: who asked for them, and an outbox of what to send.

- `notification_subscriptions`: a visitor's opt-in for one ticket or booking on one channel
  (webpush, sms, whatsapp), with the address (a phone number in E.164 form or a Web Push
  subscription's JSON), the language and when consent was given. The address is blanked
  (`purged_at` set) once the ticket or booking no longer needs it (docs/messages.md). Only
  the owner (the notify worker) reads the address; the kiosk role (kiosk and web) writes it
  and reads the other columns, the counter role reads the other columns, the display none.
- `outbox_messages`: one row per message to send, unique by its dedupe key so nothing is
  queued twice, drained by `antrean notify`.
- Triggers write the outbox in the transaction of the change that causes the message: an
  event (called, recalled, no-show, finished) on both call paths, PostgreSQL's
  `antrean_call_next` included; a waiting visitor's window marked as moved; and a checked-in
  booking's subscriptions follow its ticket. On PostgreSQL they run as the owner (SECURITY
  DEFINER), so no app role needs to read addresses or write the outbox for them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 18:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.types import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Event kinds that cause a message, and the message kind each becomes.
EVENT_MESSAGES = {
    "ticket.call": "called",
    "ticket.recall": "called",
    "ticket.no_show": "missed",
    "ticket.finish": "survey",
}
_KINDS = ", ".join(f"'{kind}'" for kind in EVENT_MESSAGES)
_CASE = " ".join(f"WHEN '{event}' THEN '{kind}'" for event, kind in EVENT_MESSAGES.items())

_OUTBOX_COLUMNS = (
    "branch_id, kind, subscription_id, ticket_id, booking_id, dedupe_key, parameters, due_at, "
    "state, attempts, next_attempt_at, last_error, drop_reason, created_at"
)

PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION antrean_outbox_from_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    -- One probe of the subscriptions' ticket index; nothing more for a ticket nobody follows.
    INSERT INTO outbox_messages ({_OUTBOX_COLUMNS})
    SELECT NEW.branch_id, CASE NEW.kind {_CASE} END, s.id, NEW.ticket_id, s.booking_id,
           NEW.kind || ':' || NEW.id || ':' || s.id,
           json_build_object('label', t.label, 'counter', c.number, 'at', NEW.at,
                             'token', t.token),
           NEW.at, 'pending', 0, NEW.at, '', '', NEW.at
    FROM notification_subscriptions s
    JOIN tickets t ON t.id = NEW.ticket_id
    LEFT JOIN counters c ON c.id = NEW.counter_id
    WHERE s.ticket_id = NEW.ticket_id AND s.address <> ''
    ON CONFLICT (dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION antrean_outbox_from_move() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO outbox_messages ({_OUTBOX_COLUMNS})
    SELECT NEW.branch_id, 'moved', s.id, NEW.id, s.booking_id,
           'moved:' || NEW.id || ':' || CAST(extract(epoch FROM NEW.window_moved_at) AS bigint)
               || ':' || s.id,
           json_build_object('label', NEW.label, 'from', NEW.window_from_at,
                             'until', NEW.window_until_at, 'at', NEW.window_moved_at,
                             'token', NEW.token),
           NEW.window_moved_at, 'pending', 0, NEW.window_moved_at, '', '', NEW.window_moved_at
    FROM notification_subscriptions s
    WHERE s.ticket_id = NEW.id AND s.address <> ''
    ON CONFLICT (dedupe_key) DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION antrean_subscriptions_follow_booking() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    UPDATE notification_subscriptions SET ticket_id = NEW.ticket_id
    WHERE booking_id = NEW.id AND ticket_id IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER antrean_outbox_on_event AFTER INSERT ON events FOR EACH ROW
WHEN (NEW.kind IN ({_KINDS}) AND NEW.ticket_id IS NOT NULL)
EXECUTE FUNCTION antrean_outbox_from_event();

CREATE TRIGGER antrean_outbox_on_move AFTER UPDATE OF window_moved_at ON tickets FOR EACH ROW
WHEN (NEW.window_moved_at IS NOT NULL
      AND NEW.window_moved_at IS DISTINCT FROM OLD.window_moved_at AND NEW.state = 'waiting')
EXECUTE FUNCTION antrean_outbox_from_move();

CREATE TRIGGER antrean_subscriptions_on_check_in AFTER UPDATE OF ticket_id ON bookings
FOR EACH ROW WHEN (NEW.ticket_id IS NOT NULL AND NEW.ticket_id IS DISTINCT FROM OLD.ticket_id)
EXECUTE FUNCTION antrean_subscriptions_follow_booking();
"""

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER antrean_outbox_on_event AFTER INSERT ON events
FOR EACH ROW WHEN NEW.kind IN ({_KINDS}) AND NEW.ticket_id IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO outbox_messages ({_OUTBOX_COLUMNS})
    SELECT NEW.branch_id, CASE NEW.kind {_CASE} END, s.id, NEW.ticket_id, s.booking_id,
           NEW.kind || ':' || NEW.id || ':' || s.id,
           json_object('label', t.label, 'counter', c.number, 'at', NEW.at, 'token', t.token),
           NEW.at, 'pending', 0, NEW.at, '', '', NEW.at
    FROM notification_subscriptions s
    JOIN tickets t ON t.id = NEW.ticket_id
    LEFT JOIN counters c ON c.id = NEW.counter_id
    WHERE s.ticket_id = NEW.ticket_id AND s.address <> '';
END""",
    f"""CREATE TRIGGER antrean_outbox_on_move AFTER UPDATE OF window_moved_at ON tickets
FOR EACH ROW WHEN NEW.window_moved_at IS NOT NULL
    AND (OLD.window_moved_at IS NULL OR NEW.window_moved_at <> OLD.window_moved_at)
    AND NEW.state = 'waiting'
BEGIN
    INSERT OR IGNORE INTO outbox_messages ({_OUTBOX_COLUMNS})
    SELECT NEW.branch_id, 'moved', s.id, NEW.id, s.booking_id,
           'moved:' || NEW.id || ':' || CAST(strftime('%s', NEW.window_moved_at) AS INTEGER)
               || ':' || s.id,
           json_object('label', NEW.label, 'from', NEW.window_from_at,
                       'until', NEW.window_until_at, 'at', NEW.window_moved_at,
                       'token', NEW.token),
           NEW.window_moved_at, 'pending', 0, NEW.window_moved_at, '', '', NEW.window_moved_at
    FROM notification_subscriptions s
    WHERE s.ticket_id = NEW.id AND s.address <> '';
END""",
    """CREATE TRIGGER antrean_subscriptions_on_check_in AFTER UPDATE OF ticket_id ON bookings
FOR EACH ROW WHEN NEW.ticket_id IS NOT NULL
    AND (OLD.ticket_id IS NULL OR NEW.ticket_id <> OLD.ticket_id)
BEGIN
    UPDATE notification_subscriptions SET ticket_id = NEW.ticket_id
    WHERE booking_id = NEW.id AND ticket_id IS NULL;
END""",
)

# Subscriptions' columns any app that works with them may read: never the address.
SUBSCRIPTION_READ = (
    "id, branch_id, ticket_id, booking_id, channel, language, consented_at, purged_at"
)
_KIOSKS = """
SELECT DISTINCT grantee FROM information_schema.role_table_grants
WHERE table_name = 'bookings' AND privilege_type = 'INSERT' AND grantee <> current_user
"""
_COUNTERS = """
SELECT DISTINCT grantee FROM information_schema.column_privileges
WHERE table_name = 'counters' AND privilege_type = 'UPDATE' AND grantee <> current_user
"""


def upgrade() -> None:
    op.create_table(
        "notification_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("consented_at", UTCDateTime(), nullable=False),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"],
            name=op.f("fk_notification_subscriptions_branch_id_branches"),
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"],
            name=op.f("fk_notification_subscriptions_ticket_id_tickets"),
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"],
            name=op.f("fk_notification_subscriptions_booking_id_bookings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_subscriptions")),
    )
    op.create_index(
        "ix_notification_subscriptions_ticket", "notification_subscriptions", ["ticket_id"]
    )
    op.create_index(
        "ix_notification_subscriptions_booking", "notification_subscriptions", ["booking_id"]
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("last_error", sa.String(length=400), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("provider_id", sa.String(length=200), nullable=True),
        sa.Column("drop_reason", sa.String(length=80), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["notification_subscriptions.id"],
            name=op.f("fk_outbox_messages_subscription_id_notification_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_outbox_messages_dedupe_key")),
    )
    op.create_index(
        "ix_outbox_messages_next", "outbox_messages", ["state", "next_attempt_at"]
    )
    op.create_index(
        "ix_outbox_messages_subscription", "outbox_messages", ["subscription_id"]
    )
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
        return
    op.execute(PG_FUNCTIONS)
    # Roles made before this revision: the kiosk's (kiosk and web) opt visitors in and book
    # reminders; the counter's reads the outbox for the supervisor's board; nobody but the
    # owner reads an address.
    quote = bind.dialect.identifier_preparer.quote
    for name in bind.execute(sa.text(_KIOSKS)).scalars().all():
        op.execute(f"GRANT SELECT ({SUBSCRIPTION_READ}) ON notification_subscriptions "
                   f"TO {quote(name)}")
        op.execute(f"GRANT INSERT ON notification_subscriptions, outbox_messages TO {quote(name)}")
        op.execute(f"GRANT UPDATE (address, language, consented_at, purged_at) "
                   f"ON notification_subscriptions "
                   f"TO {quote(name)}")
        op.execute(f"GRANT SELECT ON outbox_messages TO {quote(name)}")
        op.execute(f"GRANT USAGE ON SEQUENCE notification_subscriptions_id_seq, "
                   f"outbox_messages_id_seq TO {quote(name)}")
    for name in bind.execute(sa.text(_COUNTERS)).scalars().all():
        op.execute(f"GRANT SELECT ({SUBSCRIPTION_READ}) ON notification_subscriptions "
                   f"TO {quote(name)}")
        op.execute(f"GRANT SELECT ON outbox_messages TO {quote(name)}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS antrean_outbox_on_event ON events")
        op.execute("DROP TRIGGER IF EXISTS antrean_outbox_on_move ON tickets")
        op.execute("DROP TRIGGER IF EXISTS antrean_subscriptions_on_check_in ON bookings")
        op.execute("DROP FUNCTION IF EXISTS antrean_outbox_from_event()")
        op.execute("DROP FUNCTION IF EXISTS antrean_outbox_from_move()")
        op.execute("DROP FUNCTION IF EXISTS antrean_subscriptions_follow_booking()")
    else:
        op.execute("DROP TRIGGER IF EXISTS antrean_outbox_on_event")
        op.execute("DROP TRIGGER IF EXISTS antrean_outbox_on_move")
        op.execute("DROP TRIGGER IF EXISTS antrean_subscriptions_on_check_in")
    op.drop_index("ix_outbox_messages_subscription", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_next", table_name="outbox_messages")
    op.drop_table("outbox_messages")
    op.drop_index("ix_notification_subscriptions_booking",
                  table_name="notification_subscriptions")
    op.drop_index("ix_notification_subscriptions_ticket",
                  table_name="notification_subscriptions")
    op.drop_table("notification_subscriptions")
