"""`antrean simulate SCENARIO.toml`: synthetic branch days through the real services.

Each run writes into --out (default: a new temporary folder, printed at the end):
`simulation.db` (unless --database names another store; the env var ANTREAN_DATABASE_URL is
ignored so a simulation never lands in a live branch by accident), `events.csv` (every event with
local times) and `summary.json`. `--days N` simulates N consecutive business days of the branch
(weekends and holidays skipped) into the same database, with seeds seed, seed+1, ...
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn
from rich.table import Table
from sqlalchemy.engine import make_url

from shared.cli.context import CommandContext, CommandError
from shared.clock import ManualClock
from shared.services.officers import use_hasher
from shared.services.setup import apply_branch_config
from shared.simulation import (
    DaySummary,
    ScenarioError,
    load_scenario,
    simulate_day,
    write_events_csv,
)
from shared.simulation.agenda import Day
from shared.store.database import open_store
from shared.store.schema import upgrade_database

DATABASE_FILE = "simulation.db"
TABLE_WIDTH = 140


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="run synthetic branch days through the real queue services",
        description="Run a scenario's branch day through the real services on a simulated "
        "clock and write events.csv and summary.json. See assets/scenarios/ for examples.",
    )
    simulate.add_argument("scenario", metavar="SCENARIO.toml", help="the scenario file")
    simulate.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    simulate.add_argument(
        "--days",
        type=_day_count,
        default=1,
        help="simulate N consecutive business days (weekends and holidays skipped) into the "
        "same database, with seeds seed, seed+1, ... (default 1)",
    )
    simulate.add_argument("--out", metavar="DIR", help="output folder (default: a new temp dir)")
    simulate.add_argument(
        "--database",
        dest="simulation_database",
        metavar="URL",
        help=f"store to simulate into (default: a fresh {DATABASE_FILE} in the output folder)",
    )
    simulate.add_argument("--quiet", action="store_true", help="no progress bar")
    simulate.set_defaults(run=run_simulate)


def _day_count(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= days <= 366:
        raise argparse.ArgumentTypeError("use 1 to 366 days")
    return days


def _fresh_sqlite(folder: Path) -> str:
    path = folder / DATABASE_FILE
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{path.resolve()}"


def run_simulate(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        # The command line prints errors literally, so key paths like "[code=JHT]" survive.
        raise CommandError("\n".join(error.problems)) from error
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="antrean-simulate-"))
    out.mkdir(parents=True, exist_ok=True)
    url = args.simulation_database or context.database_url or _fresh_sqlite(out)
    seed = scenario.settings.seed if args.seed is None else args.seed
    days = scenario.business_days(scenario.settings.date, args.days)
    began = Day(days[0], ZoneInfo(scenario.branch.branch.timezone)).midnight
    # Simulated officers never log in; hashing their random PINs cheaply saves seconds.
    use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    clock = ManualClock(began)
    store = open_store(url, clock=clock)
    try:
        upgrade_database(store.engine)
        apply_branch_config(store, scenario.branch)
        summaries = []
        columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
        hidden = args.quiet or not console.is_terminal
        # Rich gives a pipe 80 columns; the table needs about 130.
        tables = console if console.is_terminal else Console(file=console.file, width=TABLE_WIDTH)
        with Progress(*columns, console=console, disable=hidden, transient=True) as bar:
            for offset, day in enumerate(days):
                task = bar.add_task(f"{day}", total=1.0)
                started = time.perf_counter()
                summary = simulate_day(
                    scenario,
                    store,
                    seed + offset,
                    clock,
                    progress=partial(_show_progress, bar, task),
                    business_date=day,
                )
                tables.print(summary_table(summary, time.perf_counter() - started))
                summaries.append(summary)
        count = write_events_csv(store, scenario.branch_code, began, out / "events.csv")
    finally:
        store.dispose()
    shown_url = make_url(url).render_as_string(hide_password=True)
    report: dict[str, Any] = {
        "scenario": scenario.name,
        "source": str(args.scenario),
        "branch": scenario.branch_code,
        "database": shown_url,
        "seed": seed,
        "days": [s.to_dict() for s in summaries],
    }
    (out / "summary.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    console.print(f"events:   {out / 'events.csv'} ({count} events)", highlight=False)
    console.print(f"summary:  {out / 'summary.json'}", highlight=False)
    console.print(f"database: {shown_url}", highlight=False)


def _show_progress(bar: Progress, task: TaskID, done: float, at: datetime) -> None:
    bar.update(task, completed=done, description=f"{at:%Y-%m-%d %H:%M}")


def _minutes(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def summary_table(summary: DaySummary, wall_seconds: float) -> Table:
    """One row per service; "tickets" shows those transferred in as "+N"."""
    table = Table(
        title=f"{summary.scenario} — {summary.branch} {summary.date:%a %Y-%m-%d}, "
        f"seed {summary.seed} ({wall_seconds:.1f} s)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        caption="arrived = tickets + turned away; wait: joining the queue to the first call "
        "(minutes); service: start to finish or transfer; done: last visitor done",
        caption_justify="left",
    )
    table.add_column("service", no_wrap=True)
    for heading in (
        "arrived",
        "tickets",
        "served",
        "sent on",
        "no-show",
        "walked out",
        "turned away",
        "unserved",
        "wait mean",
        "wait p90",
        "service mean",
        "done",
    ):
        table.add_column(heading.replace(" ", "\n"), justify="right", no_wrap=True)
    for s in summary.services:
        issued = f"{s.issued} +{s.transferred_in}" if s.transferred_in else str(s.issued)
        table.add_row(
            s.code,
            str(s.arrived),
            issued,
            str(s.served),
            str(s.transferred_out),
            str(s.no_show),
            str(s.walked_out),
            str(s.turned_away),
            str(s.unserved),
            _minutes(s.mean_wait_minutes),
            _minutes(s.p90_wait_minutes),
            _minutes(s.mean_service_minutes),
            s.last_finish or "-",
        )
    counts = (
        "arrived",
        "issued",
        "served",
        "transferred_out",
        "no_show",
        "walked_out",
        "turned_away",
        "unserved",
    )
    table.add_section()
    table.add_row("all", *(str(summary.total(c)) for c in counts), style="bold")
    return table
