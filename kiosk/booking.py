"""Checking in an online booking at the kiosk, behind one narrow interface.

A branch that takes bookings (`[booking] enabled`) gives the kiosk the store's
`StoreBookingDesk`; one that does not gives it `NoBookingDesk`, and the kiosk tells the visitor
so plainly instead of pretending.
"""

from __future__ import annotations

from typing import Protocol

from shared.domain.errors import DomainError
from shared.services.views import TicketView
from shared.store.unit_of_work import UnitOfWork

MAX_CODE_LENGTH = 200  # a scanned link is longer than a typed code, but not by much


class BookingUnavailable(DomainError):
    """This branch takes no online bookings (yet)."""


class BookingDesk(Protocol):
    def check_in(
        self, uow: UnitOfWork, code: str, *, kiosk: str, request_id: str
    ) -> TicketView:
        """The ticket for the booking with this code (typed, or scanned from its QR).

        Raises `NotFound` for an unknown code, `IssuingClosed` when it is too early or too
        late, `BookingUnavailable` when the branch has no bookings. One ticket per request id.
        """
        ...


class NoBookingDesk:
    """The desk of a branch without online booking."""

    def check_in(
        self, uow: UnitOfWork, code: str, *, kiosk: str, request_id: str
    ) -> TicketView:
        raise BookingUnavailable("this branch takes no online bookings")


def clean_code(text: str) -> str:
    """What a scanner or a finger typed, without stray whitespace and bounded in length."""
    return "".join(text.split())[:MAX_CODE_LENGTH]
