"""A whole kiosk for each test: real widgets, the real store, a real (fake-process) printer.

The runner is synchronous (`ImmediateRunner`), so a tap has done all its work, printing
included, when `qtbot.mouseClick` returns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.booking import BookingDesk, NoBookingDesk
from kiosk.desk import TicketDesk
from kiosk.flow import KioskFlow
from kiosk.look import Orientation, look_for
from kiosk.offer_model import ServiceOfferModel
from kiosk.settings import KioskOptions, KioskSettings, read_kiosk_settings
from kiosk.window import KioskWindow
from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.i18n import Translator
from shared.printing.printers import NetworkPrinter, TicketPrinter
from shared.printing.ticket import TicketSlip
from shared.qt.operations import ImmediateRunner
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from shared.store.models import Kiosk, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.support.branches import SMALL_BRANCH
from tests.support.fake_printer import FakePrinterProcess

KIOSK_NAME = "lobi-1"
PRINTER_TIMEOUT = 0.5
JHT_DOCUMENTS = """documents_id = ["KTP", "Kartu peserta BPJS Ketenagakerjaan"]
documents_en = ["Identity card (KTP)", "BPJS Ketenagakerjaan membership card"]
info_id = "Klaim JHT dilayani di loket 1-3."
info_en = "JHT claims are served at counters 1-3."
"""
# The small test branch, with a documents step for JHT (A); JKM (B) has none.
KIOSK_BRANCH = SMALL_BRANCH.replace(
    'name_en = "JHT claim"\n', 'name_en = "JHT claim"\n' + JHT_DOCUMENTS, 1
)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """SQLite for every kiosk test; those marked with BOTH_STORES run on PostgreSQL too."""
    kind = getattr(request, "param", "sqlite")
    return str(request.getfixturevalue(f"{kind}_url"))


BOTH_STORES = pytest.mark.parametrize(
    "database_url",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


@pytest.fixture
def kiosk_store(store: Store) -> Store:
    apply_branch_config(store, parse_branch_config(KIOSK_BRANCH, "kiosk-branch.toml"))
    return store


@pytest.fixture(scope="session")
def shared_printer() -> Iterator[FakePrinterProcess]:
    """One well-behaved network printer for the whole session (jobs are told apart by count)."""
    with FakePrinterProcess("ok", lifetime=900) as fake:
        yield fake


@dataclass
class Kiosk_:
    qtbot: QtBot
    store: Store
    clock: ManualClock
    settings: KioskSettings
    printer: TicketPrinter
    desk: TicketDesk
    flow: KioskFlow
    model: ServiceOfferModel
    window: KioskWindow

    def tap(self, widget: QWidget) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def tap_service(self, code: str) -> None:
        self.tap(self.window.home.grid.button(code))

    def last_slip(self) -> TicketSlip:
        """The slip of the last ticket issued: the test fails here if there is none."""
        slip = self.flow.last_slip
        assert slip is not None, "no ticket was issued"
        return slip

    def tickets(self) -> list[Ticket]:
        with UnitOfWork(self.store, "TST") as uow:
            tickets = list(uow.session.scalars(select(Ticket).order_by(Ticket.id)))
            uow.session.expunge_all()  # plain values for the test, after the session ends
            return tickets

    def kiosk_row(self) -> Kiosk | None:
        with UnitOfWork(self.store, "TST") as uow:
            row = uow.session.scalar(select(Kiosk).where(Kiosk.name == KIOSK_NAME))
            uow.session.expunge_all()
            return row

    def move_clock_to(self, hour: int, minute: int = 0) -> None:
        start = self.clock.now().astimezone(self.settings.timezone)
        self.clock.set(start.replace(hour=hour, minute=minute))
        self.flow.refresh_offer()


KioskFactory = Callable[..., Kiosk_]


def network_printer(fake: FakePrinterProcess) -> NetworkPrinter:
    return NetworkPrinter("127.0.0.1", fake.port, timeout=PRINTER_TIMEOUT)


@pytest.fixture
def make_kiosk(
    qtbot: QtBot, kiosk_store: Store, clock: ManualClock, shared_printer: FakePrinterProcess
) -> KioskFactory:
    def build(
        printer: TicketPrinter | None = None,
        orientation: Orientation = "portrait",
        bookings: BookingDesk | None = None,
        idle_ms: int = 60_000,
        result_ms: int = 60_000,
        screen_only: bool = False,
        maintenance_pin: str = "",
        hidden: frozenset[str] = frozenset(),
        recheck_ms: int = 60_000,
    ) -> Kiosk_:
        options = KioskOptions(KIOSK_NAME, hidden_services=hidden)
        with UnitOfWork(kiosk_store, "TST") as uow:
            settings = read_kiosk_settings(uow, options)
        settings = dataclasses.replace(
            settings,
            idle_ms=idle_ms,
            result_ms=result_ms,
            printer_recheck_ms=recheck_ms,
            queue=settings.queue.model_copy(update={"screen_only_tickets": screen_only}),
            kiosk=settings.kiosk.model_copy(update={"maintenance_pin": maintenance_pin}),
        )
        chosen = printer if printer is not None else network_printer(shared_printer)
        tr = Translator("id")
        desk = TicketDesk(kiosk_store, settings, chosen, bookings or NoBookingDesk())
        flow = KioskFlow(desk, ImmediateRunner(), settings, tr)
        model = ServiceOfferModel(tr)
        size = (1080, 1920) if orientation == "portrait" else (1920, 1080)
        # Half size keeps the offscreen tests light; the layout scales with it.
        window = KioskWindow(flow, model, look_for(orientation, size[0] // 2, size[1] // 2))
        window.resize(size[0] // 2, size[1] // 2)
        qtbot.addWidget(window)
        window.show()
        flow.start()
        return Kiosk_(qtbot, kiosk_store, clock, settings, chosen, desk, flow, model, window)

    return build


@pytest.fixture
def kiosk(make_kiosk: KioskFactory) -> Kiosk_:
    return make_kiosk()


def new_jobs(fake: FakePrinterProcess, before: int) -> list[bytes]:
    """Print jobs since `before` jobs; status-only connections (checks) carry no bytes."""
    return [job for job in fake.jobs()[before:] if job]


@pytest.fixture
def printed(shared_printer: FakePrinterProcess) -> Callable[[], list[bytes]]:
    """The ticket jobs the shared printer received during this test."""
    before = len(shared_printer.jobs())
    return lambda: new_jobs(shared_printer, before)
