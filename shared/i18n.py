"""One translation system for every app and the printed ticket: Bahasa Indonesia first.

Catalogs are TOML files in assets/translations/, one per app plus `common.toml`; each entry
holds both languages side by side, so a missing translation is visible in review:

    [home.title]
    id = "Silakan pilih layanan"
    en = "Please choose a service"

Values may hold `{name}` placeholders filled from keyword arguments.
"""

from __future__ import annotations

import tomllib
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Literal

from shared.assets import assets_dir

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")


@cache
def _catalog(folder: Path) -> dict[str, dict[str, str]]:
    entries: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        _flatten(data, "", entries, path)
    return entries


def _flatten(
    node: dict[str, object], prefix: str, out: dict[str, dict[str, str]], path: Path
) -> None:
    if "id" in node and isinstance(node["id"], str):
        key = prefix.rstrip(".")
        if key in out:
            raise ValueError(f"{path.name}: translation {key!r} is defined twice")
        out[key] = {lang: str(node.get(lang, "")) for lang in LANGUAGES}
        return
    for name, child in node.items():
        if isinstance(child, dict):
            _flatten(child, f"{prefix}{name}.", out, path)


def catalog() -> dict[str, dict[str, str]]:
    return _catalog(assets_dir() / "translations")


class Translator:
    """`tr("home.title")` in the current language; switchable at run time."""

    def __init__(self, language: Language = "id") -> None:
        self.language: Language = language

    def __call__(self, key: str, **values: object) -> str:
        entry = catalog().get(key)
        if entry is None:
            raise KeyError(f"no translation {key!r} in assets/translations")
        text = entry.get(self.language) or entry["id"]
        return text.format(**values) if values else text

    def both(self, key: str, **values: object) -> tuple[str, str]:
        """(Indonesian, English): for screens that show both at once, like the display."""
        saved = self.language
        try:
            self.language = "id"
            first = self(key, **values)
            self.language = "en"
            return first, self(key, **values)
        finally:
            self.language = saved


def explain(tr: Translator, error: BaseException) -> str:
    """A refusal in the translator's language where its key has a translation (enum values
    such as a ticket's state are translated too); otherwise the error's own words."""
    key = getattr(error, "key", "")
    if key and f"error.{key}" in catalog():
        values = {
            name: tr(f"{type(value).__name__}.{value.value}") if isinstance(value, Enum) else value
            for name, value in getattr(error, "values", {}).items()
        }
        return tr(f"error.{key}", **values)
    return str(error)
