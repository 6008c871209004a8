"""Call next on PostgreSQL in one autocommitted statement: the hot path of a busy branch.

Fifty counters pressing "call next" should cost the server about what a bare
`UPDATE … SKIP LOCKED RETURNING` costs, so the common case — an open counter, free, staffed by
this officer — is one statement: lock the counter, claim the next ticket in DESIGN.md's call
order (the same order as `calling.next_in_line`), mark it called, point the counter at it,
write the audit event and the request id, all in one transaction, and return the change notice,
announced (NOTIFY) right after the commit like every change's (`unit_of_work.announce`).
A visitor called to the limit who never came is marked no-show in the same statement, as the
ordinary path does. Anything else (a paused counter, a visitor still at the desk, a repeated
request, a stranger) finds no counter row here and goes the ordinary way, which gives the
precise answer. Branch id, time zone and call limit are cached per process: a stale cache can
only send a call the ordinary way, never change its effect.

The next ticket is found without sorting the whole queue: each served service gives its first
HEAD waiting tickets (priority first, then FIFO) and its first HEAD bookings due now, read off
two partial indexes on waiting tickets, and the best of those no other counter holds is
claimed. When a full list of HEAD was passed over entirely (other counters hold them all),
a better ticket might lie behind it, and the call goes the ordinary way, which reads the
whole queue; the statement then changes nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shared.services.unit_of_work import announce
from shared.services.views import TicketView
from shared.store.database import Store

FALL_BACK = object()  # the ordinary path must decide
HEAD = 64  # candidates per service and list; more than the counters that call at once

_CALL_NEXT_SQL = f"""
WITH me AS (
    SELECT id, role FROM officers
    WHERE id = :officer AND branch_id = :branch AND active
), ctr AS (
    SELECT c.id, c.number, c.call_policy, c.current_ticket_id FROM counters c, me
    WHERE c.branch_id = :branch AND c.number = :number AND c.active
      AND c.state = 'open'
      AND (c.officer_id = me.id OR me.role IN ('supervisor', 'admin'))
      AND NOT EXISTS (SELECT 1 FROM processed_requests WHERE request_id = :request)
      -- free, or its visitor was called to the limit and never came (a no-show now)
      AND (c.current_ticket_id IS NULL OR EXISTS (
          SELECT 1 FROM tickets p WHERE p.id = c.current_ticket_id
            AND p.state = 'called' AND p.call_count >= :max_calls))
    FOR UPDATE OF c
), clock AS (
    SELECT COALESCE(CAST(:now AS timestamptz), now()) AS now,
           CAST(COALESCE(CAST(:now AS timestamptz), now()) AT TIME ZONE :zone AS date) AS day
), candidate AS (
    -- The head of each queue the counter serves, read off the waiting-ticket indexes
    -- instead of sorting every waiting ticket: the first {HEAD} in FIFO order (priority
    -- first) and the first {HEAD} bookings due now. `last` marks the end of a full list;
    -- `rank` is DESIGN.md's call order as one value (the order of `calling.next_in_line`).
    SELECT h.id, h.last,
           ROW(NOT h.priority,
               CASE WHEN h.due_at IS NOT NULL AND h.due_at <= clock.now THEN 0 ELSE 1 END,
               CASE WHEN ctr.call_policy = 'service_order' THEN cs.position ELSE 0 END,
               h.queued_at, h.id) AS rank
    FROM ctr
    JOIN counter_services cs ON cs.counter_id = ctr.id
    CROSS JOIN clock
    CROSS JOIN LATERAL (
        SELECT q.*, row_number() OVER (ORDER BY q.priority DESC, q.queued_at, q.id)
                    = {HEAD} AS last
        FROM (SELECT t.id, t.priority, t.due_at, t.queued_at FROM tickets t
              WHERE t.branch_id = :branch AND t.service_id = cs.service_id
                AND t.business_date = clock.day AND t.state = 'waiting'
              ORDER BY t.priority DESC, t.queued_at, t.id
              LIMIT {HEAD}) AS q
        UNION ALL
        SELECT b.*, row_number() OVER (ORDER BY b.priority DESC, b.queued_at, b.id)
                    = {HEAD}
        FROM (SELECT t.id, t.priority, t.due_at, t.queued_at FROM tickets t
              WHERE t.branch_id = :branch AND t.service_id = cs.service_id
                AND t.business_date = clock.day AND t.state = 'waiting'
                AND t.due_at IS NOT NULL AND t.due_at <= clock.now
              ORDER BY t.priority DESC, t.queued_at, t.id
              LIMIT {HEAD}) AS b
    ) AS h
), claim AS (
    -- The first candidate no other counter is claiming. The state is checked again on the
    -- locked row, so a ticket called meanwhile is passed over. By primary key only: a join
    -- to `candidate` may be planned as a scan of the whole table, and with statistics taken
    -- while the queue was short the planner likes to filter the whole queue off an index on
    -- state or service instead (`|| ''` and `+ 0` hide those columns from index matching
    -- and mean the same).
    SELECT t.id,
           ROW(NOT t.priority,
               CASE WHEN t.due_at IS NOT NULL AND t.due_at <= clock.now THEN 0 ELSE 1 END,
               CASE WHEN ctr.call_policy = 'service_order' THEN cs.position ELSE 0 END,
               t.queued_at, t.id) AS rank
    FROM tickets t
    JOIN counter_services cs ON cs.service_id = t.service_id + 0
    JOIN ctr ON cs.counter_id = ctr.id
    CROSS JOIN clock
    WHERE t.id = ANY (ARRAY(SELECT id FROM candidate)) AND t.state || '' = 'waiting'
    ORDER BY rank
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED
), unsure AS (
    -- A full list whose last candidate ranks before the claim (or no claim at all): a
    -- ticket behind it might come first. The ordinary path then reads the whole queue.
    SELECT 1 FROM candidate
    WHERE candidate.last AND NOT EXISTS (SELECT 1 FROM claim WHERE claim.rank < candidate.rank)
), absent AS (
    UPDATE tickets p SET state = 'no_show', no_show_at = clock.now
    FROM ctr, clock
    WHERE p.id = ctr.current_ticket_id AND p.state = 'called' AND p.call_count >= :max_calls
      AND NOT EXISTS (SELECT 1 FROM unsure)
    RETURNING p.id, p.service_id, p.counter_id, clock.now AS at
), absent_audited AS (
    INSERT INTO events (branch_id, at, kind, ticket_id, counter_id, officer_id, service_id,
                        from_state, to_state, detail)
    SELECT :branch, absent.at, 'ticket.no_show', absent.id, absent.counter_id, :officer,
           absent.service_id, 'called', 'no_show', 'call limit'
    FROM absent
    RETURNING id, ticket_id, counter_id, service_id
), called AS (
    UPDATE tickets t
    SET state = 'called', called_at = clock.now,
        first_called_at = COALESCE(t.first_called_at, clock.now), call_count = 1,
        counter_id = ctr.id, officer_id = :officer
    FROM claim, ctr, clock
    WHERE t.id = claim.id AND NOT EXISTS (SELECT 1 FROM unsure)
    RETURNING t.*
), pointed AS (
    -- Free the counter of a no-show even when nobody else waits.
    UPDATE counters c SET current_ticket_id = (SELECT id FROM called)
    FROM ctr WHERE c.id = ctr.id
      AND (EXISTS (SELECT 1 FROM called) OR EXISTS (SELECT 1 FROM absent))
    RETURNING c.id
), audited AS (
    INSERT INTO events (branch_id, at, kind, ticket_id, counter_id, officer_id, service_id,
                        from_state, to_state, detail)
    SELECT :branch, called.called_at, 'ticket.call', called.id, called.counter_id, :officer,
           called.service_id, 'waiting', 'called', ''
    FROM called
    -- read the no-show's event first, so its id (audit order) comes before the call's
    WHERE (SELECT count(*) FROM absent_audited) >= 0
    RETURNING id
), remembered AS (
    INSERT INTO processed_requests (request_id, branch_id, action, ticket_id, at)
    SELECT :request, :branch, 'call_next', (SELECT id FROM called), clock.now
    FROM ctr, clock
    WHERE CAST(:request AS text) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unsure)
    RETURNING request_id
)
SELECT EXISTS (SELECT 1 FROM ctr) AND NOT EXISTS (SELECT 1 FROM unsure) AS decided,
       ctr.number AS counter_number, called.id, called.label, called.state,
       called.priority, called.issued_at, called.queued_at, called.called_at,
       called.started_at, called.call_count, called.token, called.outcome,
       called.ahead_at_issue, called.estimate_seconds, called.window_low_seconds,
       called.window_high_seconds, s.code AS service_code, s.name_id AS service_name_id,
       s.name_en AS service_name_en, called.due_at IS NOT NULL AS booked,
       (SELECT count(*) FROM pointed) AS pointed,
       (SELECT count(*) FROM remembered) AS remembered,
       CASE WHEN audited.id IS NOT NULL OR EXISTS (SELECT 1 FROM absent_audited)
       THEN json_build_object('b', :branch, 'e', (
           SELECT json_agg(json_build_array(e.id, e.kind, e.ticket_id, e.counter_id,
                                            e.service_id) ORDER BY e.id)
           FROM (SELECT id, 'ticket.no_show' AS kind, ticket_id, counter_id, service_id
                 FROM absent_audited
                 UNION ALL
                 SELECT audited.id, 'ticket.call', called.id, called.counter_id,
                        called.service_id) AS e
           WHERE e.id IS NOT NULL))::text END AS notice
FROM (SELECT 1) AS one
LEFT JOIN ctr ON true
LEFT JOIN called ON true
LEFT JOIN services s ON s.id = called.service_id
LEFT JOIN audited ON true
"""


def _as_sent(sql: str) -> tuple[bytes, tuple[str, ...]]:
    """The statement as the server gets it: without comments or runs of blanks (less to send
    and parse), and with `:name` turned into PostgreSQL's own `$1`, so psycopg sends it as it is
    instead of converting 7 kB of `%(name)s` placeholders on every call (it caches conversions
    of short statements only). Returns the text and the parameter names in `$` order."""
    names: list[str] = []

    def numbered(match: re.Match[str]) -> str:
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    sql = " ".join(re.sub(r"--[^\n]*", "", sql).split())  # no `--` or runs of blanks in literals
    return re.sub(r"(?<![:\w]):([a-z_]+)", numbered, sql).encode(), tuple(names)


_CALL_NEXT, _PARAMETERS = _as_sent(_CALL_NEXT_SQL)


@dataclass(frozen=True)
class _BranchKey:
    id: int
    timezone: str
    max_calls: int


# Per engine (so per database), forgotten with it; keyed by identity, since hashing a URL
# renders it as text.
_branches: WeakKeyDictionary[Engine, dict[str, _BranchKey]] = WeakKeyDictionary()


def _branch(store: Store, code: str) -> _BranchKey | None:
    known = _branches.setdefault(store.engine, {})
    if code not in known:
        with store.autocommit_engine.connect() as connection:
            row = connection.execute(
                text("SELECT id, timezone, settings FROM branches WHERE code = :code"),
                {"code": code},
            ).first()
        if row is None:
            return None
        settings = row.settings if isinstance(row.settings, dict) else json.loads(row.settings)
        max_calls = int(settings.get("queue", {}).get("max_calls", 3))
        known[code] = _BranchKey(int(row.id), str(row.timezone), max_calls)
    return known[code]


def call_next_in_one_statement(
    store: Store,
    branch_code: str,
    counter_number: int,
    officer_id: int,
    request_id: str | None,
    now: datetime | None,
) -> Any:
    """The called ticket, None when nobody waits, or FALL_BACK for the ordinary path."""
    branch = _branch(store, branch_code)
    if branch is None:
        return FALL_BACK
    values = {
        "branch": branch.id,
        "zone": branch.timezone,
        "number": counter_number,
        "officer": officer_id,
        "request": request_id[:64] if request_id else None,
        "now": now,
        "max_calls": branch.max_calls,
    }
    row = _execute(store, [values[name] for name in _PARAMETERS])
    (decided, counter, ticket_id, label, state, priority, issued_at, queued_at, called_at,
     started_at, call_count, token, outcome, ahead, estimate, low, high, service_code,
     service_name_id, service_name_en, booked) = row[:21]
    if not decided:
        return FALL_BACK
    if ticket_id is None:
        return None
    return TicketView(
        id=ticket_id,
        label=label,
        service_code=service_code,
        service_name_id=service_name_id,
        service_name_en=service_name_en,
        state=state,
        priority=priority,
        issued_at=issued_at,
        queued_at=queued_at,
        called_at=called_at,
        started_at=started_at,
        call_count=call_count,
        counter_number=counter,
        token=token,
        outcome=outcome,
        people_ahead=ahead,
        estimate_seconds=estimate,
        window_low_seconds=low,
        window_high_seconds=high,
        booked=booked,
    )


def _execute(store: Store, values: list[Any]) -> tuple[Any, ...]:
    """Run the statement on a pooled connection through psycopg itself: prepared on the
    server at its first run on each connection, with no SQLAlchemy result machinery. Errors
    come out as SQLAlchemy's, as from any other statement, so callers retry and report them
    the same way."""
    engine = store.autocommit_engine
    pooled = None
    try:
        pooled = engine.raw_connection()
        with psycopg.RawCursor(pooled.driver_connection) as cursor:
            row = cursor.execute(_CALL_NEXT, values, prepare=True).fetchone()
        if row is not None and row[-1] is not None:
            announce(pooled, row[-1])
    except psycopg.Error as error:
        gone = pooled is not None and engine.dialect.is_disconnect(
            error, pooled.driver_connection, None
        )
        if gone:
            pooled.invalidate(error)
        raise DBAPIError.instance(
            _CALL_NEXT_SQL, values, error, psycopg.Error,
            connection_invalidated=gone, dialect=engine.dialect,
        ) from error
    finally:
        if pooled is not None:
            pooled.close()
    assert row is not None  # the statement returns exactly one row
    return row
