"""`antrean central`: replicate branches into the region's central PostgreSQL (docs/central.md).

add-branch publishes a branch and subscribes its copy, remove-branch stops that, status shows
each branch's lag and last contact, migrate migrates every copy (first, before the branches).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import psycopg
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from shared.central import copies, status, subscription
from shared.cli.context import CommandContext, CommandError

CENTRAL_ENV = "ANTREAN_CENTRAL_URL"
# The replication role's password; without it add-branch makes a new random one each run.
PASSWORD_ENV = "ANTREAN_REPLICATION_PASSWORD"
T = TypeVar("T")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "central", help="replicate branches into the region's central database",
        description="Each branch publishes what the region needs (PostgreSQL logical "
        "replication); the central server holds one copy database per branch. See "
        "docs/central.md for the order of schema changes.",
    )
    actions = parser.add_subparsers(dest="central_action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add-branch", help="publish a branch and subscribe its copy (again after a migration)"
    )
    _central_option(add)
    add.add_argument("--branch-code", required=True, metavar="CODE")
    add.add_argument("--branch", dest="branch_url", required=True, metavar="URL",
                     help="the branch's database as its owner, reachable from the central "
                     "server too (it becomes the subscription's host, port and database)")
    add.set_defaults(run=run_add)
    remove = actions.add_parser("remove-branch", help="stop replicating a branch")
    _central_option(remove)
    remove.add_argument("--branch-code", required=True, metavar="CODE")
    remove.add_argument("--branch", dest="branch_url", metavar="URL",
                        help="also stop publishing at the branch: a slot left behind, the "
                        "publication and the replication role are dropped")
    remove.add_argument("--drop-data", action="store_true",
                        help="drop the branch's copy too (default: kept, no longer updated)")
    remove.set_defaults(run=run_remove)
    state = actions.add_parser("status", help="each branch's replication lag and last contact")
    _central_option(state)
    state.add_argument("--no-branches", dest="reach_branches", action="store_false",
                       help="ask the central server only, not the branches' slots")
    state.set_defaults(run=run_status)
    migrate = actions.add_parser(
        "migrate", help="migrate every copy to the newest schema: before the branches"
    )
    _central_option(migrate)
    migrate.set_defaults(run=run_migrate)


def _central_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--central", default=os.environ.get(CENTRAL_ENV), metavar="URL",
                        help=f"a superuser's URL of the central server (default: ${CENTRAL_ENV})")


def _central(args: argparse.Namespace) -> str:
    if not args.central:
        raise CommandError(f"name the central server with --central URL or ${CENTRAL_ENV}")
    return str(args.central)


def _plainly(work: Callable[[], T]) -> T:
    try:
        return work()
    except psycopg.Error as error:
        raise CommandError(f"database error: {str(error).strip()}") from error


def run_add(args: argparse.Namespace, _context: CommandContext, console: Console) -> None:
    central = _central(args)
    added = _plainly(lambda: subscription.add_branch(
        central, args.branch_code, args.branch_url,
        password=os.environ.get(PASSWORD_ENV) or None,
    ))
    verb = "subscribed" if added.subscribed_now else "refreshed"
    console.print(f"Branch {added.code} {verb}: copy {added.database} (schema "
                  f"{added.copy_revision}), subscription {added.subscription}; the branch is "
                  f"at schema {added.branch_revision}.", markup=False)


def run_remove(args: argparse.Namespace, _context: CommandContext, console: Console) -> None:
    central = _central(args)
    removed = _plainly(lambda: subscription.remove_branch(
        central, args.branch_code, branch_url=args.branch_url, drop_data=args.drop_data
    ))
    parts = [
        "subscription dropped" if removed.subscription_dropped else "no subscription",
        "slot dropped" if removed.slot_dropped else "no slot dropped",
        "copy dropped" if removed.data_dropped else "copy kept",
    ]
    console.print(f"Branch {removed.code}: {', '.join(parts)}.", markup=False)
    if removed.problem:
        console.print(f"[yellow]{escape(removed.problem)}[/yellow]\nRun remove-branch again "
                      "with --branch URL once the branch answers: its slot keeps WAL.")


def run_status(args: argparse.Namespace, _context: CommandContext, console: Console) -> None:
    central = _central(args)
    found = _plainly(lambda: status.replication_status(central,
                                                       reach_branches=args.reach_branches))
    if not found:
        console.print("The central server replicates no branch yet.")
        return
    now = datetime.now(UTC)
    table = Table("branch", "link", "last contact", "newest change", "lag: bytes (time)",
                  "WAL kept at branch", "note")
    for branch in found:
        state = branch.subscription
        link = "up" if state.connected else ("disabled" if not state.enabled else "DOWN")
        slot = branch.slot
        table.add_row(
            branch.code, link, _ago(state.last_contact, now), _ago(state.last_change_at, now),
            "" if slot is None else f"{slot.lag_bytes:,}" + (
                "" if slot.replay_lag is None
                else f" ({slot.replay_lag.total_seconds():.1f} s)"),
            "" if slot is None else f"{slot.retained_bytes:,} ({slot.wal_status})",
            escape(branch.slot_problem or ""),
        )
    console.print(table)


def _ago(instant: datetime | None, now: datetime) -> str:
    if instant is None:
        return "never"
    seconds = max(0, int((now - instant).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{instant.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def run_migrate(args: argparse.Namespace, _context: CommandContext, console: Console) -> None:
    central = _central(args)
    migrated = _plainly(lambda: copies.migrate_copies(central))
    for code, revision in migrated.items():
        console.print(f"copy of {code}: schema {revision}", markup=False)
    console.print(f"{len(migrated)} copies migrated; now migrate the branches, then run "
                  "add-branch again for each to publish what is new.", markup=False)
