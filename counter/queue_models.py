"""The officer's lists: visitors waiting for this counter, and tickets held here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject

from counter.table_model import Column, Role, RowTableModel
from counter.wording import duration, service_name
from shared.i18n import Translator
from shared.services.desk import HeldTicket, QueuedTicket

Now = Callable[[], datetime]


def _marks(tr: Translator, ticket: QueuedTicket) -> str:
    marks = []
    if ticket.priority:
        marks.append(tr("counter.queue.priority"))
    if ticket.due_at is not None:
        marks.append(tr("counter.queue.booking"))
    return ", ".join(marks)


class WaitingQueueModel(RowTableModel[QueuedTicket]):
    """In the order "call next" takes them; the wait column reads the screen's clock."""

    def __init__(self, tr: Translator, now: Now, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("counter.queue.number"), lambda t: t.label),
                Column(tr("counter.queue.service"), lambda t: service_name(tr, t.service)),
                Column(
                    tr("counter.queue.waited"),
                    lambda t: duration(tr, (now() - t.queued_at).total_seconds()),
                ),
                Column(tr("counter.queue.marks"), lambda t: _marks(tr, t)),
            ],
            [
                Role("label", lambda t: t.label),
                Role("serviceCode", lambda t: t.service.code),
                Role("priority", lambda t: t.priority),
                Role("dueAt", lambda t: t.due_at),
                Role("queuedAt", lambda t: t.queued_at),
            ],
            parent,
        )


class HeldTicketsModel(RowTableModel[HeldTicket]):
    def __init__(self, tr: Translator, now: Now, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("counter.queue.number"), lambda t: t.label),
                Column(tr("counter.queue.service"), lambda t: service_name(tr, t.service)),
                Column(
                    tr("counter.held.since"),
                    lambda t: duration(tr, (now() - t.held_since).total_seconds()),
                ),
            ],
            [
                Role("label", lambda t: t.label),
                Role("serviceCode", lambda t: t.service.code),
                Role("heldSince", lambda t: t.held_since),
            ],
            parent,
        )
