"""`antrean doctor`: is this PC ready for its role in the branch? One PASS/WARN/FAIL line per
check, exit status 1 when a check the role needs fails.

Run it on each PC after set-up (docs/deploy.md): the database reachable with the PC's own
role and the PC's clock close to the server's, the kiosk's printer, the counter's serial
devices, the display's sound device, and the screen. `--wait SECONDS` first waits for the
database: the service units run it before starting an app, so a PC booted before the server
does not fail its start-up.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from rich.console import Console
from rich.markup import escape
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.cli.context import CommandContext
from shared.cli.demo import screen_size
from shared.printing.printers import make_printer
from shared.printing.problems import PrinterProblem, PrinterState
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.roles import role_name

Verdict = Literal["PASS", "WARN", "FAIL"]
PC_ROLES = ("server", "kiosk", "counter", "display")
# The checks each PC role cannot do without; the others only warn.
NEEDED: dict[str, frozenset[str]] = {
    "server": frozenset({"database", "clock"}),
    "kiosk": frozenset({"database", "clock", "printer", "screen"}),
    "counter": frozenset({"database", "clock", "serial", "screen"}),
    "display": frozenset({"database", "clock", "sound", "screen"}),
}
SERIAL_PATTERNS = ("/dev/ttyUSB*", "/dev/ttyACM*", "/dev/serial/by-id/*")
NO_SOUND_CARD = "--- no soundcards ---"


@dataclass(frozen=True)
class Finding:
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Line:
    verdict: Verdict
    check: str
    detail: str


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check this PC for its role: database, clock, printer, serial, sound, screen",
        description="Prints one PASS/WARN/FAIL line per check; exits 1 when a check this PC's "
        "role needs fails (docs/deploy.md).",
    )
    doctor.add_argument("--role", choices=PC_ROLES, default="server", help="this PC's role")
    doctor.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="wait up to this long for the database first (service start-up)",
    )
    doctor.add_argument(
        "--max-clock-skew",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how far this PC's clock may be from the database server's (default 5)",
    )
    doctor.add_argument(
        "--serial",
        action="append",
        default=[],
        metavar="DEVICE",
        help="a serial device this PC must be able to open (repeat for each)",
    )
    doctor.add_argument(
        "--database-only", action="store_true", help="only the database and clock checks"
    )
    doctor.set_defaults(run=run_doctor)


def wait_for_database(store: Store, seconds: float, pause: float = 1.0) -> bool:
    """True once a connection succeeds; False if none did within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def check_database(
    store: Store, role: str, max_skew: float, local_now: Callable[[], datetime] = _utc_now
) -> list[Finding]:
    """Reachable, as which login, and this PC's clock (`local_now`) against the server's
    `now()`, taken halfway through the round trip."""
    try:
        with store.engine.connect() as connection:
            before = local_now()
            if store.dialect == "postgresql":
                row = connection.execute(text("SELECT current_user, now()")).one()
                user, server_now = str(row[0]), row[1]
            else:
                connection.execute(text("SELECT 1"))
                user, server_now = "", None
            after = local_now()
    except DBAPIError as error:
        cause = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return [
            Finding("database", False, f"cannot connect: {cause}"),
            Finding("clock", False, "not compared: no database"),
        ]
    found = [Finding("database", True, _who(store, user, role))]
    if server_now is None:
        found.append(Finding("clock", True, "SQLite on this PC: one clock"))
        return found
    skew = (server_now - (before + (after - before) / 2)).total_seconds()
    detail = f"{abs(skew):.1f} s {'behind' if skew > 0 else 'ahead of'} the database server"
    if abs(skew) > max_skew:
        detail += f" (more than {max_skew:g} s: set up NTP/chrony, docs/deploy.md)"
    found.append(Finding("clock", abs(skew) <= max_skew, detail))
    return found


def _who(store: Store, user: str, role: str) -> str:
    if store.dialect != "postgresql":
        return f"SQLite at {store.url}"
    detail = f"PostgreSQL as {user}"
    if role != "server" and user != role_name("antrean", role):
        detail += f" (expected {role_name('antrean', role)}: this PC should log in with its role)"
    return detail


def check_printer(store: Store, branch: str) -> Finding:
    config = attempt(store, branch, lambda uow: uow.settings.printer, read_only=True)
    if config.kind == "virtual":
        return Finding("printer", True, "virtual printer: tickets are drawn on screen")
    try:
        state = make_printer(config).check()
    except PrinterProblem as problem:
        return Finding("printer", False, f"{config.kind}: {problem}")
    return Finding(
        "printer",
        state in (PrinterState.READY, PrinterState.PAPER_LOW, PrinterState.UNKNOWN),
        f"{config.kind}: {state.value.replace('_', ' ')}",
    )


def check_serial(required: list[str], patterns: tuple[str, ...] = SERIAL_PATTERNS) -> Finding:
    present = sorted({path for pattern in patterns for path in glob.glob(pattern)})
    problems = []
    for device in required:
        try:
            handle = os.open(device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError as error:
            problems.append(f"{device}: {error.strerror}")
        else:
            os.close(handle)
    if problems:
        return Finding("serial", False, "; ".join(problems))
    if required:
        return Finding("serial", True, f"{', '.join(required)} open")
    listed = ", ".join(present) if present else "none found"
    return Finding("serial", True, f"no device required (--serial); present: {listed}")


def check_sound(cards: Path = Path("/proc/asound/cards")) -> Finding:
    players = [name for name in ("aplay", "paplay", "play") if shutil.which(name)]
    try:
        listing = cards.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        listing = NO_SOUND_CARD
    if not listing or listing == NO_SOUND_CARD:
        return Finding("sound", False, "no sound card: the lobby cannot announce calls")
    if not players:
        return Finding("sound", False, "a sound card but no player (install alsa-utils)")
    first = listing.splitlines()[0].strip()
    return Finding("sound", True, f"{first}; player {players[0]}")


def check_screen(probe: Callable[[], tuple[int, int] | None] = screen_size) -> Finding:
    size = probe()
    if size is None:
        return Finding("screen", False, "no screen answered (DISPLAY/WAYLAND_DISPLAY not set?)")
    return Finding("screen", True, f"{size[0]}x{size[1]}")


def verdicts(findings: list[Finding], role: str) -> list[Line]:
    return [
        Line("PASS" if f.ok else "FAIL" if f.check in NEEDED[role] else "WARN", f.check, f.detail)
        for f in findings
    ]


def run_doctor(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    store = context.store
    if args.wait > 0 and not wait_for_database(store, args.wait):
        console.print(f"FAIL database  not reachable within {args.wait:g} s", highlight=False)
        raise SystemExit(1)
    findings = check_database(store, args.role, args.max_clock_skew)
    reachable = findings[0].ok
    if not args.database_only:
        if args.role == "kiosk":
            findings.append(
                check_printer(store, context.branch_code())
                if reachable
                else Finding("printer", False, "not checked: the settings are in the database")
            )
        findings.append(check_serial(args.serial))
        findings.append(check_sound())
        if args.role != "server":
            findings.append(check_screen())
    lines = verdicts(findings, args.role)
    for line in lines:
        style = {"PASS": "green", "WARN": "yellow", "FAIL": "red"}[line.verdict]
        shown = f"[{style}]{line.verdict}[/{style}] {line.check:9}{escape(line.detail)}"
        console.print(shown, highlight=False)
    if any(line.verdict == "FAIL" for line in lines):
        raise SystemExit(1)
