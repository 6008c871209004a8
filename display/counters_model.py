"""The counters the lobby sees: every open or paused counter, with the number it has now."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from display.rows_model import RowsModel
from shared.services.call_board import CounterNow


class CountersModel(RowsModel[CounterNow]):
    ROLES = (
        ("number", lambda c: c.number),
        ("name", lambda c: c.name),
        ("state", lambda c: c.state),
        ("pauseReason", lambda c: c.pause_reason),
        ("ticket", lambda c: c.label or ""),
        ("ticketState", lambda c: c.ticket_state or ""),
    )

    def key(self, row: CounterNow) -> Hashable:
        return row.number

    def display_text(self, row: CounterNow) -> str:
        return f"{row.name}: {row.label or '-'}"

    def set_counters(self, counters: Iterable[CounterNow]) -> None:
        """A closed counter is not shown: nobody should walk up to it."""
        self.set_rows(c for c in counters if c.state != "closed")
