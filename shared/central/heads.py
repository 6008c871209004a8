"""The regional heads: who may see the regional board, with argon2-hashed passwords.

A regional head is no branch officer: the branches' officer tables (replicated without their
secrets) cannot let anyone into the board. The heads live in one small table of the central
server's own database, the one the board connects to, hashed as the officers' PINs are, and
locked out for a while after five wrong passwords in a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, select, text, update
from sqlalchemy.engine import Engine

from shared.central.layout import READER_ROLE
from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.domain.text import has_unprintable
from shared.store.types import UTCDateTime

MIN_PASSWORD = 10
LOCK_AFTER = 5
LOCK_MINUTES = 15

_metadata = MetaData()
heads_table = Table(
    "regional_heads",
    _metadata,
    Column("login", String(32), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("secret_hash", String(200), nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("blocked_until", UTCDateTime, nullable=True),
)

_hasher = PasswordHasher()
_UNKNOWN_HASH = _hasher.hash("no such head")


def use_hasher(hasher: PasswordHasher) -> None:
    """Cheaper argon2 parameters for tests; production keeps the defaults."""
    global _hasher, _UNKNOWN_HASH
    _hasher = hasher
    _UNKNOWN_HASH = hasher.hash("no such head")


@dataclass(frozen=True)
class RegionalHead:
    login: str
    name: str


def create_heads_table(engine: Engine) -> None:
    """The table, made by the central server's owner; on PostgreSQL the region's reading role
    (the board's login joins it) may read it and count wrong passwords, nothing more."""
    _metadata.create_all(engine, checkfirst=True)
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                             {"role": READER_ROLE}):
            connection.execute(text(
                f"GRANT SELECT, UPDATE (failed_logins, blocked_until) ON regional_heads "
                f"TO {READER_ROLE}"))


def heads_table_exists(engine: Engine) -> bool:
    return inspect(engine).has_table(heads_table.name)


def set_head(engine: Engine, login: str, name: str, password: str) -> RegionalHead:
    """Adds the head, or gives an existing one a new name and password (and unlocks it)."""
    login = login.strip()
    if not login or len(login) > 32 or has_unprintable(login) or " " in login:
        raise NotAllowed("a head's login is 1–32 characters without spaces")
    if len(password) < MIN_PASSWORD or password.isdigit() or len(password) > 128:
        raise NotAllowed(f"a regional head needs a password of {MIN_PASSWORD}–128 characters, "
                         "not only digits")
    values = {"name": name.strip()[:80] or login, "secret_hash": _hasher.hash(password),
              "failed_logins": 0, "blocked_until": None}
    create_heads_table(engine)
    with engine.begin() as connection:
        known = connection.scalar(select(heads_table.c.login).where(heads_table.c.login == login))
        if known is None:
            connection.execute(heads_table.insert().values(login=login, **values))
        else:
            connection.execute(update(heads_table).where(heads_table.c.login == login)
                               .values(**values))
    return RegionalHead(login, str(values["name"]))


def authenticate_head(engine: Engine, login: str, password: str, now: datetime) -> RegionalHead:
    """The same refusal for an unknown login and a wrong password, so logins cannot be probed."""
    login = login.strip()[:32]
    refusal = AuthenticationFailed("wrong login or password", key="wrong_pin")
    with engine.begin() as connection:
        row = None if has_unprintable(login) else connection.execute(
            select(heads_table).where(heads_table.c.login == login)
        ).one_or_none()
        if row is None:
            _verify(_UNKNOWN_HASH, password)
            raise refusal
        if row.blocked_until is not None and now < row.blocked_until:
            raise AuthenticationFailed(
                f"too many wrong passwords: {login} is locked until "
                f"{row.blocked_until:%H:%M} UTC", key="login_locked",
            )
        if not _verify(row.secret_hash, password):
            failed = row.failed_logins + 1
            blocked = now + timedelta(minutes=LOCK_MINUTES) if failed >= LOCK_AFTER else None
            connection.execute(update(heads_table).where(heads_table.c.login == login)
                               .values(failed_logins=failed, blocked_until=blocked))
            error = refusal
        else:
            if row.failed_logins or row.blocked_until is not None:
                connection.execute(update(heads_table).where(heads_table.c.login == login)
                                   .values(failed_logins=0, blocked_until=None))
            return RegionalHead(row.login, row.name)
    raise error


def _verify(secret_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(secret_hash, password[:128])
    except (VerificationError, InvalidHashError):
        return False
