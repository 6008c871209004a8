"""On PostgreSQL a supervisor at the counter app plans the roster; the kiosk and display read it."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy.exc import ProgrammingError

from shared.estimation.estimator import estimate_queue
from shared.services import roster
from shared.services.officers import authenticate
from shared.services.runner import attempt
from shared.store.database import Store
from tests.conftest import PASSWORD, Staff
from tests.shared.store.test_roles import AppStore, app_store, database_url  # noqa: F401

MONDAY = date(2026, 11, 23)


def test_the_counter_role_writes_the_roster_and_the_others_only_read_it(
    store: Store, staff: Staff, app_store: AppStore  # noqa: F811
) -> None:
    counter, kiosk, display = app_store("counter"), app_store("kiosk"), app_store("display")
    sri = attempt(counter, "TST", lambda uow: authenticate(uow, "sri", PASSWORD))
    line = attempt(counter, "TST", lambda uow: roster.add_absence(
        uow, 2, MONDAY, time(9), time(12), "leave", by=sri.id))
    for app in (kiosk, display):
        assert attempt(app, "TST", lambda uow: roster.roster(uow, MONDAY)) == (line,)
        attempt(app, "TST", estimate_queue, read_only=True)  # reads the roster
        with pytest.raises(ProgrammingError, match=r"permission denied|row-level security"):
            attempt(app, "TST", lambda uow: roster.remove_absence(uow, line.id))
    attempt(counter, "TST", lambda uow: roster.remove_absence(uow, line.id, by=sri.id))
    assert attempt(display, "TST", lambda uow: roster.roster(uow, MONDAY)) == ()
