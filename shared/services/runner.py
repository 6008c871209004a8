"""Run one service call in its own transaction, retrying what a retry can cure."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork, is_duplicate_request

T = TypeVar("T")

# PostgreSQL: serialization failure and deadlock; both are safe to run again from the start.
_RETRYABLE_SQLSTATES = {"40001", "40P01"}


def _retryable(error: DBAPIError) -> bool:
    if isinstance(error, IntegrityError):
        # Two copies of one request raced: the replay will find the first one's result.
        return is_duplicate_request(error)
    if error.connection_invalidated:
        return True  # a connection that died (server restart): try once more on a fresh one
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def attempt(
    store: Store,
    branch_code: str,
    action: Callable[[UnitOfWork], T],
    *,
    read_only: bool = False,
    tries: int = 4,
) -> T:
    for attempt_number in range(1, tries + 1):
        try:
            with UnitOfWork(store, branch_code, read_only=read_only) as uow:
                return action(uow)
        except DBAPIError as error:
            if attempt_number == tries or not _retryable(error):
                raise
            time.sleep(0.005 * attempt_number)
    raise AssertionError("unreachable")
