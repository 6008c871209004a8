"""Every visitor the kiosk turns away is counted: its role may write `service.turned_away`.

The kiosk and web role's row-level security policy on `events` (migration 0007) lists the
kinds it may write; roles made before this revision get the new kind added. SQLite has no
roles, so nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 20:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# The kiosk role's kinds at this revision (shared/store/roles.py), before and after.
_BEFORE = (
    "kind IN ('kiosk.printer', 'booking.made', 'booking.cancelled', 'booking.checked_in', "
    "'survey.answered', 'service.capacity_refused', 'service.capacity_reopened')"
)
_AFTER = (
    "kind IN ('kiosk.printer', 'booking.made', 'booking.cancelled', 'booking.checked_in', "
    "'survey.answered', 'service.capacity_refused', 'service.capacity_reopened', "
    "'service.turned_away')"
)


def _kiosk_policies() -> list[str]:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return []
    return list(bind.execute(sa.text(
        "SELECT policyname FROM pg_policies WHERE tablename = 'events' "
        "AND policyname LIKE '%\\_kiosk\\_records'"
    )).scalars())


def _check_all(check: str) -> None:
    quote = op.get_bind().dialect.identifier_preparer.quote
    for policy in _kiosk_policies():
        op.execute(f"ALTER POLICY {quote(policy)} ON events WITH CHECK ({check})")


def upgrade() -> None:
    _check_all(_AFTER)


def downgrade() -> None:
    _check_all(_BEFORE)
