"""`antrean`: set up a branch, manage officers, watch the queue, simulate and plan."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from rich.console import Console
from sqlalchemy.exc import OperationalError, ProgrammingError

from shared.cli import (
    central,
    demo,
    doctor,
    notify,
    plan,
    regional,
    report,
    roster,
    setup_commands,
    simulate,
    status,
    web,
)
from shared.cli.context import CommandContext, CommandError
from shared.config import ConfigError
from shared.domain.errors import DomainError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="antrean",
        description="Antrean queue management: branch set-up, officers, live status, "
        "simulation and staffing plans.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///PATH or postgresql://USER@HOST/DB "
        "(default: $ANTREAN_DATABASE_URL, else a SQLite file in your data folder)",
    )
    parser.add_argument("--branch", metavar="CODE", help="branch code (default: the only one)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    setup_commands.add_parsers(commands)
    status.add_parser(commands)
    demo.add_parsers(commands)
    plan.add_parser(commands)
    roster.add_parser(commands)
    simulate.add_parser(commands)
    report.add_parser(commands)
    web.add_parser(commands)
    notify.add_parser(commands)
    doctor.add_parser(commands)
    central.add_parser(commands)
    regional.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    console = Console()
    errors = Console(stderr=True)
    context = CommandContext(args.database, args.branch)
    try:
        args.run(args, context, console)
    except ConfigError as error:
        errors.print(f"[red]The branch config has {len(error.problems)} problem(s):[/red]")
        for problem in error.problems:
            errors.print(f"  {problem}", markup=False, highlight=False)
        return 2
    except (CommandError, DomainError, ValueError) as error:
        errors.print("[red]antrean:[/red] ", end="")
        errors.print(str(error), markup=False, highlight=False)
        return 2
    except (OperationalError, ProgrammingError) as error:
        errors.print("[red]antrean: database error:[/red] ", end="")
        errors.print(str(error.orig), markup=False, highlight=False)
        return 3
    except KeyboardInterrupt:
        return 130
    finally:
        context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
