"""What the supervisor must look at now: a counter silent while its visitors wait, a wait past
its service's target, visitors whose printed window is ending, and messages to visitors that
could not be sent.

Shown on the counter app's board and by `antrean status`. The silent-counter rule is the one
the estimator uses (shared/estimation/absence.py), so the alert and the estimate agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from shared.domain.states import CounterState, TicketState
from shared.estimation.absence import last_ticket_moves, silent_for
from shared.estimation.estimator import estimate_queue
from shared.estimation.model import CounterInfo, CurrentVisit, WaitingTicket
from shared.services.outbox import channel_trouble
from shared.store.models import Counter, CounterService, Service, Ticket
from shared.store.unit_of_work import UnitOfWork

SILENT = "silent_counter"
OVER_TARGET = "wait_over_target"
AT_RISK = "window_at_risk"
MESSAGES_FAILED = "messages_failed"
MESSAGES_PILING = "messages_piling"


@dataclass(frozen=True)
class Alert:
    kind: str  # SILENT, OVER_TARGET, AT_RISK, MESSAGES_FAILED or MESSAGES_PILING
    text: str  # in Indonesian, as the board shows it
    counter_number: int | None = None
    service_code: str | None = None
    minutes: int = 0  # silent for / longest wait
    visitors: int = 0  # waiting for the counter's services / windows at risk
    limit: int = 0  # the service's target wait / the risk margin, in minutes


def branch_alerts(uow: UnitOfWork) -> tuple[Alert, ...]:
    """Silent counters first (the most urgent to act on), then services."""
    now = uow.now()
    today = uow.local_now().date()
    rules = uow.settings.queue
    session = uow.session
    rows = session.execute(
        select(Ticket.id, Ticket.service_id, Ticket.queued_at, Ticket.issued_at, Ticket.priority,
               Ticket.window_high_seconds)
        .where(
            Ticket.branch_id == uow.branch_id,
            Ticket.business_date == today,
            Ticket.state == TicketState.WAITING,
        )
    ).all()
    waiting = tuple(WaitingTicket(r.id, r.service_id, r.queued_at, r.priority) for r in rows)
    codes = dict(session.execute(
        select(Service.id, Service.code).where(Service.branch_id == uow.branch_id)
    ).all())
    assigned: dict[int, list[int]] = defaultdict(list)
    for counter_id, service_id in session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .where(CounterService.branch_id == uow.branch_id)
        .order_by(CounterService.counter_id, CounterService.position)
    ):
        assigned[counter_id].append(service_id)
    midnight = datetime.combine(today, datetime.min.time(), uow.zone).astimezone(UTC)
    moves = last_ticket_moves(uow, midnight)
    limit = timedelta(minutes=rules.idle_alert_minutes)
    alerts: list[Alert] = []
    for counter in session.scalars(
        select(Counter)
        .where(Counter.branch_id == uow.branch_id, Counter.active.is_(True),
               Counter.state == CounterState.OPEN)
        .order_by(Counter.number)
    ):
        busy = CurrentVisit(0, "serving", now) if counter.current_ticket_id else None
        info = CounterInfo(counter.id, counter.number, counter.state,
                           tuple(assigned.get(counter.id, ())), counter.call_policy, busy,
                           counter.state_since)
        silent = silent_for(info, waiting, moves.get(counter.id), now, limit)
        if silent is not None:
            minutes = int(silent[0] // 60)
            alerts.append(Alert(
                SILENT,
                f"Loket {counter.number} belum memanggil selama {minutes} menit; "
                f"{silent[1]} orang menunggu layanannya",
                counter_number=counter.number, minutes=minutes, visitors=silent[1],
            ))
    risk = timedelta(minutes=rules.window_risk_minutes)
    estimate = estimate_queue(uow)
    oldest: dict[int, datetime] = {}
    at_risk: dict[int, int] = defaultdict(int)
    for r in rows:
        oldest[r.service_id] = min(oldest.get(r.service_id, r.issued_at), r.issued_at)
        if r.window_high_seconds is None:
            continue
        ends = r.issued_at + timedelta(seconds=r.window_high_seconds)
        if ends > now + risk:
            continue
        # Near its end: at risk only when the estimate expects the call after it.
        expected = estimate.tickets.get(r.id)
        if ends <= now or expected is None or now + timedelta(
            seconds=expected.expected_seconds
        ) > ends:
            at_risk[r.service_id] += 1
    targets = dict(session.execute(
        select(Service.id, Service.target_wait_seconds).where(Service.branch_id == uow.branch_id)
    ).all())
    for service_id in sorted(oldest, key=lambda sid: codes.get(sid, "")):
        waited = (now - oldest[service_id]).total_seconds()
        target = targets.get(service_id)
        code = codes.get(service_id, "?")
        if target and waited > target:
            alerts.append(Alert(
                OVER_TARGET,
                f"{code}: tunggu terlama {int(waited // 60)} menit, melewati target "
                f"{target // 60} menit",
                service_code=code, minutes=int(waited // 60), limit=target // 60,
            ))
        if at_risk.get(service_id):
            alerts.append(Alert(
                AT_RISK,
                f"{code}: jendela waktu {at_risk[service_id]} pengunjung berakhir ≤ "
                f"{rules.window_risk_minutes} menit lagi atau sudah lewat",
                service_code=code, visitors=at_risk[service_id],
                limit=rules.window_risk_minutes,
            ))
    return tuple(alerts) + message_alerts(uow, midnight)


def message_alerts(uow: UnitOfWork, since: datetime) -> tuple[Alert, ...]:
    """Messages to visitors given up since `since`, and retries piling up (a gateway down),
    per channel (`service_code` holds the channel, `visitors` the count)."""
    alerts = []
    pile = uow.settings.messages.retry_pile_up
    for trouble in channel_trouble(uow, since):
        if trouble.failed:
            alerts.append(Alert(
                MESSAGES_FAILED,
                f"{trouble.failed} pesan ke pengunjung lewat {trouble.channel} gagal terkirim",
                service_code=trouble.channel, visitors=trouble.failed,
            ))
        if trouble.retrying >= pile:
            alerts.append(Alert(
                MESSAGES_PILING,
                f"{trouble.retrying} pesan ke pengunjung lewat {trouble.channel} menunggu "
                "dikirim ulang; gateway mungkin mati",
                service_code=trouble.channel, visitors=trouble.retrying, limit=pile,
            ))
    return tuple(alerts)
