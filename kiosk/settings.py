"""The kiosk's settings: its branch's validated config sections and its own start-up options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from platformdirs import user_data_dir

from shared.config import KioskConfig, PrinterConfig, QueueRules, ServiceConfig
from shared.config.booking import BookingRules
from shared.i18n import Language
from shared.printing.printers import TicketPrinter, VirtualPrinter, make_printer
from shared.services.service_outlook import hidden_at_kiosk
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class KioskSettings:
    branch_code: str
    branch_name: str
    kiosk_name: str
    timezone: ZoneInfo
    printer: PrinterConfig
    queue: QueueRules
    kiosk: KioskConfig
    services: dict[str, ServiceConfig]
    booking: BookingRules = field(default_factory=BookingRules)
    hidden_services: frozenset[str] = frozenset()
    printer_dir: Path | None = None  # set: print to a virtual printer in this folder
    # Milliseconds; tests shorten them, the config gives them in seconds.
    idle_ms: int = 20_000
    result_ms: int = 10_000
    # The printer's health check, from [printer] health_check_seconds (declared there).
    printer_recheck_ms: int = int(PrinterConfig.model_fields["health_check_seconds"].default
                                  * 1000)

    @property
    def languages(self) -> tuple[Language, ...]:
        return tuple(self.kiosk.languages)

    @property
    def screen_only_tickets(self) -> bool:
        return self.queue.screen_only_tickets

    @property
    def paper_mm(self) -> int:
        return self.printer.paper_mm


@dataclass(frozen=True)
class KioskOptions:
    """What the command line adds to the branch's settings."""

    kiosk_name: str
    printer_dir: Path | None = None
    hidden_services: frozenset[str] = field(default_factory=frozenset)


def read_kiosk_settings(uow: UnitOfWork, options: KioskOptions) -> KioskSettings:
    """The branch's stored settings as the unit of work validated them (ConfigError names the
    key that is wrong)."""
    settings = uow.settings
    kiosk = settings.kiosk
    return KioskSettings(
        branch_code=uow.branch.code,
        branch_name=uow.branch.name,
        kiosk_name=options.kiosk_name,
        timezone=uow.zone,
        printer=settings.printer,
        queue=settings.queue,
        kiosk=kiosk,
        services={service.code: service for service in settings.services},
        booking=settings.booking,
        hidden_services=options.hidden_services | hidden_at_kiosk(settings),
        printer_dir=options.printer_dir,
        idle_ms=kiosk.idle_seconds * 1000,
        result_ms=kiosk.result_seconds * 1000,
        printer_recheck_ms=int(settings.printer.health_check_seconds * 1000),
    )


def default_ticket_folder() -> Path:
    return Path(user_data_dir("antrean", appauthor=False)) / "tickets"


def make_kiosk_printer(settings: KioskSettings) -> TicketPrinter:
    """The printer the settings describe; `printer_dir` forces the virtual printer there."""
    config = settings.printer
    if settings.printer_dir is not None:
        return VirtualPrinter(settings.printer_dir, config.paper_mm)
    return make_printer(config, output_dir=str(default_ticket_folder()))
