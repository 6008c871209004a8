"""Where each branch lives on the central cluster, and the names its replication uses.

Each branch's copy is a database of its own, `antrean_branch_<token>`, holding the project's
ordinary schema: a branch numbers its rows from 1 like every other, so their rows could not
share tables, and every read the branch runs (services, reports) runs unchanged on its copy.
The copy's subscription and the slot it holds on the branch are both `antrean_region_<token>`.
The token is the branch code in the few characters those names allow ([a-z0-9_]), one-to-one:
lower case, '_' doubled, '-' written '_d' (SRG -> srg, SRG-2 -> srg_d2, SRG_2 -> srg__2).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from sqlalchemy.engine import make_url

DATABASE_PREFIX = "antrean_branch_"
SUBSCRIPTION_PREFIX = "antrean_region_"
# On the branch: what it publishes, and the role the central server logs in as.
PUBLICATION = "antrean_region"
REPLICATION_ROLE = "antrean_region"
# On the central server: may read every copy and write none (the regional board's login role
# is made a member of it).
READER_ROLE = "antrean_region_reader"
# Set on every copy (ALTER DATABASE ... SET), so a migration can tell it runs on a subscriber,
# where it must not write rows of replicated tables (the branch's own rows arrive by replication).
COPY_SETTING = "antrean.central_copy"


def branch_token(code: str) -> str:
    token = []
    for character in code:
        if character == "_":
            token.append("__")
        elif character == "-":
            token.append("_d")
        elif character.isascii() and character.isalnum():
            token.append(character.lower())
        else:
            raise ValueError(f"branch code {code!r}: use capital letters, digits, '_' or '-'")
    if not token:
        raise ValueError("a branch code may not be empty")
    return "".join(token)


def code_of_token(token: str) -> str:
    code, index = [], 0
    while index < len(token):
        if token[index] == "_":
            following = token[index + 1 : index + 2]
            if following not in ("_", "d"):
                raise ValueError(f"{token!r} is not a branch token")
            code.append("_" if following == "_" else "-")
            index += 2
        else:
            code.append(token[index].upper())
            index += 1
    return "".join(code)


def branch_database(code: str) -> str:
    return DATABASE_PREFIX + branch_token(code)


def subscription_name(code: str) -> str:
    """The copy's subscription, and the name of its slot on the branch."""
    return SUBSCRIPTION_PREFIX + branch_token(code)


def libpq_url(url: str) -> str:
    """A URL psycopg and libpq take (no SQLAlchemy driver suffix)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(
            f"{parsed.render_as_string()!r}: replication needs PostgreSQL; a SQLite branch "
            "cannot publish (move it to PostgreSQL first)"
        )
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    return make_url(libpq_url(url)).set(database=database).render_as_string(hide_password=False)


def copy_url(central_url: str, code: str) -> str:
    """The URL of a branch's copy on the central cluster (`open_store` takes it)."""
    return with_database(central_url, branch_database(code))


@dataclass(frozen=True)
class RegionBranch:
    code: str
    database: str
    url: str  # the copy on the central cluster
    subscribed: bool  # False: a copy kept after remove-branch, no longer updated


def region_branches(central_url: str, *, include_detached: bool = False) -> list[RegionBranch]:
    """The branches the central cluster holds, by code: those it subscribes to, and with
    `include_detached` also the copies kept after their subscription was removed."""
    with psycopg.connect(libpq_url(central_url), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT d.datname, EXISTS (SELECT 1 FROM pg_subscription s WHERE s.subdbid = d.oid) "
            "FROM pg_database d WHERE starts_with(d.datname, %s) ORDER BY d.datname",
            (DATABASE_PREFIX,),
        ).fetchall()
    found = []
    for database, subscribed in rows:
        code = code_of_token(database.removeprefix(DATABASE_PREFIX))
        if subscribed or include_detached:
            found.append(RegionBranch(code, database, copy_url(central_url, code), subscribed))
    return sorted(found, key=lambda branch: branch.code)
