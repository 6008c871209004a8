"""Replication lag and each branch's last contact, seen from the central server and, when it
answers, from the branch.

Central side (always): pg_stat_subscription says whether the copy's apply worker is linked to
the branch and when it last heard from it; the copy's newest audit event says how recent its
data is, also while the link is down (every change at a branch writes an audit event).
Branch side (when reachable): the slot says how many bytes of WAL the copy has not confirmed
(the lag) and how much WAL the branch keeps for it (what an outage costs the branch's disk).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from shared.central.copies import connect
from shared.central.layout import (
    SUBSCRIPTION_PREFIX,
    code_of_token,
    copy_url,
    libpq_url,
    subscription_name,
)

# How long the status waits for a branch before saying it does not answer.
BRANCH_TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class SubscriptionState:
    code: str
    subscription: str
    enabled: bool
    connected: bool  # an apply worker runs: the central server has a link to the branch
    received_lsn: str | None
    latest_end_lsn: str | None  # the last position the copy confirmed to the branch
    last_msg_send_time: datetime | None  # the branch's clock
    last_msg_receipt_time: datetime | None  # the central server's clock
    latest_end_time: datetime | None
    last_change_at: datetime | None  # the newest audit event in the copy (branch's clock)

    @property
    def last_contact(self) -> datetime | None:
        """When the central server last heard from the branch: now-ish while linked; while
        not, the time of the newest change it received (no earlier than the real contact)."""
        if self.connected and self.last_msg_receipt_time is not None:
            return self.last_msg_receipt_time
        return self.last_change_at


@dataclass(frozen=True)
class SlotState:
    slot_name: str
    active: bool  # a copy is streaming from it now
    wal_status: str | None  # reserved / extended / unreserved / lost (max_slot_wal_keep_size)
    lag_bytes: int  # the branch's WAL written but not yet confirmed by the copy
    retained_bytes: int  # WAL the branch keeps for this slot
    safe_wal_size: int | None  # bytes more before the slot would be lost (None: no limit)
    replay_lag: timedelta | None  # while streaming, as the branch measures it
    sync_state: str | None  # "async" while streaming: the branch never waits for the copy


@dataclass(frozen=True)
class BranchReplication:
    code: str
    subscription: SubscriptionState
    slot: SlotState | None
    slot_problem: str | None  # why `slot` is None when the branch was asked


_SUBSCRIPTIONS = """
SELECT s.subname, s.subenabled, st.pid IS NOT NULL, st.received_lsn::text,
       st.latest_end_lsn::text, st.last_msg_send_time, st.last_msg_receipt_time,
       st.latest_end_time
FROM pg_subscription s
LEFT JOIN pg_stat_subscription st ON st.subid = s.oid AND st.relid IS NULL
WHERE starts_with(s.subname, %s)
ORDER BY s.subname
"""

_SLOT = """
SELECT s.slot_name, s.active, s.wal_status,
       pg_wal_lsn_diff(pg_current_wal_insert_lsn(), s.confirmed_flush_lsn)::bigint,
       pg_wal_lsn_diff(pg_current_wal_insert_lsn(), s.restart_lsn)::bigint,
       s.safe_wal_size, r.replay_lag, r.sync_state
FROM pg_replication_slots s
LEFT JOIN pg_stat_replication r ON r.pid = s.active_pid
WHERE s.slot_name = %s
"""


def subscription_states(
    central_url: str, *, with_last_change: bool = True
) -> list[SubscriptionState]:
    """Every branch's subscription on the central server, by code (one query, plus one per copy
    for its newest audit event unless `with_last_change` is False)."""
    with connect(central_url) as connection:
        rows = connection.execute(_SUBSCRIPTIONS, (SUBSCRIPTION_PREFIX,)).fetchall()
    states = []
    for name, enabled, connected, received, end_lsn, sent, receipt, end_time in rows:
        code = code_of_token(str(name).removeprefix(SUBSCRIPTION_PREFIX))
        last_change = _last_change(central_url, code) if with_last_change else None
        states.append(SubscriptionState(
            code, str(name), bool(enabled), bool(connected), _text(received), _text(end_lsn),
            _time(sent), _time(receipt), _time(end_time), last_change,
        ))
    return sorted(states, key=lambda state: state.code)


def _last_change(central_url: str, code: str) -> datetime | None:
    with connect(copy_url(central_url, code)) as copy:
        # By id, the primary key: no scan of the audit trail.
        row = copy.execute("SELECT at FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return _time(row[0]) if row else None


def slot_state(branch_url: str, slot_name: str) -> SlotState | None:
    """The copy's slot on the branch; None when the branch has no such slot. Readable as the
    replication role (its own walsender) or any role of the branch's database."""
    with psycopg.connect(
        _libpq(branch_url), autocommit=True, connect_timeout=BRANCH_TIMEOUT_SECONDS
    ) as connection:
        row = connection.execute(_SLOT, (slot_name,)).fetchone()
    if row is None:
        return None
    name, active, wal_status, lag, retained, safe, replay_lag, sync_state = row
    return SlotState(
        str(name), bool(active), _text(wal_status), int(lag or 0), int(retained or 0),
        int(safe) if safe is not None else None,
        replay_lag if isinstance(replay_lag, timedelta) else None, _text(sync_state),
    )


def replication_status(
    central_url: str,
    *,
    reach_branches: bool = True,
    branch_urls: Mapping[str, str] | None = None,
) -> list[BranchReplication]:
    """Each branch's subscription and, with `reach_branches`, its slot on the branch: reached
    at `branch_urls[code]` if given, else through the subscription's own connection (readable
    by a superuser of the central server only)."""
    states = subscription_states(central_url)
    links = dict(_subscription_links(central_url)) if reach_branches else {}
    links.update(branch_urls or {})
    found = []
    for state in states:
        slot: SlotState | None = None
        problem: str | None = None
        if reach_branches:
            link = links.get(state.code)
            if link is None:
                problem = "no way to reach the branch (its connection is readable by a superuser)"
            else:
                try:
                    slot = slot_state(link, state.subscription)
                    if slot is None:
                        problem = f"the branch has no slot {state.subscription}"
                except psycopg.Error as error:
                    first_line = (str(error).strip().splitlines() or [""])[0]
                    problem = f"the branch does not answer: {first_line}"
        found.append(BranchReplication(state.code, state, slot, problem))
    return found


def _subscription_links(central_url: str) -> list[tuple[str, str]]:
    with connect(central_url) as connection:
        try:
            rows = connection.execute(
                "SELECT subname, subconninfo FROM pg_subscription WHERE starts_with(subname, %s)",
                (SUBSCRIPTION_PREFIX,),
            ).fetchall()
        except psycopg.errors.InsufficientPrivilege:
            return []
    return [(code_of_token(str(name).removeprefix(SUBSCRIPTION_PREFIX)), str(info))
            for name, info in rows]


def wait_until_caught_up(
    central_url: str, code: str, branch_url: str, timeout: float = 60.0
) -> float:
    """Wait until the copy holds everything the branch had committed when called: every table
    copied whole (ready), and the stream confirmed past the branch's WAL position then.
    Returns the seconds waited, or raises TimeoutError."""
    started = time.monotonic()
    slot = subscription_name(code)
    with (
        psycopg.connect(_libpq(branch_url), autocommit=True, connect_timeout=5) as branch,
        connect(copy_url(central_url, code)) as copy,
    ):
        target = branch.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        assert target is not None
        while True:
            copying = copy.execute(
                "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s "
                "ON s.oid = r.srsubid WHERE s.subname = %s AND r.srsubstate <> 'r'",
                (slot,),
            ).fetchone()
            confirmed = branch.execute(
                "SELECT confirmed_flush_lsn >= %s::pg_lsn FROM pg_replication_slots "
                "WHERE slot_name = %s",
                (target[0], slot),
            ).fetchone()
            if copying == (0,) and confirmed is not None and confirmed[0]:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(
                    f"the copy of {code} has not caught up with {target[0]} in {timeout} s")
            time.sleep(0.1)


def _libpq(url: str) -> str:
    # A subscription's connection is key=value text; a URL may carry a driver suffix.
    return libpq_url(url) if "://" in url else url


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _time(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None
