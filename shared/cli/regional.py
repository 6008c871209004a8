"""`antrean regional`: the regional board (docs/central.md) — its heads and its web page.

`antrean regional head LOGIN` adds a regional head or gives one a new password (asked twice,
or from $ANTREAN_HEAD_PASSWORD); `antrean regional web` serves the board (`python -m
web.regional`) over the central server's copies.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from rich.console import Console

from shared.central.heads import set_head
from shared.cli.context import CommandContext, CommandError
from shared.cli.web import _serve
from shared.store.database import create_store_engine

CENTRAL_ENV = "ANTREAN_CENTRAL_URL"
PASSWORD_ENV = "ANTREAN_HEAD_PASSWORD"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "regional", help="the regional board: its heads and its web page",
        description="The regional head's board over the central server's branch copies.",
    )
    actions = parser.add_subparsers(dest="regional_action", required=True, metavar="ACTION")
    head = actions.add_parser("head", help="add a regional head, or set a new password")
    head.add_argument("login")
    head.add_argument("--name", default="", help="shown on the board (default: the login)")
    _central(head)
    head.set_defaults(run=run_head)
    web = actions.add_parser("web", help="serve the regional board")
    _central(web)
    web.add_argument("--region", required=True, help="the region's TOML: name, travel times")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8090)
    web.add_argument("--refresh", type=float, default=30.0, help="seconds between readings")
    web.set_defaults(run=run_web)


def _central(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--central", default=os.environ.get(CENTRAL_ENV),
                        help=f"the central server's database URL (default: ${CENTRAL_ENV})")


def _central_url(args: argparse.Namespace) -> str:
    if not args.central:
        raise CommandError(f"give --central URL (or set ${CENTRAL_ENV})")
    return str(args.central)


def run_head(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ; nothing changed")
    engine = create_store_engine(_central_url(args))
    try:
        head = set_head(engine, args.login, args.name, password)
    finally:
        engine.dispose()
    console.print(f"Regional head {head.login} ({head.name}) can sign in to the board",
                  markup=False)


def run_web(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    command = [sys.executable, "-m", "web.regional", "--central", _central_url(args),
               "--region", args.region, "--host", args.host, "--port", str(args.port),
               "--refresh", str(args.refresh)]
    code = _serve(command)
    if code not in (0, -2, -15):  # stopped by Ctrl+C or SIGTERM
        raise CommandError(f"the regional board stopped with exit code {code}")
