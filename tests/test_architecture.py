"""The layering: `shared` knows nothing of Qt widgets, and each floor imports only its own
floor and the floors below it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Qt glue the apps share (change-watcher adapter, operation runner) may use QtCore only.
QT_GLUE = ROOT / "shared" / "qt"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_shared_never_imports_qt_widgets() -> None:
    offenders = []
    for path in sorted((ROOT / "shared").rglob("*.py")):
        for name in _imports(path):
            in_glue = QT_GLUE in path.parents
            if name.startswith("PySide6") and not (
                in_glue and name in ("PySide6.QtCore", "PySide6")
            ):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_importing_all_of_shared_loads_no_qt_widgets() -> None:
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for p in (ROOT / "shared").rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"
    ]
    script = (
        "import importlib, sys\n"
        f"for m in {sorted(modules)!r}: importlib.import_module(m.removesuffix('.__init__'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6.QtWidgets')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


APPS = ("kiosk", "counter", "display", "web")


def test_shared_imports_no_app_and_apps_import_each_other_never() -> None:
    offenders = []
    for package in ("shared", *APPS):
        others = [app for app in APPS if app != package]
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _imports(path):
                if name.split(".")[0] in others:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


# Bottom to top. A module may import its own floor and any floor below it, never one above:
# the pure domain knows no storage, storage knows no services, services know no screens.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("shared.assets", "shared.clock", "shared.domain", "shared.i18n"),
    ("shared.config",),
    ("shared.store",),
    (
        "shared.announcing",
        "shared.changes",
        "shared.devices",
        "shared.estimation",
        "shared.notifying",
        "shared.planning",
        "shared.printing",
    ),
    ("shared.services",),
    ("shared.central", "shared.reporting", "shared.simulation"),
    ("shared.qt",),
    ("shared.cli",),
    APPS,
)


def _floor(module: str) -> int | None:
    for level, packages in enumerate(FLOORS):
        if any(module == p or module.startswith(p + ".") for p in packages):
            return level
    return None


def _imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function: `from shared import
    clock` counts as shared.clock, a relative import is resolved against the package."""
    # For package/__init__.py and package/module.py alike, `.` is package.
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _sources() -> list[Path]:
    return [
        path
        for package in ("shared", *APPS)
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "shared" / "__init__.py"
    ]


def test_every_package_stands_on_a_floor() -> None:
    unplaced = sorted(
        {
            ".".join(path.relative_to(ROOT).parts[:2]).removesuffix(".py")
            for path in _sources()
            if _floor(".".join(path.relative_to(ROOT).with_suffix("").parts)) is None
        }
    )
    assert unplaced == []


def test_no_floor_imports_a_higher_one() -> None:
    offenders = []
    for path in _sources():
        own = _floor(".".join(path.relative_to(ROOT).with_suffix("").parts))
        assert own is not None
        for name in sorted(_imported_modules(path)):
            target = _floor(name)
            if target is not None and target > own:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_the_web_service_has_no_qt() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "web").rglob("*.py"))
        for name in _imports(path)
        if name.startswith("PySide6")
    ]
    assert offenders == []
