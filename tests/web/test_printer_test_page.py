"""The kiosk's printer test page, read off the paper: its QR opens a page the web service has."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from kiosk.settings import KioskOptions, read_kiosk_settings
from kiosk.slips import SlipMaker, web_home
from shared.printing.layout import layout_ticket
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from tests.support.escpos_paper import print_on_paper

NOW = datetime(2026, 11, 23, 2, 10, tzinfo=UTC)


def test_the_test_pages_qr_opens_the_web_home(client: TestClient, store: Store) -> None:
    with UnitOfWork(store, "TST") as uow:
        settings = read_kiosk_settings(uow, KioskOptions("lobi-1"))
    slip = SlipMaker(settings).test_slip(NOW, "id", "Tes printer")
    paper = print_on_paper(layout_ticket(slip, 58), 58)
    [scanned] = paper.qr_contents
    address = urlsplit(scanned)
    base = urlsplit(settings.queue.survey_base_url)
    assert (address.scheme, address.netloc) == (base.scheme, base.netloc)
    answer = client.get(address.path)
    assert answer.status_code == 200, f"{scanned} answers {answer.status_code}"
    assert "TES" in paper.lines and "Tes printer" in paper.lines


def test_the_web_home_is_found_under_a_path_too() -> None:
    assert web_home("https://antrean.example.id/serang/t/") == "https://antrean.example.id/serang/"
