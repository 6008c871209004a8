"""The branch's hours as stored with its config: opening, issuing per service, holidays."""

from __future__ import annotations

from datetime import date

from shared.domain.calendar import WeekHours
from shared.store.models import Service
from shared.store.unit_of_work import UnitOfWork


def branch_holidays(uow: UnitOfWork) -> list[date]:
    raw = uow.branch.settings.get("branch", {}).get("holidays", [])
    return [date.fromisoformat(str(d)) for d in raw]


def opening_hours(uow: UnitOfWork) -> WeekHours:
    return uow.branch.settings.get("branch", {}).get("opening_hours", {})


def issuing_hours(uow: UnitOfWork, service: Service) -> WeekHours:
    return service.details.get("issuing_hours") or opening_hours(uow)


def closing_margin_seconds(uow: UnitOfWork) -> float:
    return 60.0 * float(uow.branch.settings.get("queue", {}).get("closing_margin_minutes", 10))
