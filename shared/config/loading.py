"""Reads a branch's TOML file into a `BranchConfig`, or fails with every problem on its own line."""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.config.branch import BranchConfig
from shared.config.problems import describe_errors

MAX_BYTES = 1024 * 1024  # a branch file is a few kB; anything near this is a mistake


class ConfigError(Exception):
    """The branch file cannot be used; `problems` holds one readable line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


def load_branch_config(path: str | Path) -> BranchConfig:
    """Read and check the branch file at `path`."""
    path = Path(path)
    source = str(path)
    try:
        if path.is_dir():
            raise ConfigError([f"{source}: is a folder; give the path of the branch's .toml file"])
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError([_too_big(source)])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            [f"{source}: file not found (looked for {path.absolute()})"]
        ) from None
    except OSError as error:
        raise ConfigError([f"{source}: cannot be read: {error.strerror or error}"]) from error
    try:
        text = raw.decode("utf-8-sig")  # Notepad may add a byte-order mark; TOML is UTF-8
    except UnicodeDecodeError as error:
        raise ConfigError([
            f"{source}: is not UTF-8 text (bad byte at offset {error.start}); "
            "save it with UTF-8 encoding"
        ]) from error
    return parse_branch_config(text, source)


def parse_branch_config(text: str, source: str = "<string>") -> BranchConfig:
    """Check a branch file's text; `source` names it in the messages."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise ConfigError([_too_big(source)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_syntax_problem(source, error)]) from error
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ConfigError([_too_deep(source)]) from None
    return branch_config_from_dict(data, source)


def branch_config_from_dict(data: dict[str, Any], source: str = "<dict>") -> BranchConfig:
    """Check settings already parsed into plain values (TOML's types: str, int, date, ...)."""
    try:
        return BranchConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(describe_errors(error, source, data, BranchConfig)) from error


def stored_branch_config(settings: dict[str, Any]) -> BranchConfig:
    """The config as the store keeps it (JSON): dates come back as text, so turn them back."""
    data = copy.deepcopy(settings)
    branch = data.get("branch", {})
    branch["holidays"] = [date.fromisoformat(str(d)) for d in branch.get("holidays", [])]
    return branch_config_from_dict(data, "the branch settings in the database")


def _too_big(source: str) -> str:
    return f"{source}: is larger than 1 MB; a branch file is a few kilobytes of TOML text"


def _too_deep(source: str) -> str:
    return (f"{source}: brackets are nested too deeply (arrays or inline tables inside each "
            "other hundreds of times); a branch file needs only a few levels")


def _syntax_problem(source: str, error: tomllib.TOMLDecodeError) -> str:
    # Python 3.11's tomllib only puts the position in its message: "... (at line 3, column 7)".
    message = str(error)
    found = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message, flags=re.DOTALL)
    if found:
        what, line, column = found.groups()
        return f"{source}: line {line}, column {column}: TOML syntax error: {what}"
    found = re.fullmatch(r"(.*) \(at end of document\)", message, flags=re.DOTALL)
    if found:
        return f"{source}: at the end of the file: TOML syntax error: {found[1]}"
    return f"{source}: TOML syntax error: {message}"
