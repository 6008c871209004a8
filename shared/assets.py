"""Where the shipped assets (voice clips, sounds, fonts, translations, configs) live."""

from __future__ import annotations

import os
from pathlib import Path

ASSETS_ENV = "ANTREAN_ASSETS"
# Resolved once: every translated word asks for this folder, and resolving touches the disk.
SHIPPED = Path(__file__).resolve().parents[1] / "assets"


def assets_dir() -> Path:
    override = os.environ.get(ASSETS_ENV, "").strip()
    if override:
        return Path(override)
    return SHIPPED


def asset(*parts: str) -> Path:
    path = assets_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"asset {'/'.join(parts)} is missing from {assets_dir()}")
    return path
