"""The supervisor's board: every counter, missed visitors, kiosk alerts, demand vs capacity,
and the supervisor's actions on them. Only built for a supervisor (the engine checks too)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QObject

from counter.link import StoreLink
from counter.live import LiveState
from shared.domain.states import Role
from shared.services import counters, roster, serving
from shared.services.alerts import Alert, branch_alerts
from shared.services.demand import DemandOutlook, demand_outlook
from shared.services.officers import OfficerView
from shared.services.supervision import BoardView, board_view
from shared.store.unit_of_work import UnitOfWork

# The roster shown: today and the days ahead a supervisor plans for.
ROSTER_DAYS = 7

BoardRead = tuple[BoardView, DemandOutlook, tuple[roster.RosterLine, ...], tuple[Alert, ...]]


def _read_board(uow: UnitOfWork) -> BoardRead:
    today = uow.local_now().date()
    return (
        board_view(uow),
        demand_outlook(uow),
        roster.roster(uow, today, today + timedelta(days=ROSTER_DAYS - 1)),
        branch_alerts(uow),
    )


class Board(LiveState):
    def __init__(
        self, link: StoreLink, supervisor: OfficerView, parent: QObject | None = None
    ) -> None:
        if not supervisor.role.at_least(Role.SUPERVISOR):
            raise PermissionError(f"{supervisor.login} is not a supervisor")
        super().__init__(link, _read_board, parent)
        self.supervisor = supervisor
        self.view: BoardView | None = None
        self.demand: DemandOutlook | None = None
        self.roster: tuple[roster.RosterLine, ...] = ()
        self.warnings: tuple[Alert, ...] = ()

    def accept(self, result: BoardRead) -> datetime:
        self.view, self.demand, self.roster, self.warnings = result
        return self.view.at

    @property
    def can_act(self) -> bool:
        return self.link.online and not self.link.busy and self.view is not None

    # -- counters --------------------------------------------------------------------------
    def open_counter(self, number: int) -> bool:
        """Opens it under the supervisor's own name (covering for an absent officer)."""
        me = self.supervisor.id
        return self.send("open", lambda uow, _: counters.open_counter(uow, number, me))

    def pause_counter(self, number: int, reason: str) -> bool:
        me = self.supervisor.id
        return self.send("pause", lambda uow, _: counters.pause_counter(uow, number, me, reason))

    def resume_counter(self, number: int) -> bool:
        me = self.supervisor.id
        return self.send("resume", lambda uow, _: counters.resume_counter(uow, number, me))

    def close_counter(self, number: int) -> bool:
        me = self.supervisor.id
        return self.send("close", lambda uow, _: counters.close_counter(uow, number, me))

    def assign_services(self, number: int, codes: list[str]) -> bool:
        me = self.supervisor.id
        return self.send(
            "services", lambda uow, _: counters.assign_services(uow, number, me, codes)
        )

    # -- tickets ---------------------------------------------------------------------------
    def reinstate(self, label: str) -> bool:
        me = self.supervisor.id
        return self.send(
            "reinstate", lambda uow, rid: serving.reinstate(uow, me, label, request_id=rid)
        )

    def cancel(self, label: str, reason: str) -> bool:
        me = self.supervisor.id
        return self.send(
            "cancel", lambda uow, rid: serving.cancel(uow, me, label, reason, request_id=rid)
        )

    # -- the roster ------------------------------------------------------------------------
    def add_absence(
        self, number: int, day: date, start: time, end: time, reason: str, note: str
    ) -> bool:
        me = self.supervisor.id
        return self.send(
            "roster_add",
            lambda uow, _: roster.add_absence(uow, number, day, start, end, reason, note, by=me),
        )

    def remove_absence(self, entry_id: int) -> bool:
        me = self.supervisor.id
        return self.send("roster_remove",
                         lambda uow, _: roster.remove_absence(uow, entry_id, by=me))
