"""Officers: argon2-hashed PINs or passwords, and the roles that gate actions."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.domain.states import Role
from shared.services.access import check_text
from shared.store.models import Officer
from shared.store.unit_of_work import UnitOfWork

_hasher = PasswordHasher()
MIN_SECRET = 4


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests and simulations use cheap ones; production never)."""
    global _hasher
    _hasher = hasher


@dataclass(frozen=True)
class OfficerView:
    id: int
    login: str
    name: str
    role: Role
    active: bool


def _view(officer: Officer) -> OfficerView:
    return OfficerView(officer.id, officer.login, officer.name, Role(officer.role), officer.active)


def _check_secret(secret: str) -> str:
    if len(secret) < MIN_SECRET:
        raise NotAllowed(f"a PIN or password needs at least {MIN_SECRET} characters")
    if len(secret) > 128:
        raise NotAllowed("a PIN or password may have at most 128 characters")
    return secret


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise NotAllowed(
            f"unknown role {role[:20]!r}; use one of " + ", ".join(r.value for r in Role)
        ) from None


def add_officer(uow: UnitOfWork, login: str, name: str, role: str, secret: str) -> OfficerView:
    login = check_text(login, "the officer id", 32, required=True)
    name = check_text(name, "the officer's name", 80, required=True)
    officer_role = _role(role)
    existing = uow.session.scalar(
        select(Officer).where(Officer.branch_id == uow.branch_id, Officer.login == login)
    )
    if existing is not None:
        raise NotAllowed(f"officer id {login!r} is taken")
    officer = Officer(
        branch_id=uow.branch_id,
        login=login,
        name=name,
        role=officer_role.value,
        secret_hash=_hasher.hash(_check_secret(secret)),
        active=True,
    )
    uow.session.add(officer)
    uow.session.flush()
    uow.record("officer.added", officer_id=officer.id, detail=f"{login} {officer_role.value}")
    view = _view(officer)
    uow.commit()
    return view


def set_secret(uow: UnitOfWork, login: str, secret: str) -> None:
    officer = _by_login(uow, login)
    if officer is None:
        raise NotAllowed(f"there is no officer {login[:32]!r}")
    officer.secret_hash = _hasher.hash(_check_secret(secret))
    uow.record("officer.secret", officer_id=officer.id)
    uow.commit()


def list_officers(uow: UnitOfWork) -> list[OfficerView]:
    rows = uow.session.scalars(
        select(Officer).where(Officer.branch_id == uow.branch_id).order_by(Officer.login)
    )
    return [_view(o) for o in rows]


def authenticate(uow: UnitOfWork, login: str, secret: str) -> OfficerView:
    """The same answer for an unknown id and a wrong PIN, so ids cannot be probed."""
    officer = _by_login(uow, login.strip()[:32])
    refusal = AuthenticationFailed("wrong officer id or PIN", key="wrong_pin")
    if officer is None or not officer.active:
        raise refusal
    try:
        _hasher.verify(officer.secret_hash, secret[:128])
    except (VerificationError, InvalidHashError):
        raise refusal from None
    return _view(officer)


def _by_login(uow: UnitOfWork, login: str) -> Officer | None:
    return uow.session.scalar(
        select(Officer).where(Officer.branch_id == uow.branch_id, Officer.login == login)
    )
