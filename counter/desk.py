"""One officer at one counter: the latest desk view, and every action the officer can take."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter.actions import Action, enabled_actions
from counter.link import StoreLink
from counter.live import LiveState
from shared.services import calling, counters, serving
from shared.services.desk import DeskView, desk_view
from shared.services.officers import OfficerView
from shared.store.unit_of_work import UnitOfWork

Work = Callable[[UnitOfWork, int, int, str], Any]  # (uow, counter, officer, request id)


class Desk(LiveState):
    nobody_waiting = Signal()  # call next found nobody

    def __init__(
        self,
        link: StoreLink,
        counter_number: int,
        officer: OfficerView,
        parent: QObject | None = None,
    ) -> None:
        number, viewer = counter_number, officer.id
        super().__init__(link, lambda uow: desk_view(uow, number, viewer), parent)
        self.counter_number = counter_number
        self.officer = officer
        self.view: DeskView | None = None

    def accept(self, result: DeskView) -> datetime:
        self.view = result
        return result.at

    def enabled(self) -> frozenset[Action]:
        return enabled_actions(
            self.view, self.officer.id, online=self.link.online, busy=self.link.busy
        )

    def _at_counter(
        self, action: Action, work: Work, then: Callable[[Any], None] | None = None
    ) -> bool:
        n, me = self.counter_number, self.officer.id
        return self.send(action.value, lambda uow, rid: work(uow, n, me, rid), then)

    # -- the visitor -----------------------------------------------------------------------
    def call_next(self) -> bool:
        def found(ticket: object) -> None:
            if ticket is None:
                self.nobody_waiting.emit()

        return self._at_counter(Action.CALL_NEXT, calling.call_next, found)

    def recall(self) -> bool:
        return self._at_counter(Action.RECALL, calling.recall)

    def start(self) -> bool:
        return self._at_counter(Action.START, serving.start)

    def finish(self, outcome: str) -> bool:
        return self._at_counter(
            Action.FINISH,
            lambda uow, n, me, rid: serving.finish(uow, n, me, outcome, request_id=rid),
        )

    def no_show(self) -> bool:
        return self._at_counter(Action.NO_SHOW, serving.no_show)

    def transfer(self, service_code: str, note: str) -> bool:
        return self._at_counter(
            Action.TRANSFER,
            lambda uow, n, me, rid: serving.transfer(uow, n, me, service_code, note, rid),
        )

    def hold(self) -> bool:
        return self._at_counter(Action.HOLD, serving.hold)

    def resume_held(self, label: str) -> bool:
        return self._at_counter(
            Action.RESUME_HELD, lambda uow, n, me, rid: serving.resume(uow, n, me, label, rid)
        )

    def call_number(self, label: str, reason: str) -> bool:
        return self._at_counter(
            Action.CALL_NUMBER,
            lambda uow, n, me, rid: calling.call_ticket(uow, n, me, label, reason, rid),
        )

    # -- the counter -----------------------------------------------------------------------
    # Counter states are idempotent in the engine (a repeat finds the state already set),
    # so these need no request id.
    def pause(self, reason: str) -> bool:
        return self._at_counter(
            Action.PAUSE, lambda uow, n, me, _: counters.pause_counter(uow, n, me, reason)
        )

    def resume_counter(self) -> bool:
        return self._at_counter(
            Action.PAUSE, lambda uow, n, me, _: counters.resume_counter(uow, n, me)
        )

    def close_counter(self) -> bool:
        return self._at_counter(
            Action.CLOSE, lambda uow, n, me, _: counters.close_counter(uow, n, me)
        )

    def open_counter(self) -> bool:
        return self._at_counter(
            Action.CLOSE, lambda uow, n, me, _: counters.open_counter(uow, n, me)
        )
