"""A service's capacity refusal is kept per business day, so every process says the same.

The kiosk, the display and the web each read the capacity rule; with the estimate moving by a
minute either way they alternated between refusing and issuing. The day's sequence row now
records since when walk-ins (and, apart, priority visitors) are refused, and the rule reopens a
refused service only when its wait clearly improves.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("capacity_refused_at", "priority_capacity_refused_at")


def upgrade() -> None:
    with op.batch_alter_table("daily_sequences") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("daily_sequences") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
