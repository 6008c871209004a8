"""The optional step after a ticket: "Kirim kabar ke HP?" — a mobile number for SMS or WhatsApp
about it, through the same opt-in as the phone page (shared.services.notifications).

Nothing here stands between the tap and the print: the step is offered on the result screen
once the ticket is out, one tap skips it, and the store is asked on the runner's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from shared.domain.booking import BookingRefused, check_phone
from shared.domain.errors import DomainError
from shared.i18n import Translator, explain
from shared.qt.operations import Runner
from shared.services.notifications import channels_offered, subscribe
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
Wording = Callable[[Translator], str]
PHONE_CHANNELS = ("sms", "whatsapp")


class PhoneMessages(QObject):
    offered_changed = Signal(bool)  # whether the branch sends messages to a number
    saved = Signal(object)  # Wording: what the visitor is told
    refused = Signal(object)  # Wording: why not, the number stays on screen

    def __init__(self, store: Store, branch_code: str, runner: Runner,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.branch_code = branch_code
        self.runner = runner
        self.channel: str | None = None  # the branch's first way to a number
        self.sending = False

    def read_offer(self) -> None:
        self.runner.run(self._phone_channel, self._offer_read, self._offer_failed)

    def _phone_channel(self) -> str | None:
        offered = attempt(self.store, self.branch_code, channels_offered, read_only=True)
        return next((c for c in PHONE_CHANNELS if c in offered), None)

    def _offer_read(self, channel: str | None) -> None:
        self.channel = channel
        self.offered_changed.emit(channel is not None)

    def _offer_failed(self, error: BaseException) -> None:
        log.error("could not read the branch's message channels: %s", error, exc_info=error)

    def send(self, token: str, typed: str, language: str) -> None:
        """Opt the ticket in; `saved` or `refused` follows."""
        channel = self.channel
        if channel is None or self.sending:
            return
        try:
            number = check_phone(typed)  # an Indonesian mobile number, as on the booking form
        except BookingRefused:
            self.refused.emit(lambda tr: tr("kiosk.phone.bad_number"))
            return
        self.sending = True

        def opt_in(uow: UnitOfWork) -> None:
            subscribe(uow, token, channel, number, language)

        self.runner.run(lambda: attempt(self.store, self.branch_code, opt_in),
                        self._saved, self._not_saved)

    def _saved(self, _result: object) -> None:
        self.sending = False
        channel = self.channel or "sms"
        self.saved.emit(lambda tr: tr("kiosk.phone.saved",
                                      channel=tr(f"web.optin.channel.{channel}")))

    def _not_saved(self, error: BaseException) -> None:
        self.sending = False
        if isinstance(error, DomainError):
            self.refused.emit(lambda tr: explain(tr, error))
            return
        log.error("could not save the number for messages: %s", error, exc_info=error)
        self.refused.emit(lambda tr: tr("kiosk.phone.failed"))
