from __future__ import annotations

from pathlib import Path

from shared.config.reference import configuration_reference, undescribed_fields

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_says_what_it_means() -> None:
    assert undescribed_fields() == []


def test_the_committed_configuration_reference_matches_the_models() -> None:
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == configuration_reference(), (
        "docs/configuration.md is out of date: run .venv/bin/python -m scripts.config_reference"
    )


def test_the_reference_gives_each_key_its_models_default() -> None:
    page = configuration_reference()
    assert "| `baudrate` | integer, at least 1200, at most 921600 | `19200` |" in page
    assert "| `max_calls` | integer, at least 1, at most 10 | `3` |" in page
    assert "## `[[services]]`" in page and "## `[web]`" in page
