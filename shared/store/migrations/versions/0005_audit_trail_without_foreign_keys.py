"""The audit trail keeps no foreign keys.

Every event names the branch, ticket, counter, officer and service of a change, and each of
those foreign keys made every insert take a share lock on the row it names. Fifty counters
calling at once all locked the same branch and service rows, so PostgreSQL had to track the
lockers as a group (a multixact) on every call; without the keys fifty counters call next
11-15 % faster (bench/call_next.py: 1,191 calls/s before, 1,315-1,367 after). The trail is
append-only and written only by the services, in the transaction that holds the rows it
describes, and nothing deletes those rows; the invariant tests check that every event's ids
resolve to rows of its branch.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 23:55:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFERENCES = {
    "branch_id": "branches",
    "ticket_id": "tickets",
    "counter_id": "counters",
    "officer_id": "officers",
    "service_id": "services",
}


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for column, table in REFERENCES.items():
            batch.drop_constraint(f"fk_events_{column}_{table}", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        for column, table in REFERENCES.items():
            batch.create_foreign_key(f"fk_events_{column}_{table}", table, [column], ["id"])
