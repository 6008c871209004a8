"""Kiosks report their printer's state, so counters and supervisors see a problem at once."""

from __future__ import annotations

from sqlalchemy import select

from shared.domain.text import printable
from shared.services.access import check_text
from shared.store.models import Kiosk
from shared.store.unit_of_work import UnitOfWork

# Printer states nobody has to act on: ready, or a USB or file printer that was reached but
# cannot report its state (as an alert it would stay on the list for good).
PRINTER_FINE = frozenset({"ready", "unchecked"})


def printer_needs_a_hand(printer_state: str) -> bool:
    return printer_state not in PRINTER_FINE


def report_printer(
    uow: UnitOfWork, kiosk_name: str, printer_state: str, detail: str = "", accepting: bool = True
) -> bool:
    """Record the kiosk's printer state; returns True when it changed (an event is written)."""
    kiosk_name = check_text(kiosk_name, "kiosk name", 40, required=True)
    # What the printer says is cut to what is stored before comparing, so a long report
    # repeated word for word is no change (and writes no event each time it repeats).
    printer_state = printable(printer_state).strip()[:20]
    detail = printable(detail).strip()[:400]
    kiosk = uow.session.scalar(
        select(Kiosk).where(Kiosk.branch_id == uow.branch_id, Kiosk.name == kiosk_name)
    )
    if kiosk is None:
        kiosk = Kiosk(branch_id=uow.branch_id, name=kiosk_name)
        uow.session.add(kiosk)
    changed = (kiosk.printer_state, kiosk.detail, kiosk.accepting) != (
        printer_state,
        detail,
        accepting,
    )
    kiosk.printer_state = printer_state
    kiosk.detail = detail
    kiosk.accepting = accepting
    kiosk.updated_at = uow.now()
    if changed:
        uow.record("kiosk.printer", detail=f"{kiosk_name}: {printer_state} {detail}".strip())
    uow.commit()
    return changed
