"""antrean-counter: the officer's counter terminal and the supervisor's board."""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QApplication
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from counter.devices import CounterDevices
from counter.link import StoreLink
from counter.machine import CounterMemory, MachineSettings, add_device_options
from counter.machine import load_machine_settings as machine_settings
from counter.todays_report import system_delivery
from counter.window import CounterWindow
from shared.changes import watch_changes
from shared.cli.context import CommandContext, CommandError
from shared.config import ConfigError
from shared.domain.errors import DomainError
from shared.i18n import Translator
from shared.qt.changes import ChangeSignals
from shared.qt.operations import OperationRunner
from shared.qt.placement import add_geometry_argument, place
from shared.services.runner import attempt
from shared.store.database import Store, default_database_url, normalise_url, open_store

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_SECONDS = 5


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="antrean-counter", description=__doc__)
    parser.add_argument(
        "--database", default=default_database_url(), help="store URL (default: %(default)s)"
    )
    parser.add_argument("--branch", help="branch code (default: the only branch)")
    parser.add_argument("--counter", type=int, help="counter number to offer at sign-in")
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    add_geometry_argument(parser)
    parser.add_argument("--language", choices=["id", "en"], default="id")
    add_device_options(parser)
    return parser


@dataclass
class CounterApp:
    """Everything one counter terminal runs, built once and stopped together."""

    store: Store
    runner: OperationRunner
    changes: ChangeSignals
    link: StoreLink
    devices: CounterDevices | None
    window: CounterWindow

    def stop(self) -> None:
        self.link.stop()
        self.changes.stop()
        if self.devices is not None:
            self.devices.stop()
        self.runner.shutdown()
        self.store.dispose()


def _engine_options(url: str) -> dict[str, Any]:
    # A pulled LAN cable must not hold the counter's worker for minutes: connecting gives up
    # after a few seconds, the banner shows, and the link keeps probing.
    if make_url(normalise_url(url)).get_backend_name() == "postgresql":
        return {"connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}
    return {}


def build_app(
    options: argparse.Namespace, settings: MachineSettings, memory: CounterMemory | None = None
) -> CounterApp:
    store = open_store(options.database, role="counter", **_engine_options(options.database))
    try:
        branch = CommandContext(options.database, options.branch, store).branch_code()
        name, timezone = attempt(
            store, branch, lambda uow: (uow.branch.name, uow.branch.timezone), read_only=True
        )
    except BaseException:
        store.dispose()
        raise
    runner = OperationRunner()
    changes = ChangeSignals(watch_changes(store, branch)).start()
    link = StoreLink(store, branch, runner, changes)
    devices = None
    if settings.display is not None or settings.keypad is not None:
        devices = CounterDevices(settings.display, settings.keypad)
    window = CounterWindow(
        Translator(options.language),
        link,
        memory or CounterMemory(),
        ZoneInfo(timezone),
        lambda: datetime.now(UTC),
        changes=changes,
        devices=devices,
        preselect=options.counter,
        branch_name=name,
        reports=system_delivery(),
    )
    if devices is not None:
        devices.start()  # after the window listens, so the first status is shown
    return CounterApp(store, runner, changes, link, devices, window)


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        counter_app = build_app(options, machine_settings(options))
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except (CommandError, DomainError, LookupError) as error:
        print(f"antrean-counter: {error}", file=sys.stderr)
        return 2
    except DBAPIError as error:
        print(f"antrean-counter: cannot reach the database: {error.orig}", file=sys.stderr)
        return 2
    window = counter_app.window
    if options.windowed:
        window.resize(1366, 768)
        place(window, options.geometry)
        window.show()
    else:
        window.showFullScreen()
    try:
        return int(app.exec())
    finally:
        window.close()
        counter_app.stop()


if __name__ == "__main__":
    sys.exit(main())
