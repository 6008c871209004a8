"""The branch's hours as stored with its config: opening, issuing per service, holidays."""

from __future__ import annotations

from datetime import date

from shared.domain.calendar import WeekHours
from shared.store.models import Service
from shared.store.service_settings import service_settings
from shared.store.unit_of_work import UnitOfWork


def branch_holidays(uow: UnitOfWork) -> list[date]:
    return uow.settings.branch.holidays


def opening_hours(uow: UnitOfWork) -> WeekHours:
    # The weekday -> ["HH:MM", "HH:MM"] form the calendar functions read.
    hours: WeekHours = uow.settings.branch.opening_hours.model_dump(mode="json")
    return hours


def issuing_hours(uow: UnitOfWork, service: Service) -> WeekHours:
    own = service_settings(service).issuing_hours
    if own is None:  # tickets whenever the branch is open
        return opening_hours(uow)
    hours: WeekHours = own.model_dump(mode="json")
    return hours


def closing_margin_seconds(uow: UnitOfWork) -> float:
    return 60.0 * uow.settings.queue.closing_margin_minutes
