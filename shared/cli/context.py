"""What every command needs: the store, the branch, and a plain way to fail."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import select

from shared.store.database import Store, open_store
from shared.store.models import Branch

BRANCH_ENV = "ANTREAN_BRANCH"


class CommandError(Exception):
    """A message for the person at the terminal; the command exits with status 2."""


@dataclass
class CommandContext:
    database_url: str | None
    branch_option: str | None
    _store: Store | None = None
    role: str | None = None  # the app's connection budget (shared/store/database.py BUDGETS)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.database_url, role=self.role)
        return self._store

    def branch_code(self) -> str:
        """--branch, else ANTREAN_BRANCH, else the only branch in the database."""
        code = self.branch_option or os.environ.get(BRANCH_ENV, "").strip()
        if code:
            return code.upper()
        with self.store.read_sessions() as session:
            codes = list(session.scalars(select(Branch.code).order_by(Branch.code)))
        if len(codes) == 1:
            return codes[0]
        if not codes:
            raise CommandError("this database has no branch yet; run `antrean init --config FILE`")
        raise CommandError(
            f"this database holds branches {', '.join(codes)}; pick one with --branch"
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
