"""Call next on PostgreSQL in one round trip: the hot path of a busy branch.

Fifty counters pressing "call next" should cost the server about what a bare
`UPDATE … SKIP LOCKED RETURNING` costs, so the common case — an open counter, free, staffed by
this officer — is one `CALL antrean_call_next(…)` (the stored procedure of migration 0004):
it locks the counter, claims the next ticket in docs/design.md's call order (the same order as
`calling.next_in_line`, read off each served service's head rather than by sorting the
queue), marks a visitor called to the limit no-show as the ordinary path does, marks the
ticket called, points the counter at it, writes the audit events and the request id, commits,
and then sends the change notice in a short transaction of its own. Anything else (a paused
counter, a visitor still at the desk, a repeated request, a stranger, a head of the queue
held entirely by other counters) comes back undecided and goes the ordinary way, which gives
the precise answer. Branch id, time zone and call limit are cached per process: a stale cache
can only send a call the ordinary way, never change its effect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Final
from weakref import WeakKeyDictionary

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from shared.services.tickets import acting
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.unit_of_work import branch_settings, request_key


class FallBack(Enum):
    """The one statement could not decide: the ordinary path must."""

    FALL_BACK = "fall back"


FALL_BACK: Final = FallBack.FALL_BACK

_CALL_NEXT = "CALL antrean_call_next($1, $2, $3, $4, $5, $6, $7)"


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
        with store.engine.connect() as connection:
            row = connection.execute(
                text("SELECT id, timezone, settings FROM branches WHERE code = :code"),
                {"code": code},
            ).first()
        if row is None:
            return None
        settings = row.settings if isinstance(row.settings, dict) else json.loads(row.settings)
        max_calls = branch_settings(int(row.id), settings).queue.max_calls
        known[code] = _BranchKey(int(row.id), str(row.timezone), max_calls)
    return known[code]


def call_next_in_one_statement(
    store: Store,
    branch_code: str,
    counter_number: int,
    officer_id: int,
    request_id: str | None,
    now: datetime | None,
) -> TicketView | FallBack | None:
    """The called ticket, None when nobody waits, or FALL_BACK for the ordinary path."""
    branch = _branch(store, branch_code)
    if branch is None:
        return FALL_BACK
    row = _execute(store, [
        officer_id, branch.id, counter_number,
        # Stored under the same scoped key as the ordinary path's (`UnitOfWork.remember`).
        request_key(branch.id, request_id, "call_next", acting(officer_id)) if request_id else None,
        branch.max_calls, now, branch.timezone,
    ])
    (decided, counter, ticket_id, label, state, priority, issued_at, queued_at, called_at,
     started_at, call_count, token, outcome, ahead, estimate, low, high, service_code,
     service_name_id, service_name_en, booked) = row
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
    """Run the procedure on a connection of the store's one pool, in autocommit mode (it
    commits inside), through psycopg itself: prepared on the server at its first run on each
    connection, with no SQLAlchemy result machinery, and no connection of its own
    (docs/connections.md). Errors come out as SQLAlchemy's, as from any other statement, so
    callers retry and report them the same way."""
    dialect = store.engine.dialect
    gone = False
    try:
        with store.autocommit_connection() as pooled:
            connection = pooled.driver_connection
            assert isinstance(connection, psycopg.Connection)  # the engine's driver is psycopg
            try:
                with psycopg.RawCursor(connection) as cursor:
                    row = cursor.execute(_CALL_NEXT, values, prepare=True).fetchone()
            except psycopg.Error as error:
                gone = dialect.is_disconnect(error, connection, None)  # type: ignore[arg-type]
                if gone:
                    pooled.invalidate(error)
                raise
    except psycopg.Error as error:
        # SQLAlchemy types the error as its DB-API stand-in class, which no driver's errors
        # derive from; psycopg's are what this dialect reads.
        raise DBAPIError.instance(
            _CALL_NEXT, values, error, psycopg.Error,
            connection_invalidated=gone, dialect=dialect,
        ) from error
    assert row is not None  # a CALL returns exactly one row, its INOUT parameters
    return row
