"""`antrean plan`: counters needed per hour for a forecast or for what past days showed."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rich.console import Console

from shared.cli.context import CommandContext, CommandError
from shared.planning.forecast import ArrivalForecast, forecast_from_arrivals
from shared.planning.forecast_file import load_forecast_csv
from shared.planning.staffing import (
    format_plan_table,
    plan_staffing,
    roster_gaps,
    save_plan_plot,
    total_counters_by_hour,
)
from shared.services.history import arrival_history
from shared.services.roster import counters_available
from shared.services.runner import attempt


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = commands.add_parser(
        "plan",
        help="counters needed per hour (Erlang C, or Erlang A with --patience)",
        description="Turn an arrival forecast per hour and service into the counters needed "
        "to call a share of visitors within a target wait.",
    )
    source = plan.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--forecast", type=Path, help="CSV: hour,service,arrivals[,mean_service_minutes]"
    )
    source.add_argument(
        "--history",
        nargs=2,
        metavar=("FROM", "TO"),
        type=date.fromisoformat,
        help="learn the forecast from the tickets of these business days",
    )
    plan.add_argument("--target-wait", type=float, default=30.0, help="minutes (default 30)")
    plan.add_argument("--level", type=float, default=0.8, help="share called within it (0.8)")
    plan.add_argument("--patience", type=float, help="mean minutes before a visitor walks out")
    plan.add_argument("--plot", type=Path, default=Path("staffing-plan.png"), help="PNG to save")
    plan.add_argument("--day", type=date.fromisoformat, help="compare with this day's roster "
                      "(YYYY-MM-DD): where its counters fall short of the plan")
    plan.set_defaults(run=run_plan)


def _forecast(args: argparse.Namespace, context: CommandContext) -> ArrivalForecast:
    if args.forecast is not None:
        return load_forecast_csv(args.forecast)
    first, last = args.history
    if last < first:
        raise CommandError("--history: FROM must not be after TO")
    history = attempt(
        context.store,
        context.branch_code(),
        lambda uow: arrival_history(uow, first, last),
        read_only=True,
    )
    if history.days == 0:
        raise CommandError(f"no tickets between {first} and {last}; nothing to learn from")
    patience = dict.fromkeys(history.service_minutes, args.patience) if args.patience else None
    return forecast_from_arrivals(history.arrivals, history.service_minutes, history.days, patience)


def run_plan(args: argparse.Namespace, context: CommandContext, console: Console) -> None:
    if not 0 < args.level < 1:
        raise CommandError("--level must be between 0 and 1, e.g. 0.8")
    if args.target_wait <= 0:
        raise CommandError("--target-wait must be more than 0 minutes")
    forecast = _forecast(args, context)
    if args.patience and args.forecast is not None:
        forecast = ArrivalForecast(
            forecast.arrivals,
            forecast.mean_service_minutes,
            dict.fromkeys(forecast.services, args.patience),
        )
    rows = plan_staffing(forecast, args.target_wait, args.level)
    console.print(format_plan_table(rows), markup=False, highlight=False, soft_wrap=True)
    totals = total_counters_by_hour(rows)
    console.print(
        "Counters needed per hour: "
        + ", ".join(f"{h:02d}:00 {n}" for h, n in sorted(totals.items()))
    )
    console.print(f"Plot saved to {save_plan_plot(rows, args.plot)}")
    if args.day is not None:
        available = attempt(context.store, context.branch_code(),
                            lambda uow: counters_available(uow, args.day), read_only=True)
        gaps = roster_gaps(rows, available)
        if not gaps:
            console.print(f"The roster of {args.day} covers the plan")
        for gap in gaps:
            console.print(f"Roster {args.day}: {gap.describe()}", markup=False)
