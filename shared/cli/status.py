"""`antrean status`: the live queue in the terminal, redrawn on each change event."""

from __future__ import annotations

import argparse
import threading
from zoneinfo import ZoneInfo

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Column, Table
from rich.text import Text

from shared.changes import watch_changes
from shared.cli.context import CommandContext
from shared.printing.problems import state_words
from shared.services.alerts import Alert, branch_alerts
from shared.services.kiosks import printer_needs_a_hand
from shared.services.runner import attempt
from shared.services.snapshot import Snapshot, live_snapshot
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork

STATE_STYLE = {"open": "green", "paused": "yellow", "closed": "dim"}


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    status = commands.add_parser("status", help="show the live queue (refreshes on every change)")
    status.add_argument("--once", action="store_true", help="print once and exit")
    status.set_defaults(run=run_status)


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.0f} min"


def _new_ticket(issuing: str, minutes: tuple[int, int] | None) -> str:
    """What the kiosk tells a visitor now: the wait (the lobby's figures too) or why not."""
    if issuing != "open":
        return issuing or "-"
    return "-" if minutes is None else f"{minutes[0]}–{minutes[1]} min"


def render(snapshot: Snapshot, alerts: tuple[Alert, ...] = ()) -> Group:
    zone = ZoneInfo(snapshot.timezone)
    local = snapshot.at.astimezone(zone)
    title = Text(f"{snapshot.branch_name} ({snapshot.branch_code})  {local:%a %d %b %H:%M:%S}")
    services = Table(
        Column("Layanan / service", no_wrap=True),
        "waiting",
        "called",
        "serving",
        "issued",
        "oldest wait",
        "new ticket",
        title="Antrean per layanan",
        title_justify="left",
    )
    for s in snapshot.services:
        services.add_row(
            f"{s.prefix}  {s.name_id}",
            str(s.waiting),
            str(s.called),
            str(s.serving),
            str(s.issued_today),
            _minutes(s.oldest_wait_seconds),
            _new_ticket(s.issuing, s.wait_minutes),
        )
    counters = Table(
        "Loket", "state", "officer", "now", "services", "since", title="Loket", title_justify="left"
    )
    for c in snapshot.counters:
        since = c.state_since.astimezone(zone).strftime("%H:%M") if c.state_since else "-"
        state = c.state + (f" ({c.pause_reason})" if c.pause_reason else "")
        now = f"{c.current_label} {c.current_state}" if c.current_label else "-"
        counters.add_row(
            str(c.number),
            Text(state, style=STATE_STYLE.get(c.state, "")),
            c.officer_name or "-",
            now,
            ", ".join(c.service_codes),
            since,
        )
    parts: list[RenderableType] = [title, services, counters]
    problems = [k for k in snapshot.kiosks if printer_needs_a_hand(k.printer_state)]
    for kiosk in problems:
        parts.append(
            Text(
                f"Kiosk {kiosk.name}: {state_words(kiosk.printer_state)} "
                f"({kiosk.printer_state}) {kiosk.detail}",
                style="bold red",
            )
        )
    for alert in alerts:
        parts.append(Text(f"! {alert.text}", style="bold yellow"))
    return Group(*parts)


def watch_status(
    store: Store, branch: str, console: Console, stop: threading.Event, tick_seconds: float = 1.0
) -> None:
    """Redraw on every change; a quiet tick each second keeps the wait times moving."""

    def snapshot() -> tuple[Snapshot, tuple[Alert, ...]]:
        return attempt(store, branch, _with_alerts, read_only=True)

    watcher = watch_changes(store, branch)
    try:
        with Live(render(*snapshot()), console=console, refresh_per_second=8) as live:
            while not stop.is_set():
                watcher.wait(tick_seconds)
                live.update(render(*snapshot()))
    finally:
        watcher.close()


def _with_alerts(uow: UnitOfWork) -> tuple[Snapshot, tuple[Alert, ...]]:
    """The queue and what the supervisor must look at (shared/services/alerts.py)."""
    return live_snapshot(uow, outlook=True), branch_alerts(uow)


def run_status(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    branch = context.branch_code()
    if args.once:
        console.print(render(*attempt(context.store, branch, _with_alerts, read_only=True)))
        return
    watch_status(context.store, branch, console, threading.Event())
