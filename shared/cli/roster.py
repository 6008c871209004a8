"""`antrean roster add/list/remove`: planned absences and breaks per counter, from the server."""

from __future__ import annotations

import argparse
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from rich.console import Console
from rich.table import Table

from shared.cli.context import CommandContext
from shared.services import roster
from shared.services.runner import attempt
from shared.store.unit_of_work import UnitOfWork


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "roster", help="plan counters' absences and breaks (leave, training, lunch, prayers)"
    )
    actions = parser.add_subparsers(dest="roster_action", required=True)
    add = actions.add_parser("add", help="counter N is away on a day from HH:MM to HH:MM")
    add.add_argument("counter", type=int, help="counter (loket) number")
    add.add_argument("start", type=time.fromisoformat, help="HH:MM, the branch's time")
    add.add_argument("end", type=time.fromisoformat, help="HH:MM, the branch's time")
    add.add_argument("--day", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
    add.add_argument("--reason", default="leave", choices=roster.REASONS)
    add.add_argument("--note", default="")
    add.set_defaults(run=run_add)
    listing = actions.add_parser("list", help="the roster for a day (default: today)")
    listing.add_argument("--day", type=date.fromisoformat)
    listing.add_argument("--days", type=int, default=1, help="this many days from --day")
    listing.set_defaults(run=run_list)
    remove = actions.add_parser("remove", help="remove an entry by its number")
    remove.add_argument("entry", type=int)
    remove.set_defaults(run=run_remove)


def _today(uow: UnitOfWork) -> date:
    return uow.local_now().date()


def run_add(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    line = attempt(
        context.store,
        context.branch_code(),
        lambda uow: roster.add_absence(uow, args.counter, args.day or _today(uow), args.start,
                                       args.end, args.reason, args.note),
    )
    console.print(f"Roster #{line.id}: counter {line.counter_number} away {line.day} "
                  f"{args.start:%H:%M}-{args.end:%H:%M} ({line.reason})", markup=False)


def run_list(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    def read(uow: UnitOfWork) -> tuple[ZoneInfo, tuple[roster.RosterLine, ...]]:
        first = args.day or _today(uow)
        last = first + timedelta(days=max(args.days, 1) - 1)
        return uow.zone, roster.roster(uow, first, last)

    zone, lines = attempt(context.store, context.branch_code(), read, read_only=True)
    table = Table("#", "day", "loket", "from", "to", "reason", "note")
    for line in lines:
        table.add_row(str(line.id), str(line.day), str(line.counter_number),
                      f"{line.starts_at.astimezone(zone):%H:%M}",
                      f"{line.ends_at.astimezone(zone):%H:%M}", line.reason, line.note)
    console.print(table)


def run_remove(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    attempt(context.store, context.branch_code(),
            lambda uow: roster.remove_absence(uow, args.entry))
    console.print(f"Roster #{args.entry} removed")
