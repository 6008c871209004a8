"""One call from a store and a date range to the report's figures."""

from __future__ import annotations

from datetime import date

from shared.reporting.figures import Report, compute_report
from shared.reporting.reading import read_report_rows
from shared.store.database import Store


def build_report(store: Store, branch_code: str, first: date, last: date) -> Report:
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    # The store's clock, when it has one (tests, simulations), says which bookings have lapsed.
    now = store.clock.now() if store.clock is not None else None
    with store.engine.connect() as connection:
        rows = read_report_rows(connection, branch_code, first, last, now)
    return compute_report(rows)
