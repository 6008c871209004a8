"""The audit trail a simulation left in the database, read back with local times."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from shared.store.database import Store
from shared.store.models import Branch, Counter, Event, Officer, Service, Ticket


@dataclass(frozen=True)
class EventRow:
    id: int
    at: datetime  # local time of the branch
    kind: str
    ticket: str  # label, "" for counter and branch events
    service: str
    counter: int | None
    officer: str
    from_state: str
    to_state: str
    detail: str


def read_events(store: Store, branch_code: str, since: datetime) -> Iterator[EventRow]:
    """The branch's events from `since` on, in the order they were recorded."""
    with store.read_sessions() as session:
        branch = session.scalars(select(Branch).where(Branch.code == branch_code)).one()
        zone = ZoneInfo(branch.timezone)
        query = (
            select(Event, Ticket.label, Service.code, Counter.number, Officer.login)
            .outerjoin(Ticket, Ticket.id == Event.ticket_id)
            .outerjoin(Service, Service.id == Event.service_id)
            .outerjoin(Counter, Counter.id == Event.counter_id)
            .outerjoin(Officer, Officer.id == Event.officer_id)
            .where(Event.branch_id == branch.id, Event.at >= since)
            .order_by(Event.id)
            .execution_options(yield_per=2000)
        )
        for event, label, service, counter, officer in session.execute(query):
            yield EventRow(
                id=event.id,
                at=event.at.astimezone(zone),
                kind=event.kind,
                ticket=label or "",
                service=service or "",
                counter=counter,
                officer=officer or "",
                from_state=event.from_state or "",
                to_state=event.to_state or "",
                detail=event.detail or "",
            )


def write_events_csv(store: Store, branch_code: str, since: datetime, path: Path) -> int:
    """All events from `since` as CSV with local ISO times; returns how many were written."""
    written = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in fields(EventRow)])
        for row in read_events(store, branch_code, since):
            values = list(astuple(row))
            values[1] = row.at.isoformat(timespec="milliseconds")
            values[5] = "" if row.counter is None else row.counter
            writer.writerow(values)
            written += 1
    return written
