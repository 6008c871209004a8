"""`antrean web`: starts the visitors' web service (the `web` package) for this database."""

from __future__ import annotations

import argparse
import subprocess
import sys

from rich.console import Console

from shared.cli.context import CommandContext, CommandError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = commands.add_parser(
        "web",
        help="serve the visitors' pages: live ticket status, survey, online booking",
        description="Start the web service (same as `antrean-web`).",
    )
    web.add_argument("--host", help="address to listen on (default: the branch's [web] host)")
    web.add_argument("--port", type=int, help="port (default: the branch's [web] port)")
    web.set_defaults(run=run_web)


def run_web(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    # Its own process, so the admin CLI (in `shared`) never imports an app package.
    command = [sys.executable, "-m", "web.main", "--branch", context.branch_code()]
    if context.database_url:
        command += ["--database", context.database_url]
    if args.host:
        command += ["--host", args.host]
    if args.port:
        command += ["--port", str(args.port)]
    try:
        code = subprocess.call(command)
    except KeyboardInterrupt:
        code = 0
    if code not in (0, -2):
        raise CommandError(f"the web service stopped with exit code {code}")
