"""`antrean init` and `antrean officer add|list|passwd|unlock`."""

from __future__ import annotations

import argparse
import getpass
import sys

from rich.console import Console
from rich.table import Table

from shared.cli.context import CommandContext, CommandError
from shared.config import WEEKDAYS, BranchConfig, load_branch_config
from shared.config.loading import branch_config_from_dict
from shared.services import officers
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.roles import create_app_roles
from shared.store.schema import upgrade_database


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    init = commands.add_parser(
        "init",
        help="create or migrate the database and load a branch config",
        description="Create or migrate the database (Alembic) and load the branch config. "
        "Run it again after editing the config: services and counters are updated, "
        "tickets are never touched.",
    )
    init.add_argument("--config", required=True, help="the branch's TOML file")
    init.add_argument(
        "--roles",
        action="store_true",
        help="PostgreSQL: create least-privilege login roles for the display, kiosk and counter",
    )
    init.add_argument("--role-prefix", default="antrean", help="name prefix of those roles")
    init.add_argument(
        "--always-open",
        action="store_true",
        help="for demos only: open every day 00:00-23:59, no holidays, no short issuing windows",
    )
    init.set_defaults(run=run_init)

    officer = commands.add_parser("officer", help="manage officers (petugas)")
    actions = officer.add_subparsers(dest="officer_action", required=True)
    add = actions.add_parser("add", help="add an officer; asks for the PIN or password")
    add.add_argument("login", help="officer id used to log in")
    add.add_argument("--name", required=True)
    add.add_argument("--role", default="officer", choices=["officer", "supervisor", "admin"])
    add.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input")
    add.set_defaults(run=run_officer_add)
    listing = actions.add_parser("list", help="list officers")
    listing.set_defaults(run=run_officer_list)
    passwd = actions.add_parser("passwd", help="set an officer's PIN or password")
    passwd.add_argument("login")
    passwd.add_argument("--pin-stdin", action="store_true")
    passwd.set_defaults(run=run_officer_passwd)
    unlock = actions.add_parser(
        "unlock", help="lift an officer's lockout after too many wrong PINs"
    )
    unlock.add_argument("login")
    unlock.set_defaults(run=run_officer_unlock)


def run_init(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    config = load_branch_config(args.config)
    if args.always_open:
        config = always_open(config)
    store = context.store
    upgrade_database(store.engine)
    summary = apply_branch_config(store, config)
    state = "created" if summary.branch_created else "updated"
    console.print(
        f"Branch {config.branch.code} ({config.branch.name}) {state} in {store.engine.url}"
    )
    changes: list[tuple[str, list[str] | list[int]]] = [
        ("services added", summary.services_added),
        ("services updated", summary.services_updated),
        ("services retired", summary.services_retired),
        ("counters added", summary.counters_added),
        ("counters updated", summary.counters_updated),
        ("counters retired", summary.counters_retired),
    ]
    for label, items in changes:
        if items:
            console.print(f"  {label}: {', '.join(map(str, items))}")
    if args.roles:
        if store.dialect != "postgresql":
            raise CommandError("--roles needs PostgreSQL; a SQLite file has no database users")
        for name in create_app_roles(store.engine, args.role_prefix):
            console.print(f"  role {name} ready")


def always_open(config: BranchConfig) -> BranchConfig:
    """The same branch, open around the clock, so a demo works whenever it is tried."""
    data = config.model_dump(mode="json")
    day = ["00:00", "23:59"]
    data["branch"]["opening_hours"] = {name: day for name in WEEKDAYS}
    data["branch"]["holidays"] = []
    for service in data["services"]:
        hours = service["issuing_hours"]
        if hours and any(hours.values()):  # a service with no issuing day stays off the kiosk
            service["issuing_hours"] = None
    return branch_config_from_dict(data, "demo (always open)")


def _read_secret(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("PIN or password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two entries differ; nothing was changed")
    return first


def run_officer_add(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    secret = _read_secret(args)
    view = attempt(
        context.store,
        context.branch_code(),
        lambda uow: officers.add_officer(uow, args.login, args.name, args.role, secret),
    )
    console.print(f"Officer {view.login} ({view.name}, {view.role.value}) added")


def run_officer_list(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    rows = attempt(context.store, context.branch_code(), officers.list_officers, read_only=True)
    table = Table("id", "name", "role", "active")
    for row in rows:
        table.add_row(row.login, row.name, row.role.value, "yes" if row.active else "no")
    console.print(table)


def run_officer_passwd(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    secret = _read_secret(args)
    attempt(
        context.store,
        context.branch_code(),
        lambda uow: officers.set_secret(uow, args.login, secret),
    )
    console.print(f"PIN of {args.login} changed")


def run_officer_unlock(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    attempt(
        context.store,
        context.branch_code(),
        lambda uow: officers.unlock_officer(uow, args.login, by=officers.SETUP),
    )
    console.print(f"{args.login} may log in again")

