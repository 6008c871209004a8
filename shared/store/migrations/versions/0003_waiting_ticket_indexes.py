"""Indexes on waiting tickets in call order, so call next reads each service's head.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:00:43
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

COLUMNS: list[str | sa.TextClause] = [
    "branch_id",
    "service_id",
    "business_date",
    sa.text("priority DESC"),
    "queued_at",
    "id",
]
INDEXES = {
    "ix_tickets_waiting": "state = 'waiting'",
    "ix_tickets_waiting_bookings": "state = 'waiting' AND due_at IS NOT NULL",
}


def upgrade() -> None:
    for name, where in INDEXES.items():
        op.create_index(
            name,
            "tickets",
            COLUMNS,
            postgresql_where=sa.text(where),
            sqlite_where=sa.text(where),
        )


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="tickets")
