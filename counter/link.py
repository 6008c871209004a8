"""The counter's one way to the store: reads, actions sent once, and the connection's state.

Every action gets a request id when the button is pressed. If the store cannot be reached,
the action is kept with that id and sent again, once, when the connection is back: the
engine recognises the id, so an action whose first try did reach the store is not applied
twice. While the link is offline every action is refused at the door (the screen disables
them) and a light probe — only while offline — finds out when the store is back; the change
watcher's own reconnection says so too.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.domain.errors import DomainError
from shared.qt.changes import ChangeSignals
from shared.qt.operations import Runner
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Work = Callable[[UnitOfWork, str], Any]  # (unit of work, request id) -> result
PROBE_MILLISECONDS = 2000


def lost_connection(error: BaseException) -> bool:
    """Errors that mean "the store is out of reach", not "the request was wrong"."""
    if isinstance(error, (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


@dataclass
class _Pending:
    name: str
    work: Work
    request_id: str
    on_done: Callable[[Any], None]
    on_refused: Callable[[DomainError], None]


class StoreLink(QObject):
    online_changed = Signal(bool)
    busy_changed = Signal(bool)
    failed = Signal(str)  # an unexpected error, already logged: the screen says so

    def __init__(
        self,
        store: Store,
        branch_code: str,
        runner: Runner,
        changes: ChangeSignals | None = None,
        probe_milliseconds: int = PROBE_MILLISECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.branch_code = branch_code
        self._runner = runner
        self.online = True
        self.busy = False
        self._pending: _Pending | None = None
        self._probing = False
        self._probe = QTimer(self)
        self._probe.setInterval(probe_milliseconds)
        self._probe.timeout.connect(self._send_probe)
        if changes is not None:
            changes.connection_lost.connect(self.connection_lost)
            changes.reconnected.connect(self.connection_back)

    # -- reads and actions -----------------------------------------------------------------
    def read(
        self,
        work: Callable[[UnitOfWork], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[], None] | None = None,
    ) -> None:
        """A read in its own transaction; a failure other than the connection is a bug."""

        def run() -> Any:
            return attempt(self.store, self.branch_code, work, read_only=True)

        def failed(error: BaseException) -> None:
            self._read_failed(error)
            if on_failed is not None:
                on_failed()

        self._runner.run(run, on_done, failed)

    def fetch(
        self,
        work: Callable[[UnitOfWork], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """A read someone asked for (today's report), whose failure the screen explains: a
        lost connection still takes the link offline, but any error goes to `on_error`."""

        def run() -> Any:
            return attempt(self.store, self.branch_code, work, read_only=True)

        def failed(error: BaseException) -> None:
            if lost_connection(error):
                self.connection_lost()
            log.warning("a requested read failed", exc_info=error)
            on_error(error)

        self._runner.run(run, on_done, failed)

    def on_this_pc(self, work: Callable[[], Any]) -> None:
        """Work that does not touch the store (a file on this PC), on the worker all the same:
        a profile folder on a slow or network drive must not hold the screen."""
        self._runner.run(work)

    def act(
        self,
        name: str,
        work: Work,
        on_done: Callable[[Any], None],
        on_refused: Callable[[DomainError], None],
    ) -> bool:
        """Send one action with a fresh request id; False if it cannot be sent now."""
        if not self.online or self.busy:
            return False
        self._send(_Pending(name, work, uuid.uuid4().hex, on_done, on_refused))
        return True

    @property
    def pending_action(self) -> str | None:
        """The action that waits for the connection to come back, if any."""
        return self._pending.name if self._pending else None

    def _send(self, pending: _Pending) -> None:
        self._set_busy(True)

        def run() -> Any:
            return attempt(
                self.store, self.branch_code, lambda uow: pending.work(uow, pending.request_id)
            )

        def done(result: Any) -> None:
            self._pending = None
            self._set_busy(False)
            pending.on_done(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if isinstance(error, DomainError):
                self._pending = None
                pending.on_refused(error)
            elif lost_connection(error):
                log.warning("%s could not reach the store: %s", pending.name, error)
                self._pending = pending  # sent again, with the same request id, when back
                self.connection_lost()
            else:
                self._pending = None
                self._unexpected(error)

        self._runner.run(run, done, failed)

    def _read_failed(self, error: BaseException) -> None:
        if lost_connection(error):
            log.warning("reading the store failed: %s", error)
            self.connection_lost()
        else:
            self._unexpected(error)

    def _unexpected(self, error: BaseException) -> None:
        log.error("unexpected error at the counter", exc_info=error)
        self.failed.emit(f"{type(error).__name__}: {error}")

    # -- connection state ------------------------------------------------------------------
    def connection_lost(self) -> None:
        if not self._probe.isActive():
            self._probe.start()
        if self.online:
            self.online = False
            self.online_changed.emit(False)

    def connection_back(self) -> None:
        self._probe.stop()
        if not self.online:
            self.online = True
            self.online_changed.emit(True)
        if self._pending is not None and not self.busy:
            self._send(self._pending)

    def _send_probe(self) -> None:
        if self._probing:
            return
        self._probing = True

        def run() -> Any:
            return attempt(self.store, self.branch_code, lambda uow: uow.branch_id, read_only=True)

        def answered(_: Any) -> None:
            self._probing = False
            self.connection_back()

        def unanswered(error: BaseException) -> None:
            self._probing = False
            log.info("store still out of reach: %s", error)

        self._runner.run(run, answered, unanswered)

    def _set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def stop(self) -> None:
        self._probe.stop()
