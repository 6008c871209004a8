"""antrean-kiosk: the touchscreen ticket kiosk.

    antrean-kiosk --database sqlite:////var/lib/antrean/antrean.db --kiosk-name lobi-1
    antrean-kiosk --orientation landscape --windowed --printer-dir /tmp/tickets   (demo)
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.booking import NoBookingDesk
from kiosk.desk import TicketDesk
from kiosk.flow import KioskFlow
from kiosk.look import SIZES, Orientation, look_for
from kiosk.offer_model import ServiceOfferModel
from kiosk.settings import KioskOptions, make_kiosk_printer, read_kiosk_settings
from kiosk.window import KioskWindow
from shared.changes import watch_changes
from shared.cli.context import CommandContext, CommandError
from shared.config import ConfigError
from shared.domain.errors import NotFound
from shared.i18n import Translator
from shared.qt.changes import ChangeSignals
from shared.qt.operations import OperationRunner
from shared.qt.placement import add_geometry_argument, place
from shared.services.bookings import StoreBookingDesk
from shared.services.runner import attempt
from shared.store.database import default_database_url, open_store

log = logging.getLogger("kiosk")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="antrean-kiosk", description="Antrean ticket kiosk")
    parser.add_argument("--database", default=default_database_url(),
                        help="store URL: sqlite:///FILE or postgresql://USER@HOST/DB")
    parser.add_argument("--branch", help="branch code (default: the only branch)")
    parser.add_argument("--kiosk-name", default=socket.gethostname()[:40] or "kiosk",
                        help="this kiosk's name in printer reports (default: the host name)")
    parser.add_argument("--orientation", choices=sorted(SIZES), default="portrait")
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    add_geometry_argument(parser)
    parser.add_argument("--printer-dir", type=Path,
                        help="print to a virtual printer: PNG tickets in this folder")
    parser.add_argument("--hide-service", action="append", default=[], metavar="CODE",
                        help="a service not offered here (tickets only by transfer); repeatable")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_store(arguments.database, role="kiosk")
    try:
        branch = CommandContext(arguments.database, arguments.branch, store).branch_code()
        options = KioskOptions(
            kiosk_name=arguments.kiosk_name.strip()[:40],
            printer_dir=arguments.printer_dir,
            hidden_services=frozenset(code.upper() for code in arguments.hide_service),
        )
        settings = attempt(store, branch, lambda uow: read_kiosk_settings(uow, options))
        printer = make_kiosk_printer(settings)
    except (CommandError, ConfigError, NotFound, ValueError) as error:
        print(f"antrean-kiosk: {error}", file=sys.stderr)
        store.dispose()
        return 2

    # force: python-escpos configures logging when it is imported.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", force=True)
    orientation: Orientation = arguments.orientation
    width, height = SIZES[orientation]
    screen = QApplication.primaryScreen()  # static: instance() is typed as a QCoreApplication
    if arguments.windowed and arguments.geometry is not None:
        width, height = arguments.geometry.width, arguments.geometry.height
    elif arguments.windowed:
        # Keep the kiosk's proportions but fit the desktop it is tried on.
        available = screen.availableGeometry()
        fit = min(1.0, available.width() / width, available.height() * 0.95 / height)
        width, height = int(width * fit), int(height * fit)
    elif screen is not None:
        width, height = screen.geometry().width(), screen.geometry().height()
    runner = OperationRunner()
    changes = ChangeSignals(watch_changes(store, branch))
    tr = Translator(settings.languages[0])
    bookings = StoreBookingDesk() if settings.booking.enabled else NoBookingDesk()
    desk = TicketDesk(store, settings, printer, bookings)
    flow = KioskFlow(desk, runner, settings, tr)
    model = ServiceOfferModel(tr)
    window = KioskWindow(flow, model, look_for(orientation, width, height))
    changes.changed.connect(flow.changes_arrived)
    changes.reconnected.connect(flow.refresh_offer)
    flow.maintenance.quit_requested.connect(app.quit)
    if arguments.windowed:
        window.setFixedSize(width, height)
        place(window, arguments.geometry)
        window.show()
    else:
        window.showFullScreen()
    changes.start()
    flow.start()
    log.info("kiosk %s of branch %s, printer: %s", settings.kiosk_name, branch,
             getattr(printer, "name", type(printer).__name__))
    try:
        return app.exec()
    finally:
        flow.stop()
        window.close()
        changes.stop()
        runner.shutdown()
        store.dispose()


if __name__ == "__main__":
    sys.exit(main())
