"""A booking's opt-ins as its page shows them, and the visitor withdrawing them.

Opting in is `shared.services.notifications.subscribe_booking`. Until check-in the booking code
is the only proof of who owns a subscription; at check-in they follow the ticket (migration
0010), whose page then lists them. Nothing here reads an address.
"""

from __future__ import annotations

from sqlalchemy import select

from shared.domain.booking import normalise_code
from shared.domain.errors import NotFound
from shared.services.notifications import Subscription
from shared.store.models import Booking, NotificationSubscription
from shared.store.unit_of_work import UnitOfWork


def _booking_id(uow: UnitOfWork, code: str) -> int:
    found = uow.session.scalar(
        select(Booking.id).where(Booking.branch_id == uow.branch_id,
                                 Booking.code == normalise_code(code)[:40])
    )
    if found is None:
        raise NotFound("there is no booking with this code")
    return found


def _live(uow: UnitOfWork, booking_id: int) -> list[NotificationSubscription]:
    return list(uow.session.scalars(
        select(NotificationSubscription).where(
            NotificationSubscription.branch_id == uow.branch_id,
            NotificationSubscription.booking_id == booking_id,
            NotificationSubscription.purged_at.is_(None),
        ).order_by(NotificationSubscription.id)
    ))


def booking_subscriptions(uow: UnitOfWork, code: str) -> list[Subscription]:
    """The booking's live subscriptions, oldest first."""
    return [
        Subscription(row.id, row.channel, row.language, row.consented_at, row.ticket_id,
                     row.booking_id)
        for row in _live(uow, _booking_id(uow, code))
    ]


def unsubscribe_booking(uow: UnitOfWork, code: str) -> int:
    """Withdraw every live subscription of the booking (and of its ticket, if checked in):
    the addresses are erased at once; what is still queued for them is dropped by the
    worker. Returns how many were withdrawn. Commits."""
    rows = _live(uow, _booking_id(uow, code))
    now = uow.now()
    for row in rows:
        row.address, row.purged_at = "", now
    uow.commit()
    return len(rows)
