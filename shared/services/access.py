"""Who may do what, and where: the checks every counter action starts with."""

from __future__ import annotations

from sqlalchemy import select

from shared.domain.errors import NotAllowed, NotFound
from shared.domain.states import Role
from shared.domain.text import has_unprintable
from shared.store.models import Counter, Officer, Service
from shared.store.unit_of_work import UnitOfWork


def load_officer(uow: UnitOfWork, officer_id: int) -> Officer:
    officer = uow.session.get(Officer, officer_id)
    if officer is None or officer.branch_id != uow.branch_id or not officer.active:
        raise NotAllowed("this officer is unknown or disabled; log in again", key="officer_unknown")
    return officer


def require_role(officer: Officer, role: Role, action: str) -> None:
    if not Role(officer.role).at_least(role):
        raise NotAllowed(f"only a {role.value} may {action}", key="role_required", role=role)


def load_counter(uow: UnitOfWork, number: int, lock: bool = False) -> Counter:
    query = select(Counter).where(
        Counter.branch_id == uow.branch_id, Counter.number == number, Counter.active.is_(True)
    )
    if lock and uow.store.dialect == "postgresql":
        # Serialises actions on one counter only; other counters never wait on it.
        query = query.with_for_update()
    counter = uow.session.scalar(query)
    if counter is None:
        raise NotFound(f"there is no counter {number} in this branch", key="counter_unknown",
                       number=number)
    return counter


def counter_for_officer(
    uow: UnitOfWork, number: int, officer_id: int, lock: bool = True
) -> tuple[Counter, Officer]:
    """The counter, checked to be staffed by this officer (or acted on by a supervisor)."""
    officer = load_officer(uow, officer_id)
    counter = load_counter(uow, number, lock=lock)
    if counter.officer_id != officer.id and not Role(officer.role).at_least(Role.SUPERVISOR):
        raise NotAllowed(f"counter {number} is not open under your name", key="counter_not_yours",
                         number=number)
    return counter, officer


def load_service(uow: UnitOfWork, code: str) -> Service:
    service = None
    if not has_unprintable(code):  # a NUL byte in a query fails on PostgreSQL
        service = uow.session.scalar(
            select(Service).where(Service.branch_id == uow.branch_id, Service.code == code)
        )
    if service is None or not service.active:
        raise NotFound(f"there is no service {code[:40]!r} in this branch")
    return service


def served_service_ids(counter: Counter) -> list[int]:
    return [a.service_id for a in counter.assignments]


def check_text(value: str, what: str, limit: int, required: bool = False) -> str:
    """Free text from a user: trimmed, bounded, and refused plainly when too long or when it
    holds control characters (a NUL byte cannot even be stored on PostgreSQL)."""
    value = value.strip()
    if required and not value:
        raise NotAllowed(f"{what} is required")
    if len(value) > limit:
        raise NotAllowed(f"{what} is too long ({len(value)} characters; at most {limit})")
    if has_unprintable(value):
        raise NotAllowed(f"{what} may not hold control characters")
    return value
