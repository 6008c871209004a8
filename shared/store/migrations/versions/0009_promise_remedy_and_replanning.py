"""A promise with a remedy, and windows re-planned when the day changes.

- Call next: a visitor not called by the end of their printed window plus the branch's grace
  (queue.promise_grace_minutes) goes ahead of the visitors not yet owed ("janji terlewat"),
  once: only while never called. `antrean_call_next` gets the same order as
  `calling.next_in_line`.
- Tickets keep their current window (`window_from_at`, `window_until_at`), recomputed when a
  counter closes or pauses or the roster changes, and `window_moved_at` when it moved by more
  than queue.replan_notice_minutes, so the phone page can tell the visitor. The counter's role
  may write them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 16:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("window_from_at", "window_until_at", "window_moved_at")

CALL_NEXT = """CREATE OR REPLACE PROCEDURE antrean_call_next(
    p_officer integer, p_branch integer, p_number integer, p_request text,
    p_max_calls integer, p_now timestamptz, p_zone text,
    INOUT decided boolean DEFAULT NULL, INOUT counter_number integer DEFAULT NULL,
    INOUT ticket_id integer DEFAULT NULL, INOUT label text DEFAULT NULL,
    INOUT state text DEFAULT NULL, INOUT priority boolean DEFAULT NULL,
    INOUT issued_at timestamptz DEFAULT NULL, INOUT queued_at timestamptz DEFAULT NULL,
    INOUT called_at timestamptz DEFAULT NULL, INOUT started_at timestamptz DEFAULT NULL,
    INOUT call_count integer DEFAULT NULL, INOUT token text DEFAULT NULL,
    INOUT outcome text DEFAULT NULL, INOUT ahead_at_issue integer DEFAULT NULL,
    INOUT estimate_seconds double precision DEFAULT NULL,
    INOUT window_low_seconds double precision DEFAULT NULL,
    INOUT window_high_seconds double precision DEFAULT NULL,
    INOUT service_code text DEFAULT NULL, INOUT service_name_id text DEFAULT NULL,
    INOUT service_name_en text DEFAULT NULL, INOUT booked boolean DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    at_now timestamptz := COALESCE(p_now, now());
    today date := CAST(COALESCE(p_now, now()) AT TIME ZONE p_zone AS date);
    desk record;
    chosen integer;
    unsure boolean;
    absent_id integer;
    absent_service integer;
    absent_counter integer;
    absent_event integer;
    called tickets;
    call_event integer;
    notice text;
    grace double precision;
BEGIN
    decided := false;
    -- The common case only: an open counter, free (or its visitor called to the limit and
    -- never came), staffed by this officer, a request not seen before. Anything else
    -- returns undecided and the ordinary path gives the precise answer.
    SELECT c.id, c.number, c.call_policy, c.current_ticket_id INTO desk
    FROM counters c JOIN officers me ON me.id = p_officer
    WHERE me.branch_id = p_branch AND me.active
      AND c.branch_id = p_branch AND c.number = p_number AND c.active AND c.state = 'open'
      AND (c.officer_id = me.id OR me.role IN ('supervisor', 'admin'))
      AND NOT EXISTS (SELECT 1 FROM processed_requests WHERE request_id = p_request)
      AND (c.current_ticket_id IS NULL OR EXISTS (
          SELECT 1 FROM tickets p WHERE p.id = c.current_ticket_id
            AND p.state = 'called' AND p.call_count >= p_max_calls))
    FOR UPDATE OF c;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- A printed window missed by more than the grace (queue.promise_grace_minutes) is owed:
    -- that visitor goes ahead of those not yet owed, once (only until first called).
    SELECT 60 * COALESCE(CAST(b.settings::jsonb #>> '{queue,promise_grace_minutes}'
                              AS double precision), 10)
    INTO grace FROM branches b WHERE b.id = p_branch;

    -- The head of each queue the counter serves, read off the waiting-ticket indexes
    -- instead of sorting every waiting ticket: the first 64 in FIFO order (priority first),
    -- the first 64 bookings due now and the first 64 visitors owed a missed window, with
    -- docs/design.md's call order as sort keys (the order
    -- of `calling.next_in_line`). They are locked one at a time in that order until
    -- one is free (usually the first); the state is checked again on the locked row, so a
    -- ticket called meanwhile is passed over. A full list whose last candidate ranks before
    -- the claim (or no claim at all) leaves it unsure: a ticket behind it might come first.
    WITH candidate AS (
        SELECT h.id, h.last, NOT h.priority AS later,
               CASE WHEN h.due_at IS NOT NULL AND h.due_at <= at_now THEN 0 ELSE 1 END AS due,
               CASE WHEN desk.call_policy = 'service_order' THEN cs.position ELSE 0 END AS place,
               CASE WHEN h.first_called_at IS NULL AND h.window_high_seconds IS NOT NULL
                         AND h.issued_at + make_interval(secs => h.window_high_seconds + grace)
                             <= at_now
                    THEN 0 ELSE 1 END AS owed_later,
               h.queued_at
        FROM counter_services cs
        CROSS JOIN LATERAL (
            SELECT q.*, row_number() OVER (ORDER BY q.priority DESC, q.queued_at, q.id)
                        = 64 AS last
            FROM (SELECT t.id, t.priority, t.due_at, t.queued_at, t.issued_at,
                         t.window_high_seconds, t.first_called_at FROM tickets t
                  WHERE t.branch_id = p_branch AND t.service_id = cs.service_id
                    AND t.business_date = today AND t.state = 'waiting'
                  ORDER BY t.priority DESC, t.queued_at, t.id
                  LIMIT 64) AS q
            UNION ALL
            SELECT b.*, row_number() OVER (ORDER BY b.priority DESC, b.queued_at, b.id) = 64
            FROM (SELECT t.id, t.priority, t.due_at, t.queued_at, t.issued_at,
                         t.window_high_seconds, t.first_called_at FROM tickets t
                  WHERE t.branch_id = p_branch AND t.service_id = cs.service_id
                    AND t.business_date = today AND t.state = 'waiting'
                    AND t.due_at IS NOT NULL AND t.due_at <= at_now
                  ORDER BY t.priority DESC, t.queued_at, t.id
                  LIMIT 64) AS b
            UNION ALL
            SELECT o.*, row_number() OVER (ORDER BY o.priority DESC, o.queued_at, o.id) = 64
            FROM (SELECT t.id, t.priority, t.due_at, t.queued_at, t.issued_at,
                         t.window_high_seconds, t.first_called_at FROM tickets t
                  WHERE t.branch_id = p_branch AND t.service_id = cs.service_id
                    AND t.business_date = today AND t.state = 'waiting'
                    AND t.first_called_at IS NULL AND t.window_high_seconds IS NOT NULL
                    AND t.issued_at + make_interval(secs => t.window_high_seconds + grace)
                        <= at_now
                  ORDER BY t.priority DESC, t.queued_at, t.id
                  LIMIT 64) AS o
        ) AS h
        WHERE cs.counter_id = desk.id
    ), claim AS (
        SELECT c.*
        FROM (SELECT * FROM candidate ORDER BY later, due, place, owed_later, queued_at, id) AS c
        CROSS JOIN LATERAL (
            SELECT t.id FROM tickets t WHERE t.id = c.id AND t.state = 'waiting'
            FOR UPDATE SKIP LOCKED
        ) AS locked
        LIMIT 1
    )
    SELECT (SELECT id FROM claim),
           EXISTS (SELECT 1 FROM candidate
                   WHERE candidate.last
                     AND NOT EXISTS (SELECT 1 FROM claim
                                     WHERE (claim.later, claim.due, claim.place,
                                            claim.owed_later, claim.queued_at, claim.id)
                                         < (candidate.later, candidate.due, candidate.place,
                                            candidate.owed_later, candidate.queued_at,
                                            candidate.id)))
    INTO chosen, unsure;
    IF unsure THEN
        RETURN;
    END IF;
    decided := true;
    counter_number := desk.number;

    IF desk.current_ticket_id IS NOT NULL THEN
        UPDATE tickets p SET state = 'no_show', no_show_at = at_now
        WHERE p.id = desk.current_ticket_id AND p.state = 'called'
          AND p.call_count >= p_max_calls
        RETURNING p.id, p.service_id, p.counter_id INTO absent_id, absent_service, absent_counter;
        IF FOUND THEN
            INSERT INTO events (branch_id, at, kind, ticket_id, counter_id, officer_id,
                                service_id, from_state, to_state, detail)
            VALUES (p_branch, at_now, 'ticket.no_show', absent_id, absent_counter, p_officer,
                    absent_service, 'called', 'no_show', 'call limit')
            RETURNING id INTO absent_event;
        END IF;
    END IF;
    IF chosen IS NOT NULL THEN
        UPDATE tickets t
        SET state = 'called', called_at = at_now,
            first_called_at = COALESCE(t.first_called_at, at_now), call_count = 1,
            counter_id = desk.id, officer_id = p_officer
        WHERE t.id = chosen
        RETURNING t.* INTO called;
        INSERT INTO events (branch_id, at, kind, ticket_id, counter_id, officer_id,
                            service_id, from_state, to_state, detail)
        VALUES (p_branch, at_now, 'ticket.call', called.id, desk.id, p_officer,
                called.service_id, 'waiting', 'called', '')
        RETURNING id INTO call_event;
    END IF;
    IF chosen IS NOT NULL OR absent_event IS NOT NULL THEN
        UPDATE counters SET current_ticket_id = chosen WHERE id = desk.id;
    END IF;
    IF p_request IS NOT NULL THEN
        INSERT INTO processed_requests (request_id, branch_id, action, ticket_id, at)
        VALUES (p_request, p_branch, 'call_next', chosen, at_now);
    END IF;
    IF chosen IS NOT NULL THEN
        ticket_id := called.id; label := called.label; state := called.state;
        priority := called.priority; issued_at := called.issued_at;
        queued_at := called.queued_at; called_at := called.called_at;
        started_at := called.started_at; call_count := called.call_count;
        token := called.token; outcome := called.outcome;
        ahead_at_issue := called.ahead_at_issue; estimate_seconds := called.estimate_seconds;
        window_low_seconds := called.window_low_seconds;
        window_high_seconds := called.window_high_seconds;
        booked := called.due_at IS NOT NULL;
        SELECT s.code, s.name_id, s.name_en INTO service_code, service_name_id, service_name_en
        FROM services s WHERE s.id = called.service_id;
    END IF;
    IF absent_event IS NOT NULL OR call_event IS NOT NULL THEN
        notice := jsonb_build_object('b', p_branch, 'e', CASE
            WHEN absent_event IS NULL THEN jsonb_build_array(jsonb_build_array(
                call_event, 'ticket.call', called.id, desk.id, called.service_id))
            WHEN call_event IS NULL THEN jsonb_build_array(jsonb_build_array(
                absent_event, 'ticket.no_show', absent_id, absent_counter, absent_service))
            ELSE jsonb_build_array(
                jsonb_build_array(absent_event, 'ticket.no_show', absent_id, absent_counter,
                                  absent_service),
                jsonb_build_array(call_event, 'ticket.call', called.id, desk.id,
                                  called.service_id))
            END)::text;
    END IF;
    -- The notice goes out after the commit, in a short transaction of its own that does not
    -- wait for the disk: a NOTIFY inside the call's transaction would hold the server's one
    -- notify lock until the call's commit was flushed, and every counter would queue behind
    -- it. With the notify queue half full (a listener stuck) it is left to the watchers'
    -- sweep rather than failing a call that has already committed.
    COMMIT;
    IF notice IS NOT NULL THEN
        IF pg_notification_queue_usage() < 0.5 THEN
            PERFORM set_config('synchronous_commit', 'off', true), pg_notify('antrean', notice);
        ELSE
            RAISE WARNING 'notify queue half full: change left to the watchers'' sweep';
        END IF;
    END IF;
END
$$;
"""

# The counter's roles (those that may update counters) re-plan windows.
_COUNTERS = """
SELECT DISTINCT r.rolname
FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) AS a JOIN pg_roles r ON r.oid = a.grantee
WHERE c.oid = CAST('counters' AS regclass) AND a.privilege_type = 'UPDATE'
  AND a.grantee <> c.relowner
UNION
SELECT DISTINCT r.rolname
FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid
CROSS JOIN LATERAL aclexplode(t.attacl) AS a JOIN pg_roles r ON r.oid = a.grantee
WHERE t.attrelid = CAST('counters' AS regclass) AND a.privilege_type = 'UPDATE'
  AND a.grantee <> c.relowner
"""


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, UTCDateTime(), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute(CALL_NEXT)
    quote = bind.dialect.identifier_preparer.quote
    for role in bind.execute(sa.text(_COUNTERS)).scalars().all():
        op.execute(f"GRANT UPDATE ({', '.join(COLUMNS)}) ON tickets TO {quote(role)}")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        import importlib

        earlier = importlib.import_module(
            "shared.store.migrations.versions.0004_call_next_procedure"
        )
        op.execute(earlier.CALL_NEXT)
    with op.batch_alter_table("tickets") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
