"""The promise-kept rate: the share of visitors called inside the window printed on their
ticket, per service, for a business day.

A visitor counts once their promise is decided: called (inside the window or not, early calls
break it too), or not called by the window's end. Those still waiting inside their window are
not counted yet, so the rate is honest in the middle of the day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from shared.store.models import Service, Ticket
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class PromiseKept:
    kept: int
    decided: int

    @property
    def rate(self) -> float | None:
        return self.kept / self.decided if self.decided else None


NONE_DECIDED = PromiseKept(0, 0)


def kept_or_not(
    issued_at: datetime,
    low_seconds: float,
    high_seconds: float,
    first_called_at: datetime | None,
    now: datetime,
) -> bool | None:
    """Whether the printed window was kept; None while it is still open for this visitor."""
    start = issued_at + timedelta(seconds=low_seconds)
    end = issued_at + timedelta(seconds=high_seconds)
    if first_called_at is None:
        return None if now <= end else False
    return start <= first_called_at <= end


def promises_kept(uow: UnitOfWork, day: date | None = None) -> dict[int, PromiseKept]:
    """Per service id (the service the ticket was issued for), on `day` (default today)."""
    day = day or uow.local_now().date()
    now = uow.now()
    rows = uow.session.execute(
        select(
            Ticket.issued_service_id,
            Ticket.issued_at,
            Ticket.window_low_seconds,
            Ticket.window_high_seconds,
            Ticket.first_called_at,
        ).where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == day,
            Ticket.window_low_seconds.is_not(None),
            Ticket.window_high_seconds.is_not(None),
        )
    )
    kept: dict[int, int] = defaultdict(int)
    decided: dict[int, int] = defaultdict(int)
    for service_id, issued_at, low, high, called in rows:
        if low is None or high is None:
            continue  # not estimated at issue (the query leaves them out)
        verdict = kept_or_not(issued_at, low, high, called, now)
        if verdict is not None:
            decided[service_id] += 1
            kept[service_id] += verdict
    services = uow.session.scalars(
        select(Service.id).where(Service.branch_id == uow.branch_id)
    ).all()
    return {sid: PromiseKept(kept[sid], decided[sid]) for sid in services}


def branch_promise_kept(uow: UnitOfWork, day: date) -> PromiseKept:
    """The whole branch's rate on `day` (e.g. yesterday's, for the lobby)."""
    per_service = promises_kept(uow, day).values()
    return PromiseKept(sum(p.kept for p in per_service), sum(p.decided for p in per_service))
