"""The ticket lifecycle and counter states (docs/design.md), as data the services check."""

from __future__ import annotations

from enum import StrEnum


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    HELD = "held"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class CounterState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


class Outcome(StrEnum):
    COMPLETED = "completed"
    DOCUMENTS_INCOMPLETE = "documents_incomplete"
    REFERRED = "referred"


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"

    def at_least(self, other: Role) -> bool:
        return _ROLE_RANK[self] >= _ROLE_RANK[other]


_ROLE_RANK = {Role.OFFICER: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}

# Every allowed move of a ticket, by action name. Anything else is a domain error.
TICKET_TRANSITIONS: dict[str, tuple[frozenset[TicketState], TicketState]] = {
    "call": (frozenset({TicketState.WAITING}), TicketState.CALLED),
    "recall": (frozenset({TicketState.CALLED}), TicketState.CALLED),
    "start": (frozenset({TicketState.CALLED}), TicketState.SERVING),
    "finish": (frozenset({TicketState.SERVING}), TicketState.DONE),
    "no_show": (frozenset({TicketState.CALLED}), TicketState.NO_SHOW),
    "reinstate": (frozenset({TicketState.NO_SHOW}), TicketState.WAITING),
    "transfer": (frozenset({TicketState.SERVING}), TicketState.WAITING),
    "hold": (frozenset({TicketState.SERVING}), TicketState.HELD),
    "resume": (frozenset({TicketState.HELD}), TicketState.SERVING),
    "cancel": (frozenset({TicketState.WAITING}), TicketState.CANCELLED),
}

# States in which a ticket occupies its counter.
AT_COUNTER = frozenset({TicketState.CALLED, TicketState.SERVING})
FINAL = frozenset({TicketState.DONE, TicketState.CANCELLED})


class BookingState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
