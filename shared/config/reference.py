"""docs/configuration.md, written from the settings models: every section and key with its
type, default and meaning, so the reference cannot drift from what the loader accepts."""

from __future__ import annotations

import json
import types
import typing
from datetime import date, time
from typing import Any

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from shared.config.branch import BranchConfig
from shared.config.hours import WeeklyHours

HEADER = """\
# Branch configuration

Each branch is described by one TOML file (the demo branch: `assets/config/demo-branch.toml`),
checked and stored in the database by `antrean init --config FILE`. This page lists every
section and key with its type, default and meaning.

Generated from the settings models in `shared/config/` by
`.venv/bin/python -m scripts.config_reference`; do not edit it by hand (a test compares it
with the models).

Weekly hours are a table of weekdays (`mon` to `sun`), each a pair `["HH:MM", "HH:MM"]`; a
day left out is closed, e.g. `opening_hours = { mon = ["08:00", "15:00"] }`.
"""


def configuration_reference() -> str:
    parts = [HEADER]
    for name, section in BranchConfig.model_fields.items():
        model, many = _section_model(section)
        heading = f"[[{name}]]" if many else f"[{name}]"
        kind = "a list of tables, one per entry" if many else "a table"
        need = "required" if section.is_required() else "optional"
        parts.append(f"\n## `{heading}`\n\n{_sentence(section.description)}\n\n"
                     f"*{kind.capitalize()}, {need}.*\n")
        parts.append(_key_table(model))
        # A section made of tables ([channels]) gets a heading per table.
        for key, field in _subsections(model):
            sub, _ = _section_model(field)
            parts.append(f"\n### `[{name}.{key}]`\n\n{_sentence(field.description)}\n")
            parts.append(_key_table(sub))
    return "".join(parts)


def _key_table(model: type[BaseModel]) -> str:
    rows = [(key, field) for key, field in model.model_fields.items()
            if (key, field) not in _subsections(model)]
    if not rows:
        return ""
    lines = ["\n| key | type | default | meaning |\n|---|---|---|---|\n"]
    for key, field in rows:
        cells = (f"`{key}`", _type(field), _default(field), _sentence(field.description))
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n")
    return "".join(lines)


def _subsections(model: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    return [(key, field) for key, field in model.model_fields.items()
            if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
            and field.annotation is not WeeklyHours]


def undescribed_fields() -> list[str]:
    """Keys without a `description=`: the reference would have nothing to say about them."""
    missing = [f"{n}" for n, f in BranchConfig.model_fields.items() if not f.description]
    for name, section in BranchConfig.model_fields.items():
        model, _ = _section_model(section)
        missing += [f"{name}.{k}" for k, f in model.model_fields.items() if not f.description]
        for key, field in _subsections(model):
            sub, _ = _section_model(field)
            missing += [f"{name}.{key}.{k}" for k, f in sub.model_fields.items()
                        if not f.description]
    missing += [f"hours.{k}" for k, f in WeeklyHours.model_fields.items() if not f.description]
    return missing


def _section_model(section: FieldInfo) -> tuple[type[BaseModel], bool]:
    annotation = section.annotation
    many = typing.get_origin(annotation) is list
    model = typing.get_args(annotation)[0] if many else annotation
    assert isinstance(model, type) and issubclass(model, BaseModel)
    return model, many


def _sentence(text: str | None) -> str:
    return " ".join((text or "").split())


def _type(field: FieldInfo) -> str:
    described = _type_name(field.annotation)
    limits = _limits(field.metadata)
    return f"{described}, {limits}" if limits else described


def _type_name(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = _type_name(args[0])
        limits = _limits([m for meta in args[1:] for m in _metadata_of(meta)])
        return f"{inner} ({limits})" if limits else inner
    if origin in (typing.Union, types.UnionType):
        kept = [a for a in args if a is not type(None)]
        return " or ".join(_type_name(a) for a in kept) + " (may be left out)"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{json.dumps(a)}`" for a in args)
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"table of {_type_name(args[1])}"
    if origin is tuple and args == (time, time):
        return '["HH:MM", "HH:MM"]'
    names = {bool: "true/false", int: "integer", float: "number", str: "text", date: "date"}
    if annotation in names:
        return names[annotation]
    if annotation is WeeklyHours:
        return "weekly hours"
    raise TypeError(f"no reference wording for the settings type {annotation!r}")


def _metadata_of(meta: object) -> list[object]:
    return list(meta.metadata) if isinstance(meta, FieldInfo) else [meta]


def _limits(metadata: list[object]) -> str:
    found = []
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            found.append(f"at least {item.ge}")
        elif isinstance(item, annotated_types.Gt):
            found.append(f"more than {item.gt}")
        elif isinstance(item, annotated_types.Le):
            found.append(f"at most {item.le}")
        elif isinstance(item, annotated_types.MinLen):
            found.append(f"length at least {item.min_length}")
        elif isinstance(item, annotated_types.MaxLen):
            found.append(f"length at most {item.max_length}")
    return ", ".join(found)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True, validated_data={})
    if value is None:
        return "not set"
    if isinstance(value, BaseModel):
        return "the defaults below"
    return f"`{json.dumps(value, ensure_ascii=False)}`"
