"""Today's last calls, newest first: the big panel shows one of them (see
feed.on_the_big_panel), the others stay listed, so a visitor who missed their number can
still find it. A ticket called again appears once, at its latest call."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from display.rows_model import RowsModel
from shared.services.call_board import RecentCall

KEPT_CALLS = 8


class LastCallsModel(RowsModel[RecentCall]):
    ROLES = (
        ("eventId", lambda c: c.event_id),
        ("ticket", lambda c: c.label),
        ("counterNumber", lambda c: c.counter_number),
        ("counterName", lambda c: c.counter_name),
        ("recall", lambda c: c.recall),
        ("serviceCode", lambda c: c.service_code),
        ("calledAt", lambda c: c.at),
    )

    def key(self, row: RecentCall) -> Hashable:
        return row.event_id

    def display_text(self, row: RecentCall) -> str:
        return f"{row.label} → {row.counter_name}"

    def set_calls(self, calls: Iterable[RecentCall]) -> None:
        """`calls` newest first."""
        seen: set[str] = set()
        latest = []
        for call in calls:
            if call.label not in seen:
                seen.add(call.label)
                latest.append(call)
        self.set_rows(latest[:KEPT_CALLS])
