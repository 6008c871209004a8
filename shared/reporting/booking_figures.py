"""Online booking's figures (antrean online): what was booked for the range and what came of it.

A booked visit is a ticket a booking was checked in for; its calling and waiting are already
in the wait figures, so here only its share of the served visits is counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from shared.domain.states import BookingState
from shared.reporting.reading import BookingRow, ReportRows


@dataclass(frozen=True)
class BookingCounts:
    code: str  # a service's, or "ALL"
    name: str  # a service's "CODE — name", or "Semua / all"
    made: int  # every booking for a day in the range, cancelled ones included
    checked_in: int
    cancelled: int
    not_used: int  # still booked when its check-in time was over
    to_come: int  # still booked, and can still be checked in
    served: int  # visits finished in the range
    served_booked: int  # of those, visits that came by booking

    @property
    def booked_share(self) -> float | None:
        """Share of the served visits that came by booking."""
        return self.served_booked / self.served if self.served else None


@dataclass(frozen=True)
class BookingFigures:
    total: BookingCounts
    by_service: tuple[BookingCounts, ...]


def compute_bookings(rows: ReportRows) -> BookingFigures:
    booked_tickets = {b.ticket_id for b in rows.bookings if b.ticket_id is not None}
    served: Counter[int | None] = Counter()
    served_booked: Counter[int | None] = Counter()
    # Served visits count by the service that finished them, as the service table does.
    for event in rows.ticket_events:
        if event.kind == "ticket.finish":
            served[event.service_id] += 1
            if event.ticket_id in booked_tickets:
                served_booked[event.service_id] += 1
    by_service: dict[int, list[BookingRow]] = defaultdict(list)
    for booking in rows.bookings:
        by_service[booking.service_id].append(booking)

    def counts(code: str, name: str, bookings: list[BookingRow], sid: int | None) -> BookingCounts:
        states = Counter(b.state for b in bookings)
        # A booking can be checked in until a while after its slot ends (a branch setting).
        lapsed = sum(
            1 for b in bookings
            if b.state == BookingState.BOOKED and b.slot_end + rows.checkin_late < rows.now
        )
        return BookingCounts(
            code=code,
            name=name,
            made=len(bookings),
            checked_in=states[BookingState.CHECKED_IN],
            cancelled=states[BookingState.CANCELLED],
            not_used=lapsed,
            to_come=states[BookingState.BOOKED] - lapsed,
            served=served.total() if sid is None else served[sid],
            served_booked=served_booked.total() if sid is None else served_booked[sid],
        )

    return BookingFigures(
        total=counts("ALL", "Semua / all", rows.bookings, None),
        by_service=tuple(
            counts(s.code, f"{s.code} — {s.name_id}", by_service.get(s.id, []), s.id)
            for s in sorted(rows.services.values(), key=lambda s: s.code)
            if s.id in by_service or served_booked[s.id]
        ),
    )
