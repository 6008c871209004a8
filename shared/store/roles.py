"""Least privilege on PostgreSQL: one login role per app, granted only what its services need.

The display reads (and may not see PIN hashes); the kiosk issues tickets and reports its
printer, and the web service shares its role (bookings, survey answers); the counter calls
and serves. Set-up and officer management stay with the owner.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text

from shared.store.models import Base

_OFFICER_PUBLIC = "id, branch_id, login, name, role, active"
# Officers' PIN hashes and the key behind NIK digests are read only by the roles that need them.
_PRIVATE = ("officers", "branch_keys")
_EVERYTHING_BUT_OFFICERS = [t.name for t in Base.metadata.sorted_tables if t.name not in _PRIVATE]


@dataclass(frozen=True)
class AppRole:
    app: str
    grants: tuple[str, ...]


APP_ROLES = (
    AppRole(
        "display",
        (
            f"SELECT ON {', '.join(_EVERYTHING_BUT_OFFICERS)}",
            f"SELECT ({_OFFICER_PUBLIC}) ON officers",
        ),
    ),
    AppRole(
        "kiosk",
        (
            f"SELECT ON {', '.join(_EVERYTHING_BUT_OFFICERS)}",
            f"SELECT ({_OFFICER_PUBLIC}) ON officers",
            "SELECT ON branch_keys",
            "INSERT ON tickets, events, processed_requests, kiosks, daily_sequences, "
            "bookings, survey_responses",
            "UPDATE ON daily_sequences, kiosks, bookings",
            "USAGE ON SEQUENCE tickets_id_seq, events_id_seq, kiosks_id_seq, bookings_id_seq, "
            "survey_responses_id_seq",
        ),
    ),
    AppRole(
        "counter",
        # Counters log officers in, so they read the hashes; UPDATE also covers row locks.
        (
            f"SELECT ON {', '.join(_EVERYTHING_BUT_OFFICERS)}, officers",
            "UPDATE ON tickets, counters",
            "INSERT, DELETE ON counter_services",
            "INSERT ON events, processed_requests",
            "USAGE ON SEQUENCE events_id_seq",
            "EXECUTE ON PROCEDURE antrean_call_next",  # call next's one round trip
        ),
    ),
)


def role_name(prefix: str, app: str) -> str:
    return f"{prefix}_{app}"


def create_app_roles(engine: Engine, prefix: str = "antrean") -> list[str]:
    """Create (or refresh) the apps' login roles and their grants on this database."""
    if engine.dialect.name != "postgresql":
        raise ValueError("database roles exist only on PostgreSQL; SQLite is one user's file")
    if not prefix.replace("_", "").isalnum():
        raise ValueError(f"role prefix {prefix!r} may only hold letters, digits and _")
    created = []
    with engine.begin() as connection:
        database = connection.execute(text("SELECT current_database()")).scalar_one()
        for role in APP_ROLES:
            name = role_name(prefix, role.app)
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
            connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO "{name}"'))
            connection.execute(text(f'GRANT USAGE ON SCHEMA public TO "{name}"'))
            connection.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{name}"'))
            for grant in role.grants:
                connection.execute(text(f'GRANT {grant} TO "{name}"'))
            created.append(name)
    return created


def drop_app_roles(engine: Engine, prefix: str = "antrean") -> None:
    with engine.begin() as connection:
        for role in APP_ROLES:
            name = role_name(prefix, role.app)
            exists = connection.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
            ).first()
            if exists is not None:
                connection.execute(text(f'DROP OWNED BY "{name}"'))
                connection.execute(text(f'DROP ROLE "{name}"'))
