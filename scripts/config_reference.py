"""Write docs/configuration.md from the settings models:

    .venv/bin/python -m scripts.config_reference

Run it after changing a model in shared/config/; a test fails while the committed page differs.
"""

from __future__ import annotations

from pathlib import Path

from shared.config.reference import configuration_reference

PAGE = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def main() -> None:
    PAGE.write_text(configuration_reference(), encoding="utf-8")
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
