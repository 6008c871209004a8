"""The day simulator: synthetic branch days run through the real services on a manual clock."""

from shared.simulation.engine import DayProgress, simulate_day
from shared.simulation.event_log import EventRow, read_events, write_events_csv
from shared.simulation.loading import (
    SHIPPED_SCENARIOS,
    Scenario,
    ScenarioError,
    load_scenario,
    parse_scenario,
)
from shared.simulation.report import DaySummary, ServiceSummary

__all__ = [
    "SHIPPED_SCENARIOS",
    "DayProgress",
    "DaySummary",
    "EventRow",
    "Scenario",
    "ScenarioError",
    "ServiceSummary",
    "load_scenario",
    "parse_scenario",
    "read_events",
    "simulate_day",
    "write_events_csv",
]
