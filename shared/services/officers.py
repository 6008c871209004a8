"""Officers: argon2-hashed PINs or passwords, and the roles that gate actions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.domain.states import Role
from shared.domain.text import has_unprintable
from shared.services.access import check_text, load_officer, require_role
from shared.store.models import Officer
from shared.store.unit_of_work import UnitOfWork

_hasher = PasswordHasher()
# Compared against when the officer id is unknown, so a wrong id costs what a wrong PIN costs.
_UNKNOWN_HASH = _hasher.hash("no such officer")
MIN_SECRET = 4
# Supervisors and admins unlock, add officers and open any counter: a guessable PIN for them
# is the whole branch's, so they need a password a 10,000-guess search cannot reach.
MIN_PASSWORD = 8
# Wrong PINs in a row before the officer is locked out, and for how long; before that, each
# wrong PIN after the first makes the next try wait longer (1, 2, 4 s).
LOCK_AFTER = 5
LOCK_MINUTES = 15


class Setup(Enum):
    """The branch's set-up acting, not an officer: `antrean officer ...` at the server, run
    with the database owner's credentials (the app roles cannot write officers at all)."""

    SETUP = "setup"


SETUP = Setup.SETUP
Acting = int | Setup


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the argon2 parameters (tests and simulations use cheap ones; production never)."""
    global _hasher, _UNKNOWN_HASH
    _hasher = hasher
    _UNKNOWN_HASH = hasher.hash("no such officer")


@dataclass(frozen=True)
class OfficerView:
    id: int
    login: str
    name: str
    role: Role
    active: bool


def _view(officer: Officer) -> OfficerView:
    return OfficerView(officer.id, officer.login, officer.name, Role(officer.role), officer.active)


def check_secret(secret: str, role: Role) -> str:
    """A PIN for an officer (4+ characters); a password for a supervisor or admin (8+, not
    only digits)."""
    if len(secret) > 128:
        raise NotAllowed("a PIN or password may have at most 128 characters")
    if role.at_least(Role.SUPERVISOR):
        if len(secret) < MIN_PASSWORD or secret.isdigit():
            raise NotAllowed(
                f"a {role.value} needs a password of at least {MIN_PASSWORD} characters, "
                "not only digits",
                key="weak_password", role=role, length=MIN_PASSWORD,
            )
    elif len(secret) < MIN_SECRET:
        raise NotAllowed(f"a PIN or password needs at least {MIN_SECRET} characters")
    return secret


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise NotAllowed(
            f"unknown role {role[:20]!r}; use one of " + ", ".join(r.value for r in Role)
        ) from None


def _check_acting(uow: UnitOfWork, by: Acting, target: Role, action: str) -> int | None:
    """The acting officer's id (None for the set-up), refused unless a supervisor acting on
    an officer or an admin: nobody grants or manages a role above their own."""
    if isinstance(by, Setup):
        return None
    officer = load_officer(uow, by)
    require_role(officer, Role.SUPERVISOR, action)
    require_role(officer, target, action)
    if target.at_least(Role.SUPERVISOR):
        require_role(officer, Role.ADMIN, action)
    return officer.id


def add_officer(
    uow: UnitOfWork, login: str, name: str, role: str, secret: str, *, by: Acting = SETUP
) -> OfficerView:
    """A new officer. `by` is who adds them: an officer (a supervisor may add officers, only an
    admin supervisors and admins), or the set-up, whose database role alone may write officers
    on PostgreSQL (the apps' roles cannot)."""
    login = check_text(login, "the officer id", 32, required=True)
    name = check_text(name, "the officer's name", 80, required=True)
    officer_role = _role(role)
    acting = _check_acting(uow, by, officer_role, f"add a {officer_role.value}")
    existing = uow.session.scalar(
        select(Officer.id).where(Officer.branch_id == uow.branch_id, Officer.login == login)
    )
    if existing is not None:
        raise NotAllowed(f"officer id {login!r} is taken")
    officer = Officer(
        branch_id=uow.branch_id,
        login=login,
        name=name,
        role=officer_role.value,
        secret_hash=_hasher.hash(check_secret(secret, officer_role)),
        active=True,
        failed_logins=0,
    )
    uow.session.add(officer)
    uow.session.flush()
    detail = f"{login} {officer_role.value}" + (f" by {acting}" if acting else "")
    uow.record("officer.added", officer_id=officer.id, detail=detail)
    view = _view(officer)
    uow.commit()
    return view


def set_secret(uow: UnitOfWork, login: str, secret: str, *, by: Acting = SETUP) -> None:
    """A new PIN or password: an officer's own, or set by the set-up or a higher role."""
    officer = _by_login(uow, login)
    if officer is None:
        raise NotAllowed(f"there is no officer {login[:32]!r}")
    if by != officer.id:
        _check_acting(uow, by, Role(officer.role), "set another officer's PIN")
    officer.secret_hash = _hasher.hash(check_secret(secret, Role(officer.role)))
    officer.failed_logins = 0
    officer.blocked_until = None
    uow.record("officer.secret", officer_id=officer.id)
    uow.commit()


def unlock_officer(uow: UnitOfWork, login: str, *, by: Acting) -> None:
    """Lift a lockout after wrong PINs (the officer proved who they are to a supervisor)."""
    officer = _by_login(uow, login, lock=True)
    if officer is None:
        raise NotAllowed(f"there is no officer {login[:32]!r}")
    acting = _check_acting(uow, by, Role(officer.role), "unlock an officer")
    officer.failed_logins = 0
    officer.blocked_until = None
    uow.record("officer.unlocked", officer_id=officer.id,
               detail=f"by {acting}" if acting else "by set-up")
    uow.commit()


def list_officers(uow: UnitOfWork) -> list[OfficerView]:
    rows = uow.session.scalars(
        select(Officer).where(Officer.branch_id == uow.branch_id).order_by(Officer.login)
    )
    return [_view(o) for o in rows]


def authenticate(uow: UnitOfWork, login: str, secret: str) -> OfficerView:
    """The same answer for an unknown id and a wrong PIN, so ids cannot be probed.

    Each wrong PIN is counted, with an audit event (committed, though the login fails): after
    the second the next try must wait 1, 2, 4 s, and the fifth locks the officer out for
    LOCK_MINUTES, until then or until a supervisor unlocks. A good PIN clears the count."""
    officer = _by_login(uow, login.strip()[:32], lock=True)
    refusal = AuthenticationFailed("wrong officer id or PIN", key="wrong_pin")
    if officer is None or not officer.active:
        _verify(_UNKNOWN_HASH, secret)
        raise refusal
    now = uow.now()
    if officer.blocked_until is not None and now < officer.blocked_until:
        raise _blocked(uow, officer, officer.blocked_until)
    if not _verify(_officer_secret(uow, officer), secret):
        officer.failed_logins += 1
        if officer.failed_logins >= LOCK_AFTER:
            officer.blocked_until = now + timedelta(minutes=LOCK_MINUTES)
            uow.record("officer.locked", officer_id=officer.id,
                       detail=f"{officer.failed_logins} wrong PINs")
            error: AuthenticationFailed = _blocked(uow, officer, officer.blocked_until)
        else:
            # A first slip costs nothing; then 1, 2, 4 s before the next try.
            pause = 0 if officer.failed_logins == 1 else 2 ** (officer.failed_logins - 2)
            officer.blocked_until = now + timedelta(seconds=pause)
            uow.record("officer.login_failed", officer_id=officer.id,
                       detail=f"{officer.failed_logins} wrong PINs")
            error = refusal
        uow.commit()
        raise error
    if officer.failed_logins or officer.blocked_until is not None:
        officer.failed_logins = 0
        officer.blocked_until = None
        uow.commit()
    return _view(officer)


def _blocked(uow: UnitOfWork, officer: Officer, until: datetime) -> AuthenticationFailed:
    if officer.failed_logins >= LOCK_AFTER:
        at = until.astimezone(uow.zone).strftime("%H:%M")
        return AuthenticationFailed(
            f"too many wrong PINs: {officer.login} is locked until {at}, or until a "
            "supervisor unlocks it", key="login_locked", until=at,
        )
    seconds = max(1, math.ceil((until - uow.now()).total_seconds()))
    return AuthenticationFailed(
        f"wrong PIN just now: wait {seconds} s before trying again",
        key="login_wait", seconds=seconds,
    )


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret[:128])
    except (VerificationError, InvalidHashError):
        return False


def _officer_secret(uow: UnitOfWork, officer: Officer) -> str:
    """One officer's hash. On PostgreSQL no app role may read the column: migration 0007's
    SECURITY DEFINER function hands the counter's role one login's hash at a time."""
    if uow.store.dialect == "postgresql":
        found = uow.session.scalar(
            select(func.antrean_officer_secret(uow.branch_id, officer.login))
        )
        return str(found) if found is not None else _UNKNOWN_HASH
    return officer.secret_hash


def _by_login(uow: UnitOfWork, login: str, lock: bool = False) -> Officer | None:
    if has_unprintable(login):
        return None  # no officer's id holds one (refused when added); PostgreSQL cannot compare it
    query = select(Officer).where(Officer.branch_id == uow.branch_id, Officer.login == login)
    if lock and uow.store.dialect == "postgresql":
        # Two wrong PINs at once count twice; their row lock needs only its columns' grant.
        query = query.with_for_update()
    return uow.session.scalar(query)
