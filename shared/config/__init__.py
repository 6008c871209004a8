"""The branch's settings: one TOML file, checked at start-up, read-only afterwards."""

from shared.config.branch import (
    BranchConfig,
    BranchInfo,
    CounterConfig,
    QueueRules,
    ServiceConfig,
)
from shared.config.devices import DisplayConfig, KioskConfig, PrinterConfig
from shared.config.hours import WEEKDAYS, WeeklyHours, format_hours
from shared.config.loading import (
    ConfigError,
    branch_config_from_dict,
    load_branch_config,
    parse_branch_config,
    stored_branch_config,
)

__all__ = [
    "WEEKDAYS",
    "BranchConfig",
    "BranchInfo",
    "ConfigError",
    "CounterConfig",
    "DisplayConfig",
    "KioskConfig",
    "PrinterConfig",
    "QueueRules",
    "ServiceConfig",
    "WeeklyHours",
    "branch_config_from_dict",
    "format_hours",
    "load_branch_config",
    "parse_branch_config",
    "stored_branch_config",
]
