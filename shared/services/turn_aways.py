"""Every visitor the kiosk turns away, counted: the branch's and the region's "ditolak".

A refusal leaves no ticket behind, and the capacity rule's own events say only when a service
closed and reopened, not how many people were sent away meanwhile. The kiosk writes one
`service.turned_away` event each time it tells a visitor "not today" (whatever it then offers),
so the report and the regional board can count them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from shared.services.access import check_text, load_service
from shared.store.models import Event
from shared.store.unit_of_work import UnitOfWork

TURNED_AWAY = "service.turned_away"


def note_turned_away(uow: UnitOfWork, service_code: str, reason: str, kiosk: str) -> None:
    """Record that the kiosk refused a visitor `service_code` for `reason` (the refusal's
    state: capacity, full, unserved, closed...), and commit."""
    service = load_service(uow, service_code)
    reason = check_text(reason, "reason", 24, required=True)
    kiosk = check_text(kiosk, "kiosk name", 40)
    uow.record(TURNED_AWAY, service_id=service.id, detail=f"{reason} at {kiosk}")
    uow.commit()


def turned_away_between(uow: UnitOfWork, start: datetime, end: datetime) -> int:
    """Visitors turned away at the branch's kiosks from `start` until before `end`."""
    count = uow.session.scalar(
        select(func.count()).select_from(Event).where(
            Event.branch_id == uow.branch_id, Event.kind == TURNED_AWAY,
            Event.at >= start, Event.at < end,
        )
    )
    return int(count or 0)
