"""Maintenance behind the hidden door: supervisor login, printer test, reprint, close/open."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kiosk.printer_health import PrinterHealth, health_of
from kiosk.screens import Screen
from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.printing.printers import PrinterProblem

if TYPE_CHECKING:
    from kiosk.flow import KioskFlow

log = logging.getLogger(__name__)


class Maintenance(QObject):
    pin_refused = Signal()
    message = Signal(object)  # Wording, or None to clear
    busy = Signal(bool)
    quit_requested = Signal()

    def __init__(self, flow: KioskFlow) -> None:
        super().__init__(flow)
        self.flow = flow

    def open_door(self) -> None:
        if not self.flow.busy:
            self.flow.show(Screen.PIN)

    def log_in(self, login: str, pin: str) -> None:
        kiosk_pin = self.flow.settings.kiosk.maintenance_pin
        if kiosk_pin:
            if hmac.compare_digest(pin.encode(), kiosk_pin.encode()):
                self._open_maintenance(None)
            else:
                self.pin_refused.emit()
            return
        desk = self.flow.desk
        self.flow.runner.run(lambda: desk.authenticate_supervisor(login, pin),
                             self._open_maintenance, self._login_failed)

    def _open_maintenance(self, _officer: Any) -> None:
        self.message.emit(None)
        self.flow.show(Screen.MAINTENANCE)
        self.flow.check_printer()

    def _login_failed(self, error: BaseException) -> None:
        if not isinstance(error, AuthenticationFailed | NotAllowed):
            log.error("supervisor login failed: %s", error, exc_info=error)
        self.pin_refused.emit()

    def print_test(self) -> None:
        desk, tr = self.flow.desk, self.flow.tr_
        language, title = tr.language, tr("kiosk.maintenance.test_title")
        self._maintain(lambda: desk.reprint(desk.test_page(language, title)), "TES")

    def reprint_last(self) -> None:
        slip = self.flow.last_slip
        if slip is None:
            self.message.emit(lambda tr: tr("kiosk.maintenance.no_last"))
            return
        self._maintain(lambda: self.flow.desk.reprint(slip), slip.label)

    def _maintain(self, work: Callable[[], PrinterHealth], label: str) -> None:
        self.busy.emit(True)

        def printed(health: PrinterHealth) -> None:
            self.busy.emit(False)
            self.flow.set_health(health)
            self.message.emit(lambda tr: tr("kiosk.maintenance.printed", label=label))

        def failed(error: BaseException) -> None:
            self.busy.emit(False)
            if isinstance(error, PrinterProblem):
                self.flow.set_health(health_of(error))
                self.message.emit(lambda tr: tr(
                    "kiosk.maintenance.failed", advice=error.staff_message(tr.language)))
                return
            log.error("maintenance action failed: %s", error, exc_info=error)
            self.message.emit(lambda tr: tr("kiosk.error.system"))

        self.flow.runner.run(work, printed, failed)

    def set_accepting(self, accepting: bool) -> None:
        def done(_value: bool) -> None:
            self.flow.accepting = accepting
            self.flow.status_changed.emit()

        def failed(error: BaseException) -> None:
            # The kiosk obeys the supervisor even when the store cannot be told.
            log.error("could not record the kiosk state: %s", error, exc_info=error)
            done(accepting)
            self.message.emit(lambda tr: tr("kiosk.error.system"))

        self.flow.runner.run(lambda: self.flow.desk.set_accepting(accepting), done, failed)
