"""Reads a scenario file, loads the branch it runs in, and checks that the two fit together."""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.config import BranchConfig, load_branch_config
from shared.config.fields import Conflict
from shared.config.problems import describe_errors, key_path
from shared.simulation.scenario import CounterStaffing, ScenarioFile, ServiceLoad

DEMO_BRANCH_CONFIG = Path(__file__).resolve().parents[2] / "assets" / "config" / "demo-branch.toml"
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "assets" / "scenarios"
MAX_BYTES = 256 * 1024


class ScenarioError(ValueError):
    """The scenario file cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Scenario:
    """A checked scenario and the branch it runs in."""

    settings: ScenarioFile
    branch: BranchConfig
    source: str

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def branch_code(self) -> str:
        return self.branch.branch.code

    def load(self, code: str) -> ServiceLoad:
        """The scenario's entry for a service; a service it leaves out gets nobody at the kiosk
        and, when reached by transfer, the branch's mean service time."""
        for load in self.settings.services:
            if load.code == code:
                return load
        return ServiceLoad(code=code)

    def mean_service_minutes(self, code: str) -> float:
        own = self.load(code).mean_minutes
        return self.branch.service(code).mean_service_minutes if own is None else own

    def shift(self, counter: CounterStaffing, day: date) -> tuple[time, time]:
        """When the counter's officer works that day: own times, else [shift], else the
        branch's opening hours."""
        opening = self.branch.branch.opening_hours_on(day)
        if opening is None:
            raise ValueError(f"branch {self.branch_code} is closed on {day:%A %Y-%m-%d}")
        start = counter.start or self.settings.shift.start or opening[0]
        end = counter.end or self.settings.shift.end or opening[1]
        return start, end

    def business_days(self, first: date, count: int) -> list[date]:
        """`count` days the branch is open, from `first` on (weekends and holidays skipped)."""
        days: list[date] = []
        day = first
        while len(days) < count:
            if self.branch.branch.opening_hours_on(day) is not None:
                days.append(day)
            day = date.fromordinal(day.toordinal() + 1)
        return days


def load_scenario(path: str | Path) -> Scenario:
    """Read and check the scenario at `path` and the branch file it names."""
    path = Path(path)
    source = str(path)
    try:
        if path.is_dir():
            raise ScenarioError([f"{source}: is a folder; give the path of a scenario .toml file"])
        if path.stat().st_size > MAX_BYTES:
            raise ScenarioError([f"{source}: is larger than 256 kB; a scenario is a few kB"])
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([f"{source}: file not found (looked for {path.absolute()})"]) from None
    except UnicodeDecodeError as error:
        raise ScenarioError(
            [f"{source}: is not UTF-8 text (bad byte at offset {error.start})"]
        ) from error
    return parse_scenario(text, source, path.parent)


def parse_scenario(text: str, source: str = "<string>", folder: Path | None = None) -> Scenario:
    """Check a scenario's text; `folder` anchors a relative branch_config path."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError([f"{source}: TOML syntax error: {error}"]) from error
    try:
        settings = ScenarioFile.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(describe_errors(error, source, data, ScenarioFile)) from error
    if settings.branch_config is None:
        branch_path = DEMO_BRANCH_CONFIG
    else:
        branch_path = (folder or Path.cwd()) / settings.branch_config
    branch = load_branch_config(branch_path)  # its ConfigError names the branch file
    scenario = Scenario(settings, branch, source)
    found = fit_problems(scenario)
    if found:
        raise ScenarioError([f"{source}: {key_path(c.loc, data)}: {c.problem}" for c in found])
    return scenario


def fit_problems(scenario: Scenario) -> list[Conflict]:
    """What in the scenario the branch cannot do: unknown services and counters, closed days,
    shifts that do not add up."""
    settings, branch = scenario.settings, scenario.branch
    code = branch.branch.code
    known = [s.code for s in branch.services]
    found: list[Conflict] = []
    open_that_day = branch.branch.opening_hours_on(settings.date) is not None
    if not open_that_day:
        found.append(Conflict(
            ("date",),
            f"{settings.date.isoformat()} ({settings.date:%A}) is not allowed; branch {code} "
            "is closed that day; pick a business day",
        ))
    for index, load in enumerate(settings.services):
        if load.code not in known:
            found.append(Conflict(
                ("services", index, "code"),
                f"'{load.code}' is not a service of branch {code}; use one of {', '.join(known)}",
            ))
            continue
        if load.priority_share > 0 and not branch.service(load.code).priority_allowed:
            found.append(Conflict(
                ("services", index, "priority_share"),
                f"{load.priority_share:g} is not allowed; {load.code} has no priority queue "
                "at this branch, use 0",
            ))
        if load.transfer is not None and load.transfer.to not in known:
            found.append(Conflict(
                ("services", index, "transfer", "to"),
                f"'{load.transfer.to}' is not a service of branch {code}; "
                f"use one of {', '.join(known)}",
            ))
    numbers = [c.number for c in branch.counters]
    for index, counter in enumerate(settings.counters):
        if counter.number not in numbers:
            found.append(Conflict(
                ("counters", index, "number"),
                f"{counter.number} is not allowed; branch {code} has counters "
                f"{', '.join(map(str, numbers))}",
            ))
            continue
        if open_that_day:
            found.extend(_shift_problems(scenario, index, counter))
    return found


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _shift_problems(scenario: Scenario, index: int, counter: CounterStaffing) -> list[Conflict]:
    start, end = scenario.shift(counter, scenario.settings.date)
    here: tuple[Any, ...] = ("counters", index)
    if start >= end:
        return [Conflict((*here, "end"), f"the shift {start:%H:%M}–{end:%H:%M} ends before "
                         "it starts; give an end after the start")]
    found = []
    away: list[tuple[int, int, tuple[Any, ...]]] = []
    for a_index, (a_start, a_end) in enumerate(counter.absent):
        loc = (*here, "absent", a_index)
        if a_start < start or a_end > end:
            found.append(Conflict(loc, f"{a_start:%H:%M}–{a_end:%H:%M} is not allowed; an "
                                  f"absence lies within the shift {start:%H:%M}–{end:%H:%M}"))
        away.append((_minutes(a_start), _minutes(a_end), loc))
    for b_index, (b_start, minutes) in enumerate(counter.breaks):
        loc = (*here, "breaks", b_index)
        b_end = _minutes(b_start) + minutes
        if b_start < start or b_end > _minutes(end):
            found.append(Conflict(loc, f"a break at {b_start:%H:%M} for {minutes} minutes is "
                                  f"not allowed; it must lie within the shift "
                                  f"{start:%H:%M}–{end:%H:%M}"))
        away.append((_minutes(b_start), b_end, loc))
    away.sort(key=lambda item: item[:2])
    for (_, first_end, _), (second_start, _, loc) in itertools.pairwise(away):
        if second_start < first_end:
            found.append(Conflict(loc, "overlaps the break or absence before it; "
                                  "give each its own time"))
    return found
