"""The live state of the branch in one read: what the status screen and the display show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from shared.domain.states import TicketState
from shared.services.service_outlook import branch_outlook
from shared.store.models import Counter, Kiosk, Officer, Service, Ticket
from shared.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ServiceLine:
    id: int
    code: str
    prefix: str
    name_id: str
    name_en: str
    waiting: int
    called: int
    serving: int
    issued_today: int
    oldest_wait_seconds: float | None
    # From the branch's outlook, when asked for: the wait a ticket taken now would have (the
    # kiosk's and the lobby's figures) and whether the kiosk issues it ("open" or why not).
    wait_minutes: tuple[int, int] | None = None
    issuing: str = ""


@dataclass(frozen=True)
class CounterLine:
    id: int
    number: int
    name: str
    state: str
    state_since: datetime | None
    pause_reason: str
    officer_name: str | None
    current_label: str | None
    current_state: str | None
    service_codes: tuple[str, ...]


@dataclass(frozen=True)
class KioskLine:
    name: str
    printer_state: str
    detail: str
    accepting: bool
    updated_at: datetime | None


@dataclass(frozen=True)
class Snapshot:
    at: datetime
    branch_code: str
    branch_name: str
    timezone: str
    services: tuple[ServiceLine, ...]
    counters: tuple[CounterLine, ...]
    kiosks: tuple[KioskLine, ...]

    def service(self, code: str) -> ServiceLine:
        return next(s for s in self.services if s.code == code)

    def counter(self, number: int) -> CounterLine:
        return next(c for c in self.counters if c.number == number)


def _aware(value: datetime | str) -> datetime:
    # Aggregates bypass the column type, so SQLite hands back naive text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def live_snapshot(uow: UnitOfWork, outlook: bool = False) -> Snapshot:
    """`outlook`: also each service's wait and issuing state, from `branch_outlook` (an
    estimate of the queue: only for readers that show them)."""
    now = uow.now()
    today = uow.local_now().date()
    bid = uow.branch_id
    counts: dict[tuple[int, str], int] = {}
    oldest: dict[int, datetime] = {}
    rows = uow.session.execute(
        select(Ticket.service_id, Ticket.state, func.count(), func.min(Ticket.queued_at))
        .where(Ticket.branch_id == bid, Ticket.business_date == today)
        .group_by(Ticket.service_id, Ticket.state)
    )
    for service_id, state, count, first in rows:
        counts[(service_id, state)] = count
        if state == TicketState.WAITING and first is not None:
            oldest[service_id] = _aware(first)
    issued = dict(
        uow.session.execute(
            select(Ticket.issued_service_id, func.count())
            .where(Ticket.branch_id == bid, Ticket.business_date == today)
            .group_by(Ticket.issued_service_id)
        ).all()
    )
    services = uow.session.scalars(
        select(Service)
        .where(Service.branch_id == bid, Service.active.is_(True))
        .order_by(Service.prefix)
    ).all()
    code_of = {s.id: s.code for s in services}
    outlooks = {o.service_id: o for o in branch_outlook(uow).services} if outlook else {}
    service_lines = tuple(
        ServiceLine(
            id=s.id,
            code=s.code,
            prefix=s.prefix,
            name_id=s.name_id,
            name_en=s.name_en,
            waiting=counts.get((s.id, TicketState.WAITING), 0),
            called=counts.get((s.id, TicketState.CALLED), 0),
            serving=counts.get((s.id, TicketState.SERVING), 0),
            issued_today=int(issued.get(s.id, 0)),
            oldest_wait_seconds=(now - oldest[s.id]).total_seconds() if s.id in oldest else None,
            wait_minutes=outlooks[s.id].wait_minutes if s.id in outlooks else None,
            issuing=outlooks[s.id].issuing if s.id in outlooks else "",
        )
        for s in services
    )
    counter_lines = []
    counters = uow.session.scalars(
        select(Counter)
        .where(Counter.branch_id == bid, Counter.active.is_(True))
        .order_by(Counter.number)
    ).all()
    # Names only: the display's database role may not read PIN hashes.
    names = dict(
        uow.session.execute(select(Officer.id, Officer.name).where(Officer.branch_id == bid)).all()
    )
    for c in counters:
        ticket = uow.session.get(Ticket, c.current_ticket_id) if c.current_ticket_id else None
        counter_lines.append(
            CounterLine(
                id=c.id,
                number=c.number,
                name=c.name,
                state=c.state,
                state_since=c.state_since,
                pause_reason=c.pause_reason,
                officer_name=names.get(c.officer_id) if c.officer_id else None,
                current_label=ticket.label if ticket else None,
                current_state=ticket.state if ticket else None,
                service_codes=tuple(code_of.get(a.service_id, "?") for a in c.assignments),
            )
        )
    kiosks = uow.session.scalars(select(Kiosk).where(Kiosk.branch_id == bid).order_by(Kiosk.name))
    return Snapshot(
        at=now,
        branch_code=uow.branch.code,
        branch_name=uow.branch.name,
        timezone=uow.branch.timezone,
        services=service_lines,
        counters=tuple(counter_lines),
        kiosks=tuple(
            KioskLine(k.name, k.printer_state, k.detail, k.accepting, k.updated_at) for k in kiosks
        ),
    )
