"""One transaction per service call, bound to one branch, with its clock and change notices."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from shared.config import BranchConfig, stored_branch_config
from shared.domain.errors import NotAllowed, NotFound
from shared.store.database import Store
from shared.store.models import Branch, Event, ProcessedRequest

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "antrean"
# PostgreSQL caps a NOTIFY payload at 8000 bytes; past this we send "something changed".
_NOTIFY_LIMIT = 7000


# Each branch's settings, validated once per version of what is stored: every reader gets
# typed values with the config models' defaults, never the raw JSON with a default of its own.
_validated: dict[int, tuple[str, BranchConfig]] = {}


def branch_settings(branch_id: int, stored: dict[str, Any]) -> BranchConfig:
    """`Branch.settings` as the config models read it, parsed again only once it changed."""
    version = json.dumps(stored, sort_keys=True, default=str)
    known = _validated.get(branch_id)
    if known is None or known[0] != version:
        known = (version, stored_branch_config(stored))
        _validated[branch_id] = known
    return known[1]


@dataclass(frozen=True)
class Change:
    """What one committed event changed, as other processes receive it."""

    branch_id: int
    event_id: int
    kind: str
    ticket_id: int | None = None
    counter_id: int | None = None
    service_id: int | None = None


class UnitOfWork:
    """`with store_uow as uow: ...; uow.commit()` — rolls back unless committed."""

    def __init__(self, store: Store, branch_code: str, read_only: bool = False) -> None:
        self.store = store
        self.branch_code = branch_code
        self.read_only = read_only
        self._session: Session | None = None
        self._inside = False
        self._branch: Branch | None = None
        self._settings: BranchConfig | None = None
        self._now: datetime | None = None
        self._events: list[Event] = []

    # -- context ---------------------------------------------------------------------------
    def __enter__(self) -> UnitOfWork:
        # The session (and its connection) is opened on first use: PostgreSQL's call next runs
        # as one statement of its own and never needs one.
        self._inside = True
        self._branch = None
        self._settings = None
        self._now = None
        self._events = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._inside = False
        if self._session is None:
            return
        try:
            if self._session.in_transaction():
                self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    @property
    def session(self) -> Session:
        if self._session is None:
            if not self._inside:
                raise RuntimeError("unit of work used outside its `with` block")
            factory = self.store.read_sessions if self.read_only else self.store.sessions
            self._session = factory()
            self._session.begin()
        return self._session

    # -- branch and time -------------------------------------------------------------------
    @property
    def branch(self) -> Branch:
        if self._branch is None:
            branch = self.session.scalar(select(Branch).where(Branch.code == self.branch_code))
            if branch is None:
                raise NotFound(
                    f"branch {self.branch_code!r} is not in this database; run `antrean init`"
                )
            self._branch = branch
        return self._branch

    @property
    def settings(self) -> BranchConfig:
        """The branch's validated settings, the one place services read them from."""
        if self._settings is None:
            self._settings = branch_settings(self.branch.id, self.branch.settings)
        return self._settings

    @property
    def branch_id(self) -> int:
        return self.branch.id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.branch.timezone)

    def now(self) -> datetime:
        """One instant per transaction: the injected clock, or the database server's."""
        if self._now is None:
            if self.store.clock is not None:
                self._now = self.store.clock.now()
            else:
                self._now = self._database_now()
        return self._now

    def _database_now(self) -> datetime:
        if self.store.dialect == "postgresql":
            value = self.session.scalar(select(func.now()))
        else:
            value = self.session.scalar(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')"))
            value = datetime.fromisoformat(str(value))
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def local_now(self) -> datetime:
        return self.now().astimezone(self.zone)

    # -- audit trail and change notices ----------------------------------------------------
    def record(self, kind: str, **fields: Any) -> Event:
        event = Event(branch_id=self.branch_id, at=self.now(), kind=kind, **fields)
        self.session.add(event)
        self._events.append(event)
        return event

    def recorded(self, event_id: int) -> Event:
        """An event the database wrote on the services' behalf (a SECURITY DEFINER function),
        announced with the others when this unit commits."""
        event = self.session.get_one(Event, event_id)
        self._events.append(event)
        return event

    # -- idempotency -----------------------------------------------------------------------
    def replayed(
        self, request_id: str | None, action: str, caller: str
    ) -> ProcessedRequest | None:
        """The earlier result of this request, if this caller already had it applied.

        A request is known by its branch, action, caller (who sent it, with the arguments that
        make it this request) and id together: the same id from another kiosk, officer or
        visitor, or for another service, is another request and never gets this one's result."""
        key = self.request_key(request_id, action, caller)
        return None if key is None else self.session.get(ProcessedRequest, key)

    def remember(
        self, request_id: str | None, action: str, ticket_id: int | None, caller: str
    ) -> None:
        key = self.request_key(request_id, action, caller)
        if key is not None:
            self.session.add(
                ProcessedRequest(
                    request_id=key,
                    branch_id=self.branch_id,
                    action=action,
                    ticket_id=ticket_id,
                    at=self.now(),
                )
            )

    def request_key(self, request_id: str | None, action: str, caller: str) -> str | None:
        if not request_id:
            return None
        return request_key(self.branch_id, request_id, action, caller)

    def commit(self) -> list[Change]:
        session = self.session
        session.flush()
        changes = [
            Change(self.branch_id, e.id, e.kind, e.ticket_id, e.counter_id, e.service_id)
            for e in self._events
        ]
        session.commit()
        self._events = []
        if changes and self.store.dialect == "postgresql":
            announce_committed(self.store, encode_changes(changes))
        return changes


# A change is announced after it commits, in a transaction of its own. A transaction that
# NOTIFYs holds PostgreSQL's one notify lock from before its commit until its WAL is flushed,
# so notifying inside every change would queue all of them, fifty counters' calls included,
# behind one disk flush at a time. The notice needs no durability of its own (the change it
# names is already on disk), so its transaction commits asynchronously. A sender that dies
# between the two leaves the change unannounced; watchers sweep the audit trail for those.
_ANNOUNCE = (
    f"SELECT set_config('synchronous_commit', 'off', true), pg_notify('{NOTIFY_CHANNEL}', $1)"
).encode()


def announce_committed(store: Store, payload: str) -> None:
    """NOTIFY `payload` on a connection of the store's one pool, in autocommit mode (so it
    costs no connection of its own: docs/connections.md). A failure is logged, not raised: the
    change has committed, and a caller that retried the action would do it twice."""
    try:
        with store.autocommit_connection() as pooled:
            connection = pooled.driver_connection
            assert isinstance(connection, psycopg.Connection)  # the engine's driver is psycopg
            try:
                with psycopg.RawCursor(connection) as cursor:
                    cursor.execute(_ANNOUNCE, [payload], prepare=True)
            except psycopg.Error as error:
                log.warning("a change committed but was not announced "
                            "(watchers sweep for it): %s", error)
                if connection.closed:
                    pooled.invalidate(error)
    except (SQLAlchemyError, psycopg.Error) as error:  # the server is gone, or the pool busy
        log.warning("a change committed but was not announced (watchers sweep for it): %s",
                    error)


def encode_changes(changes: list[Change]) -> str:
    rows = [[c.event_id, c.kind, c.ticket_id, c.counter_id, c.service_id] for c in changes]
    payload = json.dumps({"b": changes[0].branch_id, "e": rows}, separators=(",", ":"))
    if len(payload) > _NOTIFY_LIMIT:
        return json.dumps({"b": changes[0].branch_id, "e": None})
    return payload


def decode_changes(payload: str) -> list[Change]:
    data = json.loads(payload)
    branch_id = int(data["b"])
    if data.get("e") is None:
        return [Change(branch_id, 0, "many")]
    return [Change(branch_id, int(e[0]), str(e[1]), e[2], e[3], e[4]) for e in data["e"]]


REQUEST_ID_LIMIT = 64


def check_request_id(request_id: str) -> str:
    """A client's request id, refused plainly when too long: cutting it would make two
    requests one."""
    if len(request_id) > REQUEST_ID_LIMIT:
        raise NotAllowed(
            f"a request id may have at most {REQUEST_ID_LIMIT} characters "
            f"(this one has {len(request_id)})"
        )
    return request_id


def request_key(branch_id: int, request_id: str, action: str, caller: str) -> str:
    """The stored key of a request: a digest of everything that makes it this request, so
    it fits the column whatever the id's length and cannot be claimed by another caller."""
    scoped = "\x1f".join((str(branch_id), action, caller, check_request_id(request_id)))
    return hashlib.sha256(scoped.encode()).hexdigest()


def is_duplicate_request(error: IntegrityError) -> bool:
    return "processed_requests" in str(error.orig) or "request_id" in str(error.orig)
