"""The slip a visitor takes home: filled from the ticket, in the visitor's language."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from kiosk.settings import KioskOptions, KioskSettings, read_kiosk_settings
from kiosk.slips import SlipMaker
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from tests.support.branches import JAKARTA

ISSUED = datetime(2026, 11, 23, 2, 10, tzinfo=UTC)  # 09:10 in Serang


@pytest.fixture
def settings(kiosk_store: Store) -> KioskSettings:
    with UnitOfWork(kiosk_store, "TST") as uow:
        return read_kiosk_settings(uow, KioskOptions("lobi-1"))


def a_ticket(**changes: Any) -> TicketView:
    ticket = TicketView(
        id=7, label="A007", service_code="JHT", service_name_id="Klaim JHT",
        service_name_en="JHT claim", state="waiting", priority=False, issued_at=ISSUED,
        queued_at=ISSUED, called_at=None, started_at=None, call_count=0, counter_number=None,
        token="tok3n", people_ahead=4, estimate_seconds=1500.0, window_low_seconds=1200.0,
        window_high_seconds=1800.0,
    )
    return dataclasses.replace(ticket, **changes)


def test_slip_in_indonesian(settings: KioskSettings) -> None:
    slip = SlipMaker(settings).slip(a_ticket(), "id")
    assert slip.branch_name == "Kantor Cabang Uji"
    assert (slip.service_name, slip.label, slip.people_ahead) == ("Klaim JHT", "A007", 4)
    assert slip.issued_at == datetime(2026, 11, 23, 9, 10, tzinfo=JAKARTA)
    assert slip.window == (slip.issued_at + timedelta(minutes=20),
                           slip.issued_at + timedelta(minutes=30))
    assert slip.status_url == "http://localhost:8080/t/tok3n"  # queue.survey_base_url + token
    assert slip.documents == ("KTP", "Kartu peserta BPJS Ketenagakerjaan")
    assert slip.footer == "Terima kasih. Simpan tiket ini sampai dipanggil."
    assert slip.window_line() == "Perkiraan dipanggil: 09:30–09:40"


def test_slip_in_english_without_estimate(settings: KioskSettings) -> None:
    ticket = a_ticket(window_low_seconds=None, window_high_seconds=None, priority=True)
    slip = SlipMaker(settings).slip(ticket, "en")
    assert slip.service_name == "JHT claim" and slip.priority
    assert slip.window is None
    assert slip.documents[0] == "Identity card (KTP)"
    assert slip.footer.startswith("Thank you")


def test_unknown_service_has_no_documents(settings: KioskSettings) -> None:
    slip = SlipMaker(settings).slip(a_ticket(service_code="GONE"), "id")
    assert slip.documents == ()


def test_the_picture_is_a_png(settings: KioskSettings) -> None:
    maker = SlipMaker(settings)
    assert maker.picture(maker.slip(a_ticket(), "id")).startswith(b"\x89PNG")


def test_the_printer_test_page_promises_only_the_branch_page(settings: KioskSettings) -> None:
    """Its code leads to the branch's queue page: no status or survey is behind it."""
    maker = SlipMaker(settings)
    job = maker.job(maker.test_slip(ISSUED, "id", "Tes printer"))
    assert b"Pindai untuk halaman antrean cabang" in job
    assert b"status & survei" not in job
    english = maker.test_slip(ISSUED, "en", "Printer test")
    assert english.scan_caption == "Scan for the branch's queue page"
    # A visitor's own ticket still promises both.
    assert maker.slip(a_ticket(), "id").scan_caption == "Pindai untuk status & survei"
