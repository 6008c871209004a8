"""What a screen shows, read again on every change, and the actions that change it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter.link import StoreLink
from counter.store_clock import StoreClock
from shared.domain.errors import DomainError
from shared.store.unit_of_work import Change, UnitOfWork


class CoalescingReader:
    """`refresh()` starts a read, or, while one runs, asks for exactly one more after it:
    a burst of twenty change events costs two reads, and the last one sees them all."""

    def __init__(
        self,
        link: StoreLink,
        work: Callable[[UnitOfWork], Any],
        on_loaded: Callable[[Any], None],
    ) -> None:
        self._link = link
        self._work = work
        self._on_loaded = on_loaded
        self._reading = False
        self._again = False

    def refresh(self) -> None:
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._link.read(self._work, self._loaded, self._failed)

    def _loaded(self, result: Any) -> None:
        self._reading = False
        self._on_loaded(result)
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self) -> None:
        # The link went offline; its return triggers a fresh read.
        self._reading = self._again = False


class LiveState(QObject):
    """The desk's or the board's state: `accept()` keeps each read, `send()` acts.

    Slots are bound methods, not lambdas: Qt drops them when this object goes (at sign-out),
    while the link lives on.
    """

    view_changed = Signal()  # the state, or what may be done now, changed
    refused = Signal(object)  # the engine said no (a DomainError): the screen shows why

    def __init__(
        self, link: StoreLink, read: Callable[[UnitOfWork], Any], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.link = link
        self.clock = StoreClock()
        self._reader = CoalescingReader(link, read, self._loaded)
        link.online_changed.connect(self._online_changed)
        link.busy_changed.connect(self._busy_changed)

    def accept(self, result: Any) -> datetime:
        """Keep what was read; return the store's instant it was read at."""
        raise NotImplementedError

    def refresh(self, *_changes: list[Change]) -> None:
        self._reader.refresh()

    def now(self) -> datetime:
        return self.clock.now()

    def send(
        self,
        name: str,
        work: Callable[[UnitOfWork, str], Any],
        then: Callable[[Any], None] | None = None,
    ) -> bool:
        """One action (see StoreLink.act); the state is read again after it."""

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.refresh()

        return self.link.act(name, work, done, self._refused)

    def _loaded(self, result: Any) -> None:
        self.clock.sync(self.accept(result))
        self.view_changed.emit()

    def _refused(self, error: DomainError) -> None:
        self.refused.emit(error)
        self.refresh()

    def _busy_changed(self, _busy: bool) -> None:
        self.view_changed.emit()

    def _online_changed(self, online: bool) -> None:
        if online:
            self.refresh()
        self.view_changed.emit()
