"""`antrean web`: starts the visitors' web service (the `web` package) for this database."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from types import FrameType

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
    code = _serve(command)
    if code not in (0, -signal.SIGINT, -signal.SIGTERM):
        raise CommandError(f"the web service stopped with exit code {code}")


def _serve(command: list[str]) -> int:
    """Runs the web service until it stops; SIGTERM or SIGINT to this command stops it too.

    Without this a service manager's SIGTERM ended this process alone and left the server
    running, its port taken. The server gets the signal once, from here: in its own process
    group, a Ctrl+C at the terminal reaches only this process (uvicorn takes a second SIGINT
    as "stop now, skip the graceful shut-down")."""
    server = subprocess.Popen(command, process_group=0)

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        if server.poll() is None:
            server.send_signal(signum)

    previous = {sig: signal.signal(sig, pass_on) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return server.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if server.poll() is None:  # this command failed on its own: take the server down too
            server.terminate()
            server.wait()
