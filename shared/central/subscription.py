"""Adding a branch to the region and removing it: the branch's publication and replication
role, its copy on the central cluster, and the subscription that keeps the copy current.

The branch never waits for the central server: the subscription is asynchronous, and while
the link is down the branch's slot keeps the WAL the copy has not yet received, so nothing is
lost and the copy catches up when the link returns (max_slot_wal_keep_size bounds that WAL).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import psycopg
from psycopg import conninfo, sql
from sqlalchemy.engine import make_url

from shared.central.copies import connect, create_copy, drop_copy, migrate_copy
from shared.central.layout import (
    PUBLICATION,
    REPLICATION_ROLE,
    branch_database,
    copy_url,
    libpq_url,
    subscription_name,
)
from shared.central.publication import PUBLISHED, publish, unpublish
from shared.store.database import CONNECT_TIMEOUT_SECONDS, LINK_DEFAULTS


@dataclass(frozen=True)
class AddedBranch:
    code: str
    database: str
    subscription: str
    subscribed_now: bool  # False: it was subscribed before, and is refreshed
    branch_revision: str | None
    copy_revision: str | None


@dataclass(frozen=True)
class RemovedBranch:
    code: str
    subscription_dropped: bool
    slot_dropped: bool  # the branch keeps no WAL for this copy any more
    data_dropped: bool
    problem: str | None  # why the slot could not be dropped, when it could not


def subscriber_conninfo(branch_url: str, password: str) -> str:
    """How the central server reaches the branch: the branch URL's host, port and database, as
    the replication role, with the same short timeouts the apps use (a dead WAN link is noticed
    within seconds and retried)."""
    parsed = make_url(libpq_url(branch_url))
    options: dict[str, str | int] = {
        key: str(value) for key, value in parsed.query.items() if key not in ("user", "password")
    }
    options.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    for key, value in LINK_DEFAULTS.items():
        options.setdefault(key, value)
    options.update(host=parsed.host or "", port=parsed.port or "",
                   dbname=parsed.database or "", user=REPLICATION_ROLE, password=password)
    return conninfo.make_conninfo("", **options)


def _check_branch(connection: psycopg.Connection[tuple[object, ...]], code: str) -> str | None:
    level = connection.execute("SHOW wal_level").fetchone()
    if level is None or level[0] != "logical":
        raise ValueError(
            f"the branch's server has wal_level = {level[0] if level else '?'}; set "
            "wal_level = logical in its postgresql.conf and restart it (docs/central.md)"
        )
    codes = [row[0] for row in connection.execute("SELECT code FROM branches ORDER BY code")]
    if codes != [code]:
        raise ValueError(
            f"the branch database holds branch(es) {', '.join(map(str, codes)) or 'none'}; "
            f"a published branch database holds exactly one, {code}"
        )
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(revision[0]) if revision else None


def _drop_slot(connection: psycopg.Connection[tuple[object, ...]], slot: str) -> bool:
    """Drop a slot of ours left on the branch (its subscription gone); True if there was one."""
    row = connection.execute(
        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = %s", (slot,)
    ).fetchone()
    if row is None:
        return False
    if row[0] is not None:
        connection.execute("SELECT pg_terminate_backend(%s)", (row[0],))
    connection.execute("SELECT pg_drop_replication_slot(%s)", (slot,))
    return True


def add_branch(
    central_url: str,
    code: str,
    branch_url: str,
    *,
    password: str | None = None,
    published: dict[str, tuple[str, ...]] = PUBLISHED,
) -> AddedBranch:
    """Publish the branch and subscribe its copy; run again after a schema change to publish
    new columns and tables (the copies migrated first). `branch_url` is the branch's database
    as its owner or a superuser, reachable from the central server too."""
    code = code.upper()
    password = password or secrets.token_urlsafe(24)
    name = subscription_name(code)
    with connect(branch_url) as branch:
        branch_revision = _check_branch(branch, code)
        publish(branch, password, published)
    create_copy(central_url, code)
    copy_revision = migrate_copy(central_url, code, published)
    link = subscriber_conninfo(branch_url, password)
    with connect(copy_url(central_url, code)) as copy:
        exists = copy.execute(
            "SELECT 1 FROM pg_subscription WHERE subname = %s", (name,)
        ).fetchone()
        if exists is None:
            with connect(branch_url) as branch:
                _drop_slot(branch, name)  # left by a removal that could not reach the branch
            # A copy kept from an earlier subscription is copied again whole: what it missed
            # since then is gone from the branch's WAL, and its rows would collide.
            copy.execute(sql.SQL("TRUNCATE {} CASCADE").format(
                sql.SQL(", ").join(map(sql.Identifier, published))))
            copy.execute(
                sql.SQL("CREATE SUBSCRIPTION {} CONNECTION {} PUBLICATION {} "
                        "WITH (slot_name = {})").format(
                    sql.Identifier(name), sql.Literal(link), sql.Identifier(PUBLICATION),
                    sql.Identifier(name))
            )
        else:
            copy.execute(sql.SQL("ALTER SUBSCRIPTION {} CONNECTION {}").format(
                sql.Identifier(name), sql.Literal(link)))
            # New tables are copied whole, then streamed; new columns need no refresh.
            copy.execute(sql.SQL("ALTER SUBSCRIPTION {} REFRESH PUBLICATION").format(
                sql.Identifier(name)))
    return AddedBranch(code, branch_database(code), name, exists is None, branch_revision,
                       copy_revision)


def remove_branch(
    central_url: str,
    code: str,
    *,
    branch_url: str | None = None,
    drop_data: bool = False,
) -> RemovedBranch:
    """Stop replicating a branch: the subscription and its slot on the branch go, so the branch
    keeps no WAL for the region. The copy's data stays unless `drop_data`. With `branch_url`
    (owner or superuser) the branch also stops publishing: a slot still there (the branch was
    unreachable at an earlier removal), the publication and the replication role are dropped."""
    code = code.upper()
    name = subscription_name(code)
    problem: str | None = None
    subscription_dropped = slot_dropped = False
    database_exists = _copy_exists(central_url, code)
    if database_exists:
        with connect(copy_url(central_url, code)) as copy:
            exists = copy.execute(
                "SELECT 1 FROM pg_subscription WHERE subname = %s", (name,)
            ).fetchone()
            if exists is not None:
                identifier = sql.Identifier(name)
                try:
                    # Reaches the branch to drop the slot there too.
                    copy.execute(sql.SQL("DROP SUBSCRIPTION {}").format(identifier))
                    slot_dropped = True
                except psycopg.OperationalError as error:
                    reason = (str(error).strip().splitlines() or [""])[0]
                    problem = f"the branch did not answer, its slot {name} is still there: {reason}"
                    copy.execute(sql.SQL("ALTER SUBSCRIPTION {} DISABLE").format(identifier))
                    copy.execute(sql.SQL("ALTER SUBSCRIPTION {} SET (slot_name = NONE)")
                                 .format(identifier))
                    copy.execute(sql.SQL("DROP SUBSCRIPTION {}").format(identifier))
                subscription_dropped = True
    if branch_url is not None:
        with connect(branch_url) as branch:
            if _drop_slot(branch, name):
                slot_dropped = True
            problem = None
            unpublish(branch)
    if drop_data and database_exists:
        drop_copy(central_url, code)
    return RemovedBranch(code, subscription_dropped, slot_dropped, drop_data and database_exists,
                         problem)


def _copy_exists(central_url: str, code: str) -> bool:
    with connect(central_url) as connection:
        return connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (branch_database(code),)
        ).fetchone() is not None
