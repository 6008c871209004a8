"""Today's roster: planned absences and breaks per counter, entered ahead by a supervisor.

The estimator reads it from the first ticket of the day, so a counter rostered away calls
nobody in that time even on a branch's first day or a first absence. The counter app's role
(supervisors work there) adds and removes entries; every app reads them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("counter_id", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f("fk_roster_entries_branch_id_branches")
        ),
        sa.ForeignKeyConstraint(
            ["counter_id"], ["counters.id"], name=op.f("fk_roster_entries_counter_id_counters")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_entries")),
    )
    op.create_index("ix_roster_entries_day", "roster_entries", ["branch_id", "business_date"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    # Roles made before this revision: everyone reads the roster, the counter role writes it.
    quote = bind.dialect.identifier_preparer.quote
    readers = bind.execute(sa.text(
        "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
        "WHERE table_name = 'events' AND privilege_type = 'SELECT' "
        "AND grantee <> current_user AND grantee <> 'PUBLIC'"
    )).scalars().all()
    writers = set(bind.execute(sa.text(
        "SELECT DISTINCT grantee FROM information_schema.column_privileges "
        "WHERE table_name = 'counters' AND privilege_type = 'UPDATE' "
        "AND grantee <> current_user"
    )).scalars().all())
    for name in readers:
        op.execute(f"GRANT SELECT ON roster_entries TO {quote(name)}")
        if name in writers:
            op.execute(f"GRANT INSERT, DELETE ON roster_entries TO {quote(name)}")
            op.execute(f"GRANT USAGE ON SEQUENCE roster_entries_id_seq TO {quote(name)}")


def downgrade() -> None:
    op.drop_index("ix_roster_entries_day", table_name="roster_entries")
    op.drop_table("roster_entries")
