"""What a branch sends to the region, what it never sends, and the role the region reads with.

Every published table names its columns (PostgreSQL 15's column lists), so a column added by
a later migration stays on the branch until it is listed here: nothing leaves by default.
tests/shared/central/test_publication.py fails until every column of a published table is
either published or kept private, and every table is either published or kept home.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from shared.central.layout import PUBLICATION, REPLICATION_ROLE

# The region's picture: the audit trail, tickets, counters and their services, the roster,
# survey results, bookings made, configuration, and who the officers are.
PUBLISHED: dict[str, tuple[str, ...]] = {
    "branches": ("id", "code", "name", "timezone", "settings"),
    "services": (
        "id", "branch_id", "code", "prefix", "name_id", "name_en", "active", "daily_quota",
        "priority_allowed", "transfer_keeps_place", "mean_service_seconds",
        "target_wait_seconds", "details",
    ),
    "officers": ("id", "branch_id", "login", "name", "role", "active"),
    "counters": (
        "id", "branch_id", "number", "name", "active", "call_policy", "state", "state_since",
        "pause_reason", "officer_id", "current_ticket_id",
    ),
    "counter_services": ("counter_id", "service_id", "branch_id", "position"),
    "daily_sequences": (
        "service_id", "business_date", "branch_id", "last_number", "capacity_refused_at",
        "priority_capacity_refused_at",
    ),
    "tickets": (
        "id", "branch_id", "business_date", "issued_service_id", "service_id", "number",
        "label", "state", "priority", "due_at", "issued_at", "queued_at", "called_at",
        "first_called_at", "call_count", "started_at", "finished_at", "no_show_at", "outcome",
        "counter_id", "officer_id", "kiosk", "ahead_at_issue", "estimate_seconds",
        "window_low_seconds", "window_high_seconds", "window_from_at", "window_until_at",
        "window_moved_at",
    ),
    "events": (
        "id", "branch_id", "at", "kind", "ticket_id", "counter_id", "officer_id", "service_id",
        "from_state", "to_state", "detail",
    ),
    "roster_entries": (
        "id", "branch_id", "counter_id", "business_date", "starts_at", "ends_at", "reason",
        "note", "created_by", "created_at",
    ),
    "survey_responses": (
        "id", "branch_id", "ticket_id", "service_id", "counter_id", "officer_id",
        "business_date", "answered_at", "answers", "comment",
    ),
    "bookings": (
        "id", "branch_id", "service_id", "business_date", "slot_start", "slot_end", "state",
        "booked_at", "cancelled_at", "checked_in_at", "ticket_id",
    ),
}

# Columns of published tables that stay on the branch, and why.
PRIVATE: dict[str, tuple[str, ...]] = {
    # PIN and password hashes, and the lockout state only the branch acts on.
    "officers": ("secret_hash", "failed_logins", "blocked_until"),
    # The ticket's link to its status page and survey: whoever holds it can answer the survey.
    "tickets": ("token",),
    # The visitor: the NIK's digest and last digits, the phone number; the booking code and
    # request id, which let their holder cancel or check in.
    "bookings": ("code", "nik_digest", "nik_last4", "phone", "request_id"),
}

# Tables that never leave the branch: the key behind NIK digests, request ids (replays),
# kiosks' printer states, which only the branch acts on, and visitors' message addresses and
# the messages sent to them. A new table stays home too until it is named in PUBLISHED.
KEPT_HOME = (
    "branch_keys", "processed_requests", "kiosks", "notification_subscriptions",
    "outbox_messages",
)


def publication_tables(published: dict[str, tuple[str, ...]]) -> sql.Composed:
    """`table (col, ...), ...` for CREATE / ALTER PUBLICATION."""
    return sql.SQL(", ").join(
        sql.SQL("{} ({})").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        for table, columns in published.items()
    )


def publish(
    connection: psycopg.Connection[tuple[object, ...]],
    password: str,
    published: dict[str, tuple[str, ...]] = PUBLISHED,
) -> None:
    """On the branch's database (as its owner or a superuser): the replication role, which may
    replicate and read the published columns and nothing else, and the publication. Run again
    after a migration, it grants and publishes what `published` names now."""
    role = sql.Identifier(REPLICATION_ROLE)
    database = connection.execute("SELECT current_database()").fetchone()
    assert database is not None
    exists = connection.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", (REPLICATION_ROLE,)
    ).fetchone()
    if exists is None:
        connection.execute(sql.SQL("CREATE ROLE {} LOGIN REPLICATION").format(role))
    connection.execute(
        sql.SQL("ALTER ROLE {} LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE "
                "NOBYPASSRLS PASSWORD {}").format(role, sql.Literal(password))
    )
    connection.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
        sql.Identifier(str(database[0])), role))
    connection.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role))
    connection.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role))
    connection.execute(
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(role)
    )
    for table, columns in published.items():
        connection.execute(
            sql.SQL("GRANT SELECT ({}) ON {} TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table), role
            )
        )
    tables = publication_tables(published)
    name = sql.Identifier(PUBLICATION)
    published_before = connection.execute(
        "SELECT 1 FROM pg_publication WHERE pubname = %s", (PUBLICATION,)
    ).fetchone()
    if published_before is None:
        connection.execute(sql.SQL("CREATE PUBLICATION {} FOR TABLE {}").format(name, tables))
    else:
        connection.execute(sql.SQL("ALTER PUBLICATION {} SET TABLE {}").format(name, tables))


def unpublish(connection: psycopg.Connection[tuple[object, ...]]) -> None:
    """On the branch: drop the publication and the replication role (after its slots)."""
    connection.execute(sql.SQL("DROP PUBLICATION IF EXISTS {}").format(sql.Identifier(PUBLICATION)))
    exists = connection.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", (REPLICATION_ROLE,)
    ).fetchone()
    if exists is not None:
        role = sql.Identifier(REPLICATION_ROLE)
        connection.execute(sql.SQL("DROP OWNED BY {}").format(role))
        connection.execute(sql.SQL("DROP ROLE {}").format(role))
