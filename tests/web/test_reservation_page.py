"""The phone's pages and the kiosk's turn-aways: a kiosk reservation's page, and the waits the
kiosk shows, on the home page."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from shared.domain.booking import format_code
from shared.services.issuing import issue_ticket
from shared.services.reservations import reserve
from shared.store.database import Store
from tests.support.actions import run
from tests.support.branches import MONDAY_0800

TUESDAY_0800 = MONDAY_0800 + timedelta(days=1)


def test_the_phone_shows_a_kiosk_reservation_with_no_nik(client: TestClient, store: Store) -> None:
    made = run(store, reserve, "JHT", TUESDAY_0800, kiosk="lobi-1")
    page = client.get(f"/b/{made.booking.code}").text
    assert format_code(made.booking.code) in page
    assert "Dijadwalkan di mesin antrean; kode ini buktinya." in page
    assert "NIK berakhiran" not in page


def test_the_phone_home_shows_the_kiosks_waits(client: TestClient, store: Store) -> None:
    run(store, issue_ticket, "JKM")
    page = client.get("/").text
    assert "Perkiraan tunggu bila mengambil nomor sekarang" in page
    assert "1 menunggu" in page
