"""The branch's booking settings as stored, and the bookings that still hold a place today."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from shared.config.booking import BookingRules, WebSettings
from shared.domain.states import BookingState
from shared.store.models import Booking
from shared.store.unit_of_work import UnitOfWork


def booking_rules(uow: UnitOfWork) -> BookingRules:
    return uow.settings.booking


def web_settings(uow: UnitOfWork) -> WebSettings:
    return uow.settings.web


def pending_bookings(uow: UnitOfWork, service_id: int, business_date: date) -> int:
    """Bookings of the day that can still be checked in: places walk-ins must leave."""
    late = timedelta(minutes=booking_rules(uow).checkin_late_minutes)
    return int(
        uow.session.scalar(
            select(func.count()).where(
                Booking.branch_id == uow.branch_id,
                Booking.service_id == service_id,
                Booking.business_date == business_date,
                Booking.state == BookingState.BOOKED,
                Booking.slot_end > uow.now() - late,
            )
        )
        or 0
    )
