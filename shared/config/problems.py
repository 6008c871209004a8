"""Turns pydantic's validation errors into one plain line per problem, for the people who edit
the branch file: "<file>: <key path>: <value> is not allowed; <what is allowed>"."""

from __future__ import annotations

import difflib
import re
from datetime import date, time
from typing import Any, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from shared.config.fields import CONFLICTS, REJECTED, Loc

SHOWN_CHARS = 40

_TYPE_HINTS = {
    "string_type": 'use a text in quotes, e.g. "Loket 1"',
    "int_type": "use a whole number (without quotes)",
    "int_from_float": "use a whole number (without quotes)",
    "float_type": "use a number (without quotes)",
    "bool_type": "use true or false (without quotes)",
    "list_type": 'use a list in square brackets, e.g. ["A", "B"]',
    "date_type": "use a date such as 2026-08-17 (without quotes)",
    "model_type": "use a table: a [section] or { key = value }",
    "model_attributes_type": "use a table: a [section] or { key = value }",
    "dict_type": "use a table: a [section] or { key = value }",
}
_BOUNDS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def describe_errors(
    error: ValidationError, source: str, data: Any, model: type[BaseModel]
) -> list[str]:
    """One line per problem; `data` is the parsed file, used to name list entries by their code."""
    lines = []
    for details in error.errors(include_url=False):
        if details["type"] == CONFLICTS:
            for conflict in details.get("ctx", {})["found"]:
                loc = (*details["loc"], *conflict.loc)
                lines.append(_line(source, key_path(loc, data), conflict.problem))
        else:
            problem = _problem(details, model)
            lines.append(_line(source, key_path(details["loc"], data), problem))
    return lines


def _line(source: str, path: str, problem: str) -> str:
    return f"{source}: {path}: {problem}" if path else f"{source}: {problem}"


def key_path(loc: Loc, data: Any) -> str:
    """'services[code=JKM].prefix': list entries by their code or number when that is unique,
    else by position counted from 1, as the [[services]] tables appear in the file."""
    path = ""
    node = data
    for item in loc:
        if isinstance(item, int):
            path += f"[{_entry_label(node, item)}]"
            node = node[item] if isinstance(node, list) and 0 <= item < len(node) else None
        else:
            name = item if re.fullmatch(r"[A-Za-z0-9_-]+", item) else repr(item)
            path += f".{name}" if path else name
            node = node.get(item) if isinstance(node, dict) else None
    return path


def _entry_label(entries: Any, index: int) -> str:
    if isinstance(entries, list) and 0 <= index < len(entries):
        entry = entries[index]
        for key in ("code", "number"):
            value = entry.get(key) if isinstance(entry, dict) else None
            unique = sum(isinstance(e, dict) and e.get(key) == value for e in entries) == 1
            if unique and isinstance(value, str | int) and re.fullmatch(r"\w{1,16}", str(value)):
                return f"{key}={value}"
    return str(index + 1)


# Lists inside lists are shown this deep: no more fits in SHOWN_CHARS, and a file nesting
# hundreds of them must not exhaust the stack.
SHOWN_DEPTH = 4


def show(value: Any, depth: int = 0) -> str:
    """A value as the file's author wrote it, cut to about 40 characters."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, date | time):
        text = value.isoformat()
    elif isinstance(value, list | tuple) and depth >= SHOWN_DEPTH:
        text = "[…]"  # deeper lists would not fit in the shown characters anyway
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(show(item, depth + 1) for item in value[:10]) + "]"
    elif isinstance(value, dict):
        return "a table"
    elif isinstance(value, str) and len(value) > SHOWN_CHARS - 3:
        text = repr(value[: SHOWN_CHARS - 3])
        return text[:-1] + "…" + text[-1]
    else:
        text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _problem(details: ErrorDetails, model: type[BaseModel]) -> str:
    kind, ctx, loc = details["type"], details.get("ctx", {}), details["loc"]
    value = show(details["input"])
    table = _table_name(loc, model)
    if kind == "missing":
        return f"missing; add {table}" if table else "missing; this key is required"
    if kind == "list_type" and table and table.startswith("at least"):
        return f"{value} is not allowed; write each entry as a [[{loc[-1]}]] table"
    if kind == "extra_forbidden":
        return _unknown_key(loc, model)
    if kind == REJECTED:
        return f"{value} is not allowed; {ctx['hint']}"
    if kind in _TYPE_HINTS:
        return f"{value} is not allowed; {_TYPE_HINTS[kind]}"
    if kind == "literal_error":
        return f"{value} is not allowed; use {ctx['expected']}"
    if kind == "string_too_long":
        length = len(details["input"])
        limit = ctx["max_length"]
        return f"{value} is too long ({length} characters); use at most {limit} characters"
    if kind == "string_too_short":
        return f"{value} is not allowed; write at least {_count(ctx['min_length'], 'character')}"
    if kind == "too_short":
        return f"{value} is not allowed; list at least {_count(ctx['min_length'], 'entry')}"
    if kind == "too_long":
        return f"{value} has too many entries; list at most {ctx['max_length']}"
    if kind in _BOUNDS:
        return f"{value} is not allowed; use {_allowed_range(loc, ctx, model)}"
    return f"{value} is not allowed; {details['msg']}"


def _table_name(loc: Loc, model: type[BaseModel]) -> str | None:
    """'[branch.opening_hours]', or 'at least one [[services]] table', when a key holds tables."""
    field = _field_at(model, loc)
    if field is None or not any(issubclass(t, BaseModel) for t in _types_in(field.annotation)):
        return None
    name = ".".join(str(item) for item in loc if isinstance(item, str))
    return f"at least one [[{name}]] table" if list in _types_in(field.annotation) else f"[{name}]"


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def _unknown_key(loc: Loc, model: type[BaseModel]) -> str:
    owner = _model_at(model, loc[:-1])
    known = list(owner.model_fields) if owner else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    if close:
        return f"unknown key; did you mean '{close[0]}'?"
    return "unknown key; allowed here: " + ", ".join(known) if known else "unknown key"


def _allowed_range(loc: Loc, ctx: dict[str, Any], model: type[BaseModel]) -> str:
    field = _field_at(model, loc)
    bounds: dict[str, Any] = dict(ctx)
    if field is not None:
        bounds = {
            word: getattr(rule, word)
            for rule in field.metadata
            for word in ("ge", "gt", "le", "lt")
            if isinstance(rule, Ge | Gt | Le | Lt) and hasattr(rule, word)
        }
    noun = "a whole number" if field and int in _types_in(field.annotation) else "a number"
    if "ge" in bounds and "le" in bounds:
        return f"{noun} from {bounds['ge']} to {bounds['le']}"
    words = {"ge": "at least", "gt": "above", "le": "at most", "lt": "below"}
    return noun + " " + " and ".join(f"{words[k]} {v}" for k, v in bounds.items() if k in words)


def _field_at(model: type[BaseModel], loc: Loc) -> FieldInfo | None:
    """The declared field a location points at (not a list entry's)."""
    if not loc or not isinstance(loc[-1], str):
        return None
    owner = _model_at(model, loc[:-1])
    return owner.model_fields.get(loc[-1]) if owner else None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for item in loc:
        if isinstance(item, int):
            continue
        field = current.model_fields.get(item) if current else None
        if field is None:
            return None
        current = next((t for t in _types_in(field.annotation) if issubclass(t, BaseModel)), None)
    return current


def _types_in(annotation: Any) -> list[type]:
    """The classes named anywhere in an annotation: list[X] | None gives list, X and NoneType."""
    origin = get_origin(annotation)
    found = [annotation] if isinstance(annotation, type) and origin is None else []
    if isinstance(origin, type):
        found.append(origin)
    for arg in get_args(annotation):
        found.extend(_types_in(arg))
    return found
