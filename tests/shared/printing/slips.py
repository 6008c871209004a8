"""A realistic ticket slip for printing tests, with any field changed."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Any

from shared.printing.ticket import TicketSlip

WIB = timezone(timedelta(hours=7), "WIB")
ISSUED_AT = datetime(2025, 3, 3, 9, 12, tzinfo=WIB)  # a Monday
STATUS_URL = "https://antrean.example.id/s/A012-7f3k"


def a_slip(**changes: Any) -> TicketSlip:
    slip = TicketSlip(
        branch_name="BPJS Ketenagakerjaan Cabang Serang",
        service_name="Klaim JHT",
        label="A012",
        issued_at=ISSUED_AT,
        people_ahead=5,
        window=(ISSUED_AT.replace(minute=40), ISSUED_AT.replace(hour=10, minute=5)),
        status_url=STATUS_URL,
        documents=("KTP", "Kartu peserta BPJS"),
        footer="Terima kasih",
        priority=False,
        language="id",
    )
    return dataclasses.replace(slip, **changes)
