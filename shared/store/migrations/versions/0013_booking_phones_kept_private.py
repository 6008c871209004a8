"""A booking's code, NIK digits and phone number stay with the role that books.

The display's and the counters' roles read every table; on `bookings` they now read only the
columns the queue needs (its service, slot, state and ticket), never the visitor's phone, NIK
digits, booking code or request id. Roles made before this revision are narrowed here; SQLite
has no roles.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The queue's columns of a booking, at this revision (shared/store/roles.py's _BOOKING_READ).
_BOOKING_READ = (
    "id, branch_id, service_id, business_date, slot_start, slot_end, state, booked_at, "
    "cancelled_at, checked_in_at, ticket_id"
)


def _readers() -> list[str]:
    """The display and counter roles that may read bookings."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return []
    return list(bind.execute(sa.text(
        "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
        "WHERE table_name = 'bookings' AND privilege_type = 'SELECT' "
        "AND (grantee LIKE '%\\_display' OR grantee LIKE '%\\_counter')"
    )).scalars())


def upgrade() -> None:
    quote = op.get_bind().dialect.identifier_preparer.quote
    for name in _readers():
        op.execute(f"REVOKE SELECT ON bookings FROM {quote(name)}")
        op.execute(f"GRANT SELECT ({_BOOKING_READ}) ON bookings TO {quote(name)}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    names = bind.execute(sa.text(
        "SELECT DISTINCT grantee FROM information_schema.column_privileges "
        "WHERE table_name = 'bookings' AND column_name = 'slot_start' "
        "AND privilege_type = 'SELECT' "
        "AND (grantee LIKE '%\\_display' OR grantee LIKE '%\\_counter')"
    )).scalars().all()
    for name in names:
        op.execute(f"GRANT SELECT ON bookings TO {quote(name)}")
