"""Render the kiosk's screens into docs/screenshots/kiosk-<screen>-<w>x<h>.png.

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1920x24" \
        .venv/bin/python -m scripts.screenshots_kiosk           # under Xvfb
    .venv/bin/python -m scripts.screenshots_kiosk               # offscreen Qt, the same pictures

A demo Monday at the Serang branch (assets/config/demo-branch.toml, with a quota of five
information tickets so that "full" shows), on a throw-away SQLite file, through the same desk,
flow and window the app uses, in portrait 1080×1920 and landscape 1920×1080:

- home:               10:15, queues and waits; JMO's morning window is over; INFO is full
- home-english:       the same after one tap on "English"
- priority:           the priority path (services with a priority queue, their own waits)
- documents:          JHT's "bring these documents" step
- busy:               while the ticket is issued and printed
- result:             the issued ticket, printed (the virtual printer's picture beside it)
- result-not-printed: the paper ran out during the job: the number to photograph
- home-printer-down:  issuing stopped until the printer is back
- refused:            a tap on the full service
- check-in:           a scanned booking code at a branch without online booking
- pin:                the hidden maintenance door (five taps on the branch name)
- maintenance:        the supervisor's screen
- home-closed:        the kiosk closed by a supervisor
- home-late:          14:25, the capacity rule: not served before closing, earliest tomorrow
- reservation-offer:  a tap on a service refused for capacity: tomorrow's first free slot
- reservation:        the slot booked (no NIK), its code, and the slip with its QR
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from PySide6.QtWidgets import QApplication

from kiosk.booking import NoBookingDesk
from kiosk.desk import TicketDesk
from kiosk.flow import KioskFlow
from kiosk.look import SIZES, Orientation, look_for
from kiosk.offer_model import ServiceOfferModel
from kiosk.screens import Screen
from kiosk.settings import KioskOptions, read_kiosk_settings
from kiosk.window import KioskWindow
from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.i18n import Translator
from shared.printing.printers import PrinterProblem, VirtualPrinter
from shared.printing.ticket import TicketSlip
from shared.qt.operations import ImmediateRunner
from shared.services import calling, counters, officers, serving
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import Store, create_store_engine, open_store
from shared.store.schema import upgrade_database

ROOT = Path(__file__).resolve().parents[1]
# Offscreen unless told otherwise; read when the QApplication is made, not on import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

OUT = ROOT / "docs" / "screenshots"
BRANCH = "SRG"
JAKARTA = ZoneInfo("Asia/Jakarta")
OPEN = (1, 2, 3, 4, 5, 6, 9)  # counters staffed this morning
MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=JAKARTA)
DEMO = (ROOT / "assets" / "config" / "demo-branch.toml").read_text(encoding="utf-8")
# Five information tickets a day, so the home screen has a "full" service to show.
BRANCH_TOML = DEMO.replace(
    'code = "INFO"\nprefix = "E"\n', 'code = "INFO"\nprefix = "E"\ndaily_quota = 5\n', 1
)


class PaperRunsOut(VirtualPrinter):
    """Says it is ready, then runs out of paper in the middle of the job."""

    def print_ticket(self, data: bytes, slip: TicketSlip) -> None:
        raise PrinterProblem("paper_out", self.name, "paper end during the job")


def demo_morning(store: Store, clock: ManualClock) -> None:
    """Counters open at 08:00, visitors all morning, some served: the queues at 10:15."""
    officers.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    staff = {}
    for number in range(1, 10):
        officer = attempt(
            store,
            BRANCH,
            lambda uow, n=number: officers.add_officer(
                uow, f"petugas{n}", f"Petugas {n}", "officer", "1234"
            ),
        )
        staff[number] = officer.id
    attempt(
        store,
        BRANCH,
        lambda uow: officers.add_officer(uow, "sri", "Sri Wahyuni", "supervisor", "SRI-9999"),
    )
    for number in OPEN:
        attempt(store, BRANCH, lambda uow, n=number: counters.open_counter(uow, n, staff[n]))
    arrivals = ["JMO"] * 6 + ["INFO"] * 5 + ["JHT", "JKM", "JHT", "JKK_JP"] * 11
    for index, code in enumerate(arrivals):
        clock.set(MONDAY + timedelta(minutes=2 + index * 2))
        attempt(store, BRANCH, lambda uow, c=code: issue_ticket(uow, c, kiosk="lobi-1"))
        if index % 3 == 2:  # officers keep calling and finishing
            number = OPEN[index % len(OPEN)]
            called = attempt(
                store, BRANCH, lambda uow, n=number: calling.call_next(uow, n, staff[n])
            )
            if called is not None:
                attempt(store, BRANCH, lambda uow, n=number: serving.start(uow, n, staff[n]))
                attempt(store, BRANCH, lambda uow, n=number: serving.finish(uow, n, staff[n]))
    clock.set(MONDAY.replace(hour=10, minute=15))


def render(orientation: Orientation, folder: Path) -> list[Path]:
    clock = ManualClock(MONDAY)
    url = f"sqlite:///{folder / f'kiosk-{orientation}.db'}"
    upgrade_database(create_store_engine(url))
    store = open_store(url, clock=clock)
    apply_branch_config(store, parse_branch_config(BRANCH_TOML, "demo-branch.toml"))
    demo_morning(store, clock)
    settings = attempt(
        store,
        BRANCH,
        lambda uow: read_kiosk_settings(
            uow, KioskOptions("lobi-1", hidden_services=frozenset({"WAWANCARA"}))
        ),
    )
    printer = VirtualPrinter(folder / f"tickets-{orientation}", 80)
    tr = Translator("id")
    desk = TicketDesk(store, settings, printer, NoBookingDesk())
    flow = KioskFlow(desk, ImmediateRunner(), settings, tr)
    width, height = SIZES[orientation]
    window = KioskWindow(
        flow, ServiceOfferModel(tr), look_for(orientation, width, height), wall_clock=clock.now
    )
    window.setFixedSize(width, height)
    window.show()
    flow.start()
    saved: list[Path] = []

    def shot(name: str) -> None:
        window.show_time()  # the store's clock, which the wall clock timer does not follow
        QApplication.processEvents()
        path = OUT / f"kiosk-{name}-{width}x{height}.png"
        window.grab().save(str(path))
        saved.append(path)

    shot("home")
    flow.set_language("en")
    shot("home-english")
    flow.set_language("id")
    flow.go_priority()
    shot("priority")
    flow.go_home()
    flow.choose_service("JHT")
    shot("documents")
    flow.show(Screen.BUSY)
    shot("busy")
    flow.take_ticket()
    shot("result")
    flow.go_home()
    desk.printer = PaperRunsOut(folder / "jammed", 80)
    flow.choose_service("JKM")
    flow.take_ticket()
    shot("result-not-printed")
    flow.go_home()
    shot("home-printer-down")
    desk.printer = printer  # a new roll
    flow.check_printer()
    flow.choose_service("INFO")
    shot("refused")
    flow.go_home()
    flow.go_check_in("BK-7Q2X")
    flow.check_in("BK-7Q2X")
    shot("check-in")
    flow.maintenance.open_door()
    shot("pin")
    flow.maintenance.log_in("sri", "SRI-9999")
    shot("maintenance")
    flow.maintenance.set_accepting(False)
    flow.go_home()
    shot("home-closed")
    flow.maintenance.set_accepting(True)
    clock.set(MONDAY.replace(hour=14, minute=25))
    flow.refresh_offer()
    flow.go_home()
    shot("home-late")
    flow.choose_service("JHT")  # refused for capacity: a slot another day instead
    shot("reservation-offer")
    flow.take_reservation()
    shot("reservation")
    flow.stop()
    window.close()
    store.dispose()
    return saved


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as folder:
        for orientation in ("portrait", "landscape"):
            for path in render(orientation, Path(folder)):
                print(path.relative_to(ROOT))
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
