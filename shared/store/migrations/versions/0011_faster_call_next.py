"""Call next finds the visitors owed a missed window by an index instead of reading the queue.

Migration 0009's `antrean_call_next` looked for visitors owed a missed window ("janji
terlewat") with a test no index could answer (issue time + printed window + grace), so every
call read every waiting ticket of the service, and PostgreSQL chose to read the whole tickets
table, past days included. With 50 counters and 5,000 waiting tickets that doubled the server's
CPU per call (bench/call_next.py: ratio 0.76 before 0009, 0.51 after).

- `ix_tickets_promise_ends`: the end of each waiting, never-called ticket's printed window
  (issue time + window_high_seconds, in UTC: an immutable expression), so the visitors owed
  are a range read, usually empty. The procedure still applies 0009's exact test to what the
  range returns; the range is a second wider, so it never leaves out a ticket the test takes.
- The branch's grace (queue.promise_grace_minutes) is read in the counter's own statement,
  with json's operators instead of converting the whole settings document to jsonb.
- Its statements run generic plans (plan_cache_mode, for the call's transaction): PostgreSQL
  kept choosing a fresh custom plan for the candidates' query on every call.

Same parameters, same result, same order as `calling.next_in_line`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

PROMISE_ENDS = (
    "(issued_at AT TIME ZONE 'UTC') + make_interval(secs => window_high_seconds)"
)
INDEX = f"""
CREATE INDEX ix_tickets_promise_ends ON tickets
    (branch_id, service_id, business_date, ({PROMISE_ENDS}))
WHERE state = 'waiting' AND first_called_at IS NULL AND window_high_seconds IS NOT NULL
"""

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
    owed_by timestamp;
BEGIN
    -- The statements below are planned once per connection, not on every call: PostgreSQL
    -- re-planned the candidates' query each time (a custom plan looked cheaper than the
    -- generic one), a tenth of the server's time with 50 counters. Until the COMMIT below.
    PERFORM set_config('plan_cache_mode', 'force_generic_plan', true);
    decided := false;
    -- The common case only: an open counter, free (or its visitor called to the limit and
    -- never came), staffed by this officer, a request not seen before. Anything else
    -- returns undecided and the ordinary path gives the precise answer. A printed window
    -- missed by more than the branch's grace (queue.promise_grace_minutes) is owed: that
    -- visitor goes ahead of those not yet owed, once (only until first called).
    SELECT c.id, c.number, c.call_policy, c.current_ticket_id,
           60 * COALESCE(CAST(b.settings -> 'queue' ->> 'promise_grace_minutes'
                              AS double precision), 10) AS grace
    INTO desk
    FROM counters c JOIN officers me ON me.id = p_officer
    JOIN branches b ON b.id = p_branch
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
    grace := desk.grace;
    -- Windows ending by then (in UTC, as ix_tickets_promise_ends keeps them) may be owed; a
    -- second wider than the exact test below, which decides.
    owed_by := (at_now AT TIME ZONE 'UTC') - make_interval(secs => grace) + interval '1 second';

    -- The head of each queue the counter serves, read off the waiting-ticket indexes
    -- instead of sorting every waiting ticket: the first 64 in FIFO order (priority first),
    -- the first 64 bookings due now and the first 64 visitors owed a missed window (a range
    -- of ix_tickets_promise_ends), with docs/design.md's call order as sort keys (the order
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
            FROM (SELECT * FROM (
                      -- OFFSET 0: read as a range, then sorted, rather than walking the
                      -- whole queue in call order for the few that are owed.
                      SELECT t.id, t.priority, t.due_at, t.queued_at, t.issued_at,
                             t.window_high_seconds, t.first_called_at FROM tickets t
                      WHERE t.branch_id = p_branch AND t.service_id = cs.service_id
                        AND t.business_date = today AND t.state = 'waiting'
                        AND t.first_called_at IS NULL AND t.window_high_seconds IS NOT NULL
                        AND (t.issued_at AT TIME ZONE 'UTC')
                            + make_interval(secs => t.window_high_seconds) <= owed_by
                        AND t.issued_at + make_interval(secs => t.window_high_seconds + grace)
                            <= at_now
                      OFFSET 0) AS owed
                  ORDER BY owed.priority DESC, owed.queued_at, owed.id
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite's call next is the ordinary path, which sorts its one PC's queue
    op.execute(INDEX)
    op.execute(CALL_NEXT)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    earlier = importlib.import_module(
        "shared.store.migrations.versions.0009_promise_remedy_and_replanning"
    )
    op.execute(earlier.CALL_NEXT)
    op.execute("DROP INDEX ix_tickets_promise_ends")
