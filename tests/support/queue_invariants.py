"""What must hold in a branch's queue after any sequence of service calls, read from the rows.

Each check raises AssertionError naming the rows that break it; `check_queue` reads the
tables and runs them all.
The checks read the tables directly (not through the services), so they judge the engine
rather than repeat it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select

from shared.domain.labels import format_label
from shared.domain.states import AT_COUNTER, TICKET_TRANSITIONS, CounterState, TicketState
from shared.services.runner import attempt
from shared.services.snapshot import Snapshot, live_snapshot
from shared.store.database import Store
from shared.store.models import (
    Base,
    Branch,
    Counter,
    DailySequence,
    Event,
    Officer,
    ProcessedRequest,
    Service,
    Ticket,
)
from shared.store.unit_of_work import branch_settings

# The events that put a ticket back in a queue it had left: its place is no longer its issue order.
_REQUEUED = frozenset({"ticket.transfer", "ticket.reinstate"})


@dataclass(frozen=True)
class QueueRows:
    """One read of a branch's queue tables, as plain rows (column names as attributes)."""

    services: list[Row[Any]]
    officers: list[Row[Any]]
    counters: list[Row[Any]]
    tickets: list[Row[Any]]
    sequences: list[Row[Any]]
    events: list[Row[Any]]
    requests: list[Row[Any]]
    # Each ticket's events in the order they were recorded.
    ticket_events: dict[int, list[Row[Any]]]
    max_calls: int
    timezone: str


def read_rows(store: Store, branch_code: str) -> QueueRows:
    with store.read_sessions() as session, session.begin():
        branch = session.scalars(select(Branch).where(Branch.code == branch_code)).one()

        def rows(model: type[Base], *order: Any) -> list[Row[Any]]:
            table = model.__table__
            query = select(table).where(table.c.branch_id == branch.id).order_by(*order)
            return list(session.execute(query))

        events = rows(Event, Event.id)
        ticket_events: dict[int, list[Row[Any]]] = defaultdict(list)
        for event in events:
            if event.ticket_id is not None:
                ticket_events[event.ticket_id].append(event)
        return QueueRows(
            services=rows(Service, Service.id),
            officers=rows(Officer, Officer.id),
            counters=rows(Counter, Counter.number),
            tickets=rows(Ticket, Ticket.id),
            sequences=rows(DailySequence, DailySequence.service_id),
            events=events,
            requests=rows(ProcessedRequest, ProcessedRequest.request_id),
            ticket_events=dict(ticket_events),
            max_calls=branch_settings(branch.id, branch.settings).queue.max_calls,
            timezone=branch.timezone,
        )


def check_numbers(rows: QueueRows) -> None:
    """Per service and day the numbers issued are exactly 1..N, N being the sequence's last."""
    issued: dict[tuple[int, date], list[int]] = defaultdict(list)
    for ticket in rows.tickets:
        issued[(ticket.issued_service_id, ticket.business_date)].append(ticket.number)
    last = {(s.service_id, s.business_date): s.last_number for s in rows.sequences}
    prefix = {s.id: s.prefix for s in rows.services}
    for key in issued.keys() | last.keys():
        numbers = sorted(issued.get(key, []))
        expected = list(range(1, last.get(key, 0) + 1))
        assert numbers == expected, (
            f"service {key[0]} on {key[1]}: numbers {numbers}, sequence says 1..{last.get(key, 0)}"
        )
    for ticket in rows.tickets:
        label = format_label(prefix[ticket.issued_service_id], ticket.number)
        assert ticket.label == label, f"ticket {ticket.id} is labelled {ticket.label}, not {label}"


def check_places(rows: QueueRows) -> None:
    """No ticket in two places: at a counter exactly while called or serving, held nowhere."""
    by_id = {t.id: t for t in rows.tickets}
    current_at: dict[int, list[int]] = defaultdict(list)
    for counter in rows.counters:
        if counter.current_ticket_id is None:
            continue
        ticket = by_id[counter.current_ticket_id]
        assert ticket.state in AT_COUNTER, (
            f"counter {counter.number} shows {ticket.label}, which is {ticket.state}"
        )
        assert ticket.counter_id == counter.id, (
            f"counter {counter.number} shows {ticket.label}, whose counter is {ticket.counter_id}"
        )
        current_at[ticket.id].append(counter.number)
    closed = {c.id for c in rows.counters if c.state == CounterState.CLOSED}
    for ticket in rows.tickets:
        places = current_at.get(ticket.id, [])
        if ticket.state in AT_COUNTER:
            assert len(places) == 1, f"{ticket.label} is {ticket.state} at counters {places}"
        else:
            assert not places, f"{ticket.label} is {ticket.state} yet current at {places}"
        if ticket.state == TicketState.HELD:
            assert ticket.counter_id is not None and ticket.counter_id not in closed, (
                f"{ticket.label} is held at counter {ticket.counter_id}, which is closed or none"
            )
        if ticket.state == TicketState.WAITING:
            assert ticket.counter_id is None, (
                f"{ticket.label} is waiting yet belongs to counter {ticket.counter_id}"
            )


def _leaves_queue_in_issue_order(ticket: Row[Any], events: list[Row[Any]]) -> bool:
    # Priority and booked tickets are called ahead by rule; a ticket that was transferred or
    # reinstated re-entered a queue with a place that is not its issue order.
    return (
        not ticket.priority
        and ticket.due_at is None
        and ticket.service_id == ticket.issued_service_id
        and not any(e.kind in _REQUEUED for e in events)
    )


def check_fifo(rows: QueueRows) -> None:
    """First come, first served within a service.

    Among the tickets of one service and day that are neither priority nor booked and never
    left and re-entered a queue (no transfer, no reinstatement): whenever "call next" called
    one of them, every one issued before it had already left the queue (called, possibly
    out of turn, or cancelled). Calls out of turn (`call_ticket`, which records its reason)
    are not "call next" and are not judged, but the tickets they take still count as gone.
    """
    queues: dict[tuple[int, date], list[Row[Any]]] = defaultdict(list)
    for ticket in rows.tickets:
        if _leaves_queue_in_issue_order(ticket, rows.ticket_events.get(ticket.id, [])):
            queues[(ticket.service_id, ticket.business_date)].append(ticket)
    for queue in queues.values():
        queue.sort(key=lambda t: (t.issued_at, t.number))
        # The event that took each ticket out of the queue (its first after being issued).
        left = {t.id: next(iter(rows.ticket_events[t.id][1:]), None) for t in queue}
        for position, later in enumerate(queue):
            call = left[later.id]
            if call is None or call.kind != "ticket.call" or call.detail:
                continue  # still waiting, cancelled, or called out of turn
            for earlier in queue[:position]:
                gone = left[earlier.id]
                assert gone is not None and gone.id < call.id, (
                    f"call next took {later.label} (event {call.id}) while {earlier.label}, "
                    "issued before it, was still waiting"
                )


def check_lifecycle(rows: QueueRows) -> None:
    """Each ticket's events replay from `ticket.issued` along allowed moves to its state."""
    for ticket in rows.tickets:
        events = rows.ticket_events.get(ticket.id, [])
        assert events, f"{ticket.label} has no events"
        first = events[0]
        assert (first.kind, first.from_state, first.to_state) == (
            "ticket.issued",
            None,
            TicketState.WAITING,
        ), f"{ticket.label} starts with {first.kind} {first.from_state}->{first.to_state}"
        state, calls = TicketState.WAITING.value, 0
        for event in events[1:]:
            action = event.kind.removeprefix("ticket.")
            assert action in TICKET_TRANSITIONS, f"{ticket.label}: unknown event {event.kind}"
            allowed, to_state = TICKET_TRANSITIONS[action]
            assert event.from_state == state and state in allowed and event.to_state == to_state, (
                f"{ticket.label}: {event.kind} {event.from_state}->{event.to_state} "
                f"after reaching {state}"
            )
            state = event.to_state
            calls = {"call": 1, "recall": calls + 1, "reinstate": 0, "transfer": 0}.get(
                action, calls
            )
        assert state == ticket.state, f"{ticket.label} is {ticket.state}; its events end {state}"
        assert ticket.call_count == calls <= rows.max_calls, (
            f"{ticket.label} counts {ticket.call_count} calls; its events show {calls}"
        )


def check_counts(rows: QueueRows, snapshot: Snapshot) -> None:
    """The live snapshot agrees with the tickets, and every ticket is in one known state."""
    known = {s.value for s in TicketState}
    day = snapshot.at.astimezone(ZoneInfo(rows.timezone)).date()
    today = [t for t in rows.tickets if t.business_date == day]
    for line in snapshot.services:
        mine = [t for t in today if t.service_id == line.id]
        by_state = {s: sum(1 for t in mine if t.state == s) for s in known}
        assert (line.waiting, line.called, line.serving) == (
            by_state["waiting"],
            by_state["called"],
            by_state["serving"],
        ), f"snapshot of {line.code} disagrees with its tickets: {by_state}"
        others = sum(by_state[s] for s in ("held", "done", "no_show", "cancelled"))
        assert line.waiting + line.called + line.serving + others == len(mine), (
            f"{line.code}: states add up to {line.waiting + line.called + line.serving + others}"
            f" of {len(mine)} tickets ({sorted({t.state for t in mine})})"
        )
        issued = sum(1 for t in today if t.issued_service_id == line.id)
        assert line.issued_today == issued, f"{line.code}: issued {line.issued_today} != {issued}"


def check_counters(rows: QueueRows) -> None:
    """A closed counter has nobody and nothing; an officer staffs at most one counter."""
    staffed: dict[int, list[int]] = defaultdict(list)
    for counter in rows.counters:
        if counter.state == CounterState.CLOSED:
            assert counter.officer_id is None and counter.current_ticket_id is None, (
                f"closed counter {counter.number} has officer {counter.officer_id} "
                f"and ticket {counter.current_ticket_id}"
            )
        else:
            assert counter.officer_id is not None, f"counter {counter.number} is open, unstaffed"
            staffed[counter.officer_id].append(counter.number)
    for officer_id, numbers in staffed.items():
        assert len(numbers) == 1, f"officer {officer_id} is at counters {numbers}"


def check_audit_trail(rows: QueueRows) -> None:
    """Every event names a ticket, counter, officer and service of its own branch (or none):
    the trail keeps no foreign keys, so this is the services' promise."""
    known = {
        "ticket_id": {t.id for t in rows.tickets},
        "counter_id": {c.id for c in rows.counters},
        "officer_id": {o.id for o in rows.officers},
        "service_id": {s.id for s in rows.services},
    }
    for event in rows.events:
        for column, ids in known.items():
            value = getattr(event, column)
            assert value is None or value in ids, (
                f"event {event.id} ({event.kind}) names {column} {value}, no row of this branch"
            )


def check_rows(rows: QueueRows, snapshot: Snapshot) -> None:
    check_audit_trail(rows)
    check_numbers(rows)
    check_places(rows)
    check_fifo(rows)
    check_lifecycle(rows)
    check_counts(rows, snapshot)
    check_counters(rows)


def read_snapshot(store: Store, branch_code: str) -> Snapshot:
    return attempt(store, branch_code, live_snapshot, read_only=True)


def check_queue(store: Store, branch_code: str) -> None:
    check_rows(read_rows(store, branch_code), read_snapshot(store, branch_code))
