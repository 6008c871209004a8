"""Least privilege on PostgreSQL: one login role per app, granted only what its services need.

The display reads (and may not see PIN hashes); the kiosk issues tickets (through a SECURITY
DEFINER function) and reports its printer, and the web service shares its role (bookings,
survey answers); the counter calls and serves. Each writes only its own kinds of audit event
(row-level security on `events`). Set-up and officer management stay with the owner, and so
does the notify worker: only the owner reads visitors' message addresses (migration 0010).
Migration 0007 gives roles made before it these grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from shared.store.models import Base

# Officers as anyone may read them: never the PIN hash (the login path gets one officer's from
# the SECURITY DEFINER function `antrean_officer_secret`, migration 0007).
_OFFICER_READ = "id, branch_id, login, name, role, active, failed_logins, blocked_until"
# The key behind NIK digests is read only by the role that books; a visitor's phone number or
# push address only by the owner (the notify worker, migration 0010). A booking's code, NIK
# digits and phone number only by the role that books and checks in (migration 0013).
_PRIVATE = ("officers", "branch_keys", "notification_subscriptions", "bookings")
_BOOKING_READ = (
    "id, branch_id, service_id, business_date, slot_start, slot_end, state, booked_at, "
    "cancelled_at, checked_in_at, ticket_id"
)
_SUBSCRIPTION_READ = (
    "id, branch_id, ticket_id, booking_id, channel, language, consented_at, purged_at"
)
_EVERYTHING_BUT_OFFICERS = [t.name for t in Base.metadata.sorted_tables if t.name not in _PRIVATE]
_READ = f"SELECT ON {', '.join(_EVERYTHING_BUT_OFFICERS)}"
# What a counter changes on a ticket: its lifecycle, never its number, label, token or day.
_TICKET_MOVES = (
    "state, service_id, queued_at, called_at, first_called_at, call_count, started_at, "
    "finished_at, no_show_at, outcome, counter_id, officer_id"
)
_COUNTER_STATE = "state, state_since, pause_reason, officer_id, current_ticket_id"


@dataclass(frozen=True)
class AppRole:
    app: str
    grants: tuple[str, ...]
    # The audit events the role may write (a row-level security check on `events`); None: none.
    events: str | None = None


APP_ROLES = (
    AppRole("display", (
        _READ, f"SELECT ({_OFFICER_READ}) ON officers", f"SELECT ({_BOOKING_READ}) ON bookings",
    )),
    AppRole(
        "kiosk",
        # Tickets only through `antrean_issue_ticket`, which takes the number and writes the
        # ticket (waiting) and its event; a day's sequence row may be made at 0 and its
        # capacity state set (a trigger refuses moving a number), no more.
        (
            _READ,
            f"SELECT ({_OFFICER_READ}) ON officers",
            "SELECT ON bookings",
            "SELECT ON branch_keys",
            "INSERT ON events, processed_requests, kiosks, bookings, survey_responses, "
            "daily_sequences",
            # A booking's state as it is cancelled or checked in, never its code, visitor or
            # slot; a kiosk's printer report.
            "UPDATE (state, cancelled_at, checked_in_at, ticket_id) ON bookings",
            "UPDATE (printer_state, detail, accepting, updated_at) ON kiosks",
            "UPDATE (capacity_refused_at, priority_capacity_refused_at) ON daily_sequences",
            # A checked-in booking's ticket gets its own wait projected.
            "UPDATE (estimate_seconds, window_low_seconds, window_high_seconds) ON tickets",
            "USAGE ON SEQUENCE events_id_seq, kiosks_id_seq, bookings_id_seq, "
            "survey_responses_id_seq",
            "EXECUTE ON FUNCTION antrean_issue_ticket",
            # Visitors opt in to messages (kiosk, phone page) and withdraw; a booking's
            # reminders are queued with the opt-in (migration 0010).
            f"SELECT ({_SUBSCRIPTION_READ}) ON notification_subscriptions",
            "INSERT ON notification_subscriptions, outbox_messages",
            "UPDATE (address, language, consented_at, purged_at) ON notification_subscriptions",
            "USAGE ON SEQUENCE notification_subscriptions_id_seq, outbox_messages_id_seq",
        ),
        "kind IN ('kiosk.printer', 'booking.made', 'booking.cancelled', 'booking.checked_in', "
        "'survey.answered', 'service.capacity_refused', 'service.capacity_reopened', "
        "'service.turned_away')",
    ),
    AppRole(
        "counter",
        # Counters move tickets and themselves (UPDATE also covers row locks) and log officers
        # in: one login's hash through `antrean_officer_secret`, wrong PINs counted.
        (
            _READ,
            f"SELECT ({_OFFICER_READ}) ON officers",
            f"SELECT ({_BOOKING_READ}) ON bookings",
            "UPDATE (failed_logins, blocked_until) ON officers",
            f"UPDATE ({_TICKET_MOVES}) ON tickets",
            # Waiting visitors' windows re-planned as counters close or pause (migration 0009).
            "UPDATE (window_from_at, window_until_at, window_moved_at) ON tickets",
            f"UPDATE ({_COUNTER_STATE}) ON counters",
            "INSERT, DELETE ON counter_services",
            "INSERT ON events, processed_requests",
            # Supervisors plan the roster at the counter app (migration 0008).
            "INSERT, DELETE ON roster_entries",
            "USAGE ON SEQUENCE events_id_seq, roster_entries_id_seq",
            "EXECUTE ON PROCEDURE antrean_call_next",  # call next's one round trip
            "EXECUTE ON FUNCTION antrean_officer_secret",
            # The supervisor's board lists messages that could not be sent (migration 0010).
            f"SELECT ({_SUBSCRIPTION_READ}) ON notification_subscriptions",
        ),
        "(kind LIKE 'ticket.%' AND kind <> 'ticket.issued') OR kind LIKE 'counter.%' "
        "OR kind IN ('officer.login_failed', 'officer.locked', 'officer.unlocked')",
    ),
)


def role_name(prefix: str, app: str) -> str:
    return f"{prefix}_{app}"


def create_app_roles(engine: Engine, prefix: str = "antrean") -> list[str]:
    """Create (or refresh) the apps' login roles and their grants on this database."""
    if engine.dialect.name != "postgresql":
        raise ValueError("database roles exist only on PostgreSQL; SQLite is one user's file")
    if not prefix.replace("_", "").isalnum():
        raise ValueError(f"role prefix {prefix!r} may only hold letters, digits and _")
    created = []
    with engine.begin() as connection:
        database = connection.execute(text("SELECT current_database()")).scalar_one()
        for role in APP_ROLES:
            name = role_name(prefix, role.app)
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
            connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"'))
            connection.execute(text(f'GRANT USAGE ON SCHEMA public TO "{name}"'))
            connection.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{name}"'))
            connection.execute(
                text(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "{name}"')
            )
            for grant in role.grants:
                connection.execute(text(f'GRANT {grant} TO "{name}"'))
            policy = f"{name}_records"
            connection.execute(text(f'DROP POLICY IF EXISTS "{policy}" ON events'))
            if role.events is not None:
                connection.execute(
                    text(f'CREATE POLICY "{policy}" ON events FOR INSERT TO "{name}" '
                         f"WITH CHECK ({role.events})")
                )
            created.append(name)
    return created


def drop_app_roles(engine: Engine, prefix: str = "antrean") -> None:
    with engine.begin() as connection:
        for role in APP_ROLES:
            name = role_name(prefix, role.app)
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first()
            if exists is not None:
                connection.execute(text(f'DROP OWNED BY "{name}"'))
                connection.execute(text(f'DROP ROLE "{name}"'))
