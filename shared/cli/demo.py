"""`antrean demo-data` seeds the demo branch; `antrean demo` shows it live, with activity."""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from shared.cli.context import CommandContext
from shared.cli.status import watch_status
from shared.domain.errors import DomainError
from shared.domain.states import TicketState
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, officers, serving
from shared.services.access import counter_for_officer, served_service_ids
from shared.services.issuing import Admission, issue_ticket
from shared.services.runner import attempt
from shared.services.snapshot import live_snapshot
from shared.services.survey import answer_survey
from shared.store.database import Store
from shared.store.models import Ticket
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
SURVEY_SHARE = 0.4  # of finished demo visits, rated on the survey page
# The simulated visitors' tickets: any hour, so a demo started late in the evening still fills.
STAFF = Admission.ANY_HOUR
# The simulated visitors' kiosk name. The simulated officers call only these tickets, so a
# ticket the user takes at the kiosk app (named KIOSK_APP_NAME) waits for the user's counter.
SIMULATED_KIOSK = "demo"
KIOSK_APP_NAME = "kiosk-demo"
OWN_VISITOR = "demo: a simulated visitor"
USERS_COUNTER = 1  # the counter app's; no simulated officer acts there

# Demo staff: (id, name, role, PIN). Printed by `demo-data`, shown in the README.
DEMO_STAFF = [
    ("ani", "Ani Rahmawati", "officer", "1111"),
    ("budi", "Budi Santoso", "officer", "2222"),
    ("citra", "Citra Lestari", "officer", "3333"),
    ("dedi", "Dedi Kurniawan", "officer", "4444"),
    ("eka", "Eka Putri", "officer", "5555"),
    # Supervisors and admins need a password of 8+ characters, not only digits; capitals,
    # digits and - can be typed on the kiosk's touch keyboard too.
    ("sri", "Sri Wahyuni", "supervisor", "SRI-9999"),
    ("admin", "Admin Cabang", "admin", "ADMIN-0000"),
]


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    seed = commands.add_parser("demo-data", help="add demo officers, open counters, issue tickets")
    seed.add_argument("--tickets", type=int, default=40)
    seed.add_argument("--seed", type=int, default=7)
    seed.set_defaults(run=run_demo_data)
    demo = commands.add_parser(
        "demo",
        help="start the kiosk, a counter and the lobby display on the demo branch",
        description="Starts the three apps in windows (the kiosk's virtual printer shows each "
        "ticket on screen and saves it as PNG in --tickets) and shows the live queue here. "
        "Without a screen it shows the live queue only.",
    )
    demo.add_argument("--quiet", action="store_true", help="no simulated activity at counters 2-5")
    demo.add_argument("--no-apps", action="store_true", help="the terminal view only")
    demo.add_argument(
        "--offscreen",
        action="store_true",
        help="start the apps without windows (Qt offscreen), e.g. to check a headless machine",
    )
    demo.add_argument("--web-port", type=int, default=8080, help="the visitors' pages' port")
    demo.add_argument(
        "--tickets",
        type=Path,
        default=Path(".demo/tickets"),
        help="where the virtual printer saves tickets (PNG)",
    )
    demo.set_defaults(run=run_demo)


def _try(store: Store, branch: str, action: Callable[[UnitOfWork], object]) -> None:
    """The demo's actors meet the rules as real ones do (a full quota, a busy counter): the
    refusal is logged and they carry on."""
    try:
        attempt(store, branch, action)
    except DomainError as refusal:
        log.info("demo action refused: %s", refusal)


def seed_demo(store: Store, branch: str, tickets: int, rng: random.Random) -> dict[str, int]:
    """Officers at counters and a morning's queue. Safe to run twice: it only adds."""
    ids: dict[str, int] = {}
    existing = {o.login: o.id for o in attempt(store, branch, officers.list_officers)}
    for login, name, role, pin in DEMO_STAFF:
        if login in existing:
            ids[login] = existing[login]
        else:
            add = partial(officers.add_officer, login=login, name=name, role=role, secret=pin)
            ids[login] = attempt(store, branch, add).id
    snapshot = attempt(store, branch, live_snapshot)
    logins = [s[0] for s in DEMO_STAFF if s[2] == "officer"]
    for counter, login in zip(snapshot.counters, logins, strict=False):
        opening = partial(
            counters.open_counter, counter_number=counter.number, officer_id=ids[login]
        )
        _try(store, branch, opening)
    codes = [s.code for s in snapshot.services]
    weights = [5 if s.prefix == "A" else 2 for s in snapshot.services]
    for _ in range(tickets):
        code = rng.choices(codes, weights)[0]
        priority = rng.random() < 0.08
        issue = partial(
            issue_ticket,
            service_code=code,
            priority=priority,
            kiosk=SIMULATED_KIOSK,
            admission=STAFF,
        )
        _try(store, branch, issue)
    for counter, login in zip(snapshot.counters, logins, strict=False):
        if counter.number != USERS_COUNTER:  # the user's counter starts free
            step(store, branch, counter.number, ids[login])
    return ids


def call_simulated_visitor(uow: UnitOfWork, counter_number: int, officer_id: int) -> None:
    """Call the simulated visitor first in line for this counter. Tickets from the kiosk app
    are never taken: they are the user's, for the user's counter."""
    counter, _ = counter_for_officer(uow, counter_number, officer_id)
    label = uow.session.scalar(
        select(Ticket.label)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == uow.local_now().date(),
            Ticket.state == TicketState.WAITING,
            Ticket.kiosk == SIMULATED_KIOSK,
            Ticket.service_id.in_(served_service_ids(counter)),
        )
        .order_by(Ticket.priority.desc(), Ticket.queued_at, Ticket.id)
        .limit(1)
    )
    if label is not None:
        calling.call_ticket(uow, counter_number, officer_id, label, OWN_VISITOR)


def step(store: Store, branch: str, counter: int, officer_id: int) -> None:
    """One officer action, as a real one would take it next; some visitors rate the visit.
    Only simulated visitors are called, so only they are served and rate their visit."""
    finished: list[str] = []

    def act(uow: UnitOfWork) -> None:
        line = live_snapshot(uow).counter(counter)
        if line.state != "open":
            return
        if line.current_state == "called":
            serving.start(uow, counter, officer_id)
        elif line.current_state == "serving":
            finished.append(serving.finish(uow, counter, officer_id).token)
        else:
            call_simulated_visitor(uow, counter, officer_id)

    _try(store, branch, act)
    if finished and random.random() < SURVEY_SHARE:
        ratings = {key: random.choices((2, 3, 4), (1, 4, 3))[0] for key in QUESTION_KEYS}
        _try(store, branch, lambda uow: answer_survey(uow, finished[0], ratings))


def run_demo_data(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    branch = context.branch_code()
    seed_demo(context.store, branch, args.tickets, random.Random(args.seed))
    console.print(f"Demo data added to {branch}. Officers (id / PIN):")
    for login, name, role, pin in DEMO_STAFF:
        console.print(f"  {login:6} {pin}  {name} ({role})")


def _activity(store: Store, branch: str, stop: threading.Event) -> None:
    rng = random.Random()
    staff = {o.login: o.id for o in attempt(store, branch, officers.list_officers)}
    logins = [s[0] for s in DEMO_STAFF if s[2] == "officer" and s[0] in staff]
    while not stop.wait(rng.uniform(0.8, 2.5)):
        snapshot = attempt(store, branch, live_snapshot)
        if rng.random() < 0.5:
            code = rng.choice([s.code for s in snapshot.services])
            issue = partial(
                issue_ticket, service_code=code, kiosk=SIMULATED_KIOSK, admission=STAFF
            )
            _try(store, branch, issue)
        # Counter 1 is left to the person trying the counter app.
        mine = [c for c in snapshot.counters if c.officer_name and c.number != USERS_COUNTER]
        if mine and logins:
            counter = rng.choice(mine)
            officer = next(
                (staff[x] for x, n, _, _ in DEMO_STAFF if n == counter.officer_name and x in staff),
                None,
            )
            if officer is not None:
                step(store, branch, counter.number, officer)


def screen_size() -> tuple[int, int] | None:
    """The primary screen's size in pixels, asked of Qt in a child process (so this process
    never holds a display connection); None when there is no screen to ask."""
    probe = (
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication([])\n"
        "screen = app.primaryScreen()\n"
        "size = screen.availableGeometry() if screen else None\n"
        "print(f'{size.width()} {size.height()}' if size else '')\n"
    )
    try:
        answer = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, timeout=20
        )
    except subprocess.TimeoutExpired:
        return None
    parts = answer.stdout.split()
    if answer.returncode != 0 or len(parts) != 2:
        return None
    return int(parts[0]), int(parts[1])


def tiles(width: int, height: int) -> list[str]:
    """Kiosk top left, counter top right, display bottom left: quarters of the screen, so the
    terminal's live queue can keep the bottom right."""
    w, h = max(width // 2, 320), max(height // 2, 240)
    return [f"{w}x{h}+0+0", f"{w}x{h}+{w}+0", f"{w}x{h}+0+{h}"]


def app_commands(
    database: str, branch: str, tickets: Path, screen: tuple[int, int] = (1920, 1080)
) -> list[list[str]]:
    """The three apps as the demo starts them, windowed, side by side on one screen."""
    common = ["--database", database, "--branch", branch, "--windowed"]
    kiosk, counter, display = tiles(*screen)
    return [
        [
            sys.executable,
            "-m",
            "kiosk.main",
            *common,
            "--orientation",
            "landscape",
            "--kiosk-name",
            KIOSK_APP_NAME,
            "--printer-dir",
            str(tickets),
            "--geometry",
            kiosk,
        ],
        [sys.executable, "-m", "counter.main", *common, "--counter", "1", "--geometry", counter],
        [sys.executable, "-m", "display.main", *common, "--geometry", display],
    ]


def web_command(database: str, branch: str, port: int = 8080) -> list[str]:
    return [
        sys.executable, "-m", "web.main", "--database", database, "--branch", branch,
        "--port", str(port),
    ]


def notify_command(database: str, branch: str) -> list[str]:
    """The notify worker, beside the web service: it sends what visitors opted in to."""
    return [sys.executable, "-m", "shared.cli.main", "--database", database, "--branch", branch,
            "notify"]


def has_screen() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or sys.platform in (
        "win32",
        "darwin",
    )


def _end_with_parent() -> None:
    """Linux: the app gets SIGTERM if the demo dies without cleaning up (SIGKILL, a crash)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def start(command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    linux = sys.platform.startswith("linux")
    return subprocess.Popen(command, env=env, preexec_fn=_end_with_parent if linux else None)


def stop_all(processes: list[subprocess.Popen[bytes]], grace: float = 10.0) -> None:
    """SIGTERM to each, then SIGKILL to any still running after `grace` seconds."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("process %d did not stop within %.0f s: killed", process.pid, grace)
            process.kill()
            process.wait()


def _terminated(number: int, _frame: object) -> None:
    # SIGTERM ends the demo as Ctrl+C does, through the same clean-up.
    raise KeyboardInterrupt


def run_demo(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    branch = context.branch_code()
    stop = threading.Event()
    apps: list[subprocess.Popen[bytes]] = []
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        windows = not args.no_apps and has_screen() and not args.offscreen
        if windows or (args.offscreen and not args.no_apps):
            args.tickets.mkdir(parents=True, exist_ok=True)
            env = dict(os.environ)
            if args.offscreen:
                env["QT_QPA_PLATFORM"] = "offscreen"
            screen = (screen_size() if windows else None) or (1920, 1080)
            for command in app_commands(context.store.url, branch, args.tickets.resolve(), screen):
                apps.append(start(command, env))
            console.print(
                f"Kiosk, counter 1 (log in as ani / 1111) and display started; "
                f"tickets are saved in {args.tickets}/. The simulated officers at counters 2-5 "
                "call only the simulated visitors: tickets from the kiosk window are yours."
            )
        elif not args.no_apps:
            console.print("No screen here (DISPLAY is not set): showing the live queue only.")
        if not args.no_apps:
            # The visitors' pages need no screen: the ticket QR codes and booking point at them.
            apps.append(start(web_command(context.store.url, branch, args.web_port)))
            console.print(f"Visitors' pages (status, survey, booking): http://localhost:{args.web_port}/")
            apps.append(start(notify_command(context.store.url, branch)))
        if not args.quiet:
            threading.Thread(
                target=_activity, args=(context.store, branch, stop), daemon=True
            ).start()
        console.print("Press Ctrl+C to stop.")
        watch_status(context.store, branch, console, stop)
    finally:
        stop.set()
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut clean-up
        stop_all(apps)
        signal.signal(signal.SIGTERM, previous)
