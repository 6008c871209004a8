"""Each app's role does its job and no more; wrong PINs are counted.

On PostgreSQL the kiosk's role (the web service's too) could move a day's sequence (one
statement stopped all issuing), insert tickets in any state and audit events of any kind; the
counter's read every officer's PIN hash. Now:

- `antrean_issue_ticket` (SECURITY DEFINER) alone takes numbers and inserts tickets with their
  `ticket.issued` event; the kiosk's role keeps no INSERT on tickets, and a trigger refuses any
  other role a sequence insert or update that moves its number.
- The audit trail has row-level security: each app's role may insert only the kinds of events
  its services write (`shared/store/roles.py` names them per role).
- `antrean_officer_secret` (SECURITY DEFINER) hands the counter's role one login's hash; no app
  role may select the column.
- Officers count wrong PINs (`failed_logins`) and are paused or locked out (`blocked_until`).

Roles made by `antrean init --roles` before this migration get the new, narrower grants here
(found by the grants they held), so an upgrade neither locks an app out nor leaves it its old
reach.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ISSUE_TICKET = """
CREATE OR REPLACE FUNCTION antrean_issue_ticket(
    p_branch integer, p_service integer, p_business_date date, p_priority boolean,
    p_due_at timestamptz, p_kiosk text, p_now timestamptz, p_limit integer, p_token text,
    p_estimate double precision, p_low double precision, p_high double precision,
    OUT new_ticket integer, OUT new_event integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    service record;
    taken integer;
    at_now timestamptz := COALESCE(p_now, now());
    stamp timestamptz;
    ahead integer;
BEGIN
    SELECT s.prefix, s.priority_allowed INTO service FROM services s
    WHERE s.id = p_service AND s.branch_id = p_branch AND s.active;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'service % is not an active service of branch %', p_service, p_branch
            USING ERRCODE = '22023';
    END IF;
    IF p_priority AND NOT service.priority_allowed THEN
        RAISE EXCEPTION 'service % has no priority queue', p_service USING ERRCODE = '22023';
    END IF;
    INSERT INTO daily_sequences AS d (service_id, business_date, branch_id, last_number)
    VALUES (p_service, p_business_date, p_branch, 1)
    ON CONFLICT (service_id, business_date) DO UPDATE SET last_number = d.last_number + 1
    RETURNING d.last_number INTO taken;
    IF p_limit IS NOT NULL AND taken > p_limit THEN
        RETURN;  -- over the quota: the caller refuses and rolls back, giving the number back
    END IF;
    -- Queued no earlier than the number before it (shared/services/issuing.py, queue_instant):
    -- a caller's clock cannot place a ticket ahead of one issued before it.
    SELECT GREATEST(at_now, max(t.issued_at)) INTO stamp FROM tickets t
    WHERE t.issued_service_id = p_service AND t.business_date = p_business_date
      AND t.number = taken - 1;
    SELECT count(*) INTO ahead FROM tickets t
    WHERE t.branch_id = p_branch AND t.business_date = p_business_date
      AND t.service_id = p_service AND t.state = 'waiting' AND (t.priority OR NOT p_priority);
    INSERT INTO tickets (branch_id, business_date, issued_service_id, service_id, number, label,
                         state, priority, due_at, token, issued_at, queued_at, kiosk,
                         ahead_at_issue, call_count, estimate_seconds, window_low_seconds,
                         window_high_seconds)
    VALUES (p_branch, p_business_date, p_service, p_service, taken,
            service.prefix || CASE WHEN taken < 1000 THEN lpad(taken::text, 3, '0')
                                   ELSE taken::text END,
            'waiting', p_priority, p_due_at, p_token, stamp, stamp, p_kiosk, ahead, 0,
            p_estimate, p_low, p_high)
    RETURNING id INTO new_ticket;
    INSERT INTO events (branch_id, at, kind, ticket_id, service_id, to_state, detail)
    VALUES (p_branch, at_now, 'ticket.issued', new_ticket, p_service, 'waiting', p_kiosk)
    RETURNING id INTO new_event;
END
$$;
"""

OFFICER_SECRET = """
CREATE OR REPLACE FUNCTION antrean_officer_secret(p_branch integer, p_login text)
RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT o.secret_hash FROM officers o
    WHERE o.branch_id = p_branch AND o.login = p_login AND o.active
$$;
"""

# Numbers move only inside antrean_issue_ticket, which runs as the tables' owner: any other
# role may create a day's row at 0 (the capacity rule keeps its state there) but not move it.
GUARD_SEQUENCES = """
CREATE OR REPLACE FUNCTION antrean_guard_sequences() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID),
                   'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.last_number <> 0)
       OR (TG_OP = 'UPDATE' AND (NEW.service_id, NEW.business_date, NEW.branch_id,
                                 NEW.last_number)
           IS DISTINCT FROM (OLD.service_id, OLD.business_date, OLD.branch_id,
                             OLD.last_number)) THEN
        RAISE EXCEPTION 'only antrean_issue_ticket takes ticket numbers'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
DROP TRIGGER IF EXISTS antrean_guard_sequences ON daily_sequences;
CREATE TRIGGER antrean_guard_sequences BEFORE INSERT OR UPDATE ON daily_sequences
    FOR EACH ROW EXECUTE FUNCTION antrean_guard_sequences();
"""

# The grants of shared/store/roles.py at this revision, for roles made before it (frozen here:
# later revisions of roles.py may name tables this migration does not know).
_PRIVATE = ("officers", "branch_keys")
_OFFICER_READ = "id, branch_id, login, name, role, active, failed_logins, blocked_until"
_TICKET_MOVES = (
    "state, service_id, queued_at, called_at, first_called_at, call_count, started_at, "
    "finished_at, no_show_at, outcome, counter_id, officer_id"
)
_ESTIMATES = "estimate_seconds, window_low_seconds, window_high_seconds"
_COUNTER_STATE = "state, state_since, pause_reason, officer_id, current_ticket_id"
_CAPACITY = "capacity_refused_at, priority_capacity_refused_at"
KIOSK_EVENTS = (
    "kind IN ('kiosk.printer', 'booking.made', 'booking.cancelled', 'booking.checked_in', "
    "'survey.answered', 'service.capacity_refused', 'service.capacity_reopened')"
)
COUNTER_EVENTS = (
    "(kind LIKE 'ticket.%' AND kind <> 'ticket.issued') OR kind LIKE 'counter.%' "
    "OR kind IN ('officer.login_failed', 'officer.locked', 'officer.unlocked')"
)


def _grants(tables: str) -> dict[str, tuple[tuple[str, ...], str | None]]:
    return {
        "display": ((f"SELECT ON {tables}", f"SELECT ({_OFFICER_READ}) ON officers"), None),
        "kiosk": (
            (
                f"SELECT ON {tables}",
                f"SELECT ({_OFFICER_READ}) ON officers",
                "SELECT ON branch_keys",
                "INSERT ON events, processed_requests, kiosks, bookings, survey_responses, "
                "daily_sequences",
                "UPDATE (state, cancelled_at, checked_in_at, ticket_id) ON bookings",
                "UPDATE (printer_state, detail, accepting, updated_at) ON kiosks",
                f"UPDATE ({_CAPACITY}) ON daily_sequences",
                f"UPDATE ({_ESTIMATES}) ON tickets",
                "USAGE ON SEQUENCE events_id_seq, kiosks_id_seq, bookings_id_seq, "
                "survey_responses_id_seq",
                "EXECUTE ON FUNCTION antrean_issue_ticket",
            ),
            KIOSK_EVENTS,
        ),
        "counter": (
            (
                f"SELECT ON {tables}",
                f"SELECT ({_OFFICER_READ}) ON officers",
                "UPDATE (failed_logins, blocked_until) ON officers",
                f"UPDATE ({_TICKET_MOVES}) ON tickets",
                f"UPDATE ({_COUNTER_STATE}) ON counters",
                "INSERT, DELETE ON counter_services",
                "INSERT ON events, processed_requests",
                "USAGE ON SEQUENCE events_id_seq",
                "EXECUTE ON PROCEDURE antrean_call_next",
                "EXECUTE ON FUNCTION antrean_officer_secret",
            ),
            COUNTER_EVENTS,
        ),
    }


# Which app a role made before this revision serves, by what it was granted (on the table or
# on its columns).
_HELD = """
SELECT DISTINCT r.rolname
FROM (SELECT c.relowner, a.grantee, a.privilege_type
      FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a
      WHERE c.oid = CAST(:table AS regclass)
      UNION ALL
      SELECT c.relowner, a.grantee, a.privilege_type
      FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid
      CROSS JOIN LATERAL aclexplode(t.attacl) AS a
      WHERE t.attrelid = CAST(:table AS regclass)) AS g
JOIN pg_roles r ON r.oid = g.grantee
WHERE g.privilege_type = :privilege AND g.grantee <> g.relowner
"""


def _app_roles(bind: sa.engine.Connection) -> dict[str, str]:
    def holders(table: str, privilege: str) -> set[str]:
        rows = bind.execute(sa.text(_HELD), {"table": table, "privilege": privilege})
        return set(rows.scalars().all())

    kiosks = holders("daily_sequences", "INSERT")
    counters = holders("counters", "UPDATE")
    readers = holders("events", "SELECT") - kiosks - counters
    found = {name: "kiosk" for name in kiosks}
    found.update({name: "counter" for name in counters})
    found.update({name: "display" for name in readers})
    return found


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("blocked_until", UTCDateTime(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(ISSUE_TICKET)
    op.execute(OFFICER_SECRET)
    for function in ("antrean_issue_ticket", "antrean_officer_secret"):
        op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
    op.execute(GUARD_SEQUENCES)
    op.execute("ALTER TABLE events ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY events_read ON events FOR SELECT USING (true)")

    quote = bind.dialect.identifier_preparer.quote
    tables = ", ".join(
        name for name in sa.inspect(bind).get_table_names()
        if name not in _PRIVATE and name != "alembic_version"
    )
    grants = _grants(tables)
    for name, app in _app_roles(bind).items():
        role = quote(name)
        op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}")
        for grant in grants[app][0]:
            op.execute(f"GRANT {grant} TO {role}")
        events = grants[app][1]
        if events is not None:
            policy = quote(f"{name}_records")
            op.execute(f"CREATE POLICY {policy} ON events FOR INSERT TO {role} "
                       f"WITH CHECK ({events})")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        quote = bind.dialect.identifier_preparer.quote
        policies = bind.execute(
            sa.text("SELECT policyname FROM pg_policies WHERE tablename = 'events'")
        ).scalars().all()
        for policy in policies:
            op.execute(f"DROP POLICY {quote(policy)} ON events")
        op.execute("ALTER TABLE events DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER antrean_guard_sequences ON daily_sequences")
        op.execute("DROP FUNCTION antrean_guard_sequences")
        op.execute("DROP FUNCTION antrean_officer_secret")
        op.execute("DROP FUNCTION antrean_issue_ticket")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("blocked_until")
        batch.drop_column("failed_logins")
