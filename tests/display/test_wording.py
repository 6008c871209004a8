"""Waits, dates and times as the lobby reads them; the information panel's pages."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from display.info_pages import info_pages
from display.lobby_settings import LobbySettings, lobby_settings
from display.wording import (
    both_languages,
    clock_text,
    indonesian_date,
    service_wait_text,
    wait_range_minutes,
    wait_text,
)
from shared.config import load_branch_config
from shared.estimation.window import WaitEstimate
from shared.i18n import Translator
from shared.services.service_outlook import IssuingState, ServiceOutlook, wait_minutes

TR = Translator("id")


def estimate(low_minutes: float, high_minutes: float) -> WaitEstimate:
    middle = (low_minutes + high_minutes) / 2
    return WaitEstimate(middle * 60, low_minutes * 60, high_minutes * 60, 2)


def line(
    issuing: IssuingState = "open",
    wait: WaitEstimate | None = None,
    *,
    code: str = "JHT",
    name: str = "Klaim JHT",
    quota_left: int | None = None,
    hours: tuple[time, time] | None = (time(8), time(15)),
    opens: time | None = None,
    documents: tuple[str, ...] = (),
    waiting: int = 0,
) -> ServiceOutlook:
    return ServiceOutlook(
        service_id=1, code=code, prefix="A", name_id=name, name_en=name + " (en)",
        priority=False, waiting=waiting, priority_allowed=True, wait=wait, issuing=issuing,
        earliest=None, quota_left=quota_left, issuing_hours=hours, opens_later_today=opens,
        documents_id=documents,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (14.2, 24.1, "14–24 menit"),
        (15.0, 25.0, "15–25 menit"),
        (0.0, 3.0, "< 3 menit"),
        (2.0, 9.0, "2–9 menit"),
        (20.0, 20.4, "± 20 menit"),
        (95.0, 141.0, "95–141 menit"),
    ],
)
def test_waits_are_the_kiosks_whole_minutes(low: float, high: float, shown: str) -> None:
    """The lobby shows the figures the kiosk and the ticket show: no rounding of its own."""
    assert wait_text(TR, estimate(low, high)) == shown
    assert wait_range_minutes(estimate(low, high)) == wait_minutes(estimate(low, high))


def test_the_estimate_column_says_why_there_is_no_range() -> None:
    assert service_wait_text(TR, line("open", estimate(15, 25))) == "15–25 menit"
    assert service_wait_text(TR, line("open", None)) == "Loket tutup"
    assert service_wait_text(TR, line("closed", estimate(5, 9))) == "Ditutup"
    assert service_wait_text(TR, line("closed", None, opens=time(8))) == "Buka 08:00"
    assert service_wait_text(TR, line("full", estimate(5, 9))) == "Kuota habis"
    assert service_wait_text(TR, line("capacity", estimate(5, 9))) == "Penuh hari ini"
    assert service_wait_text(TR, line("unserved", None)) == "Tidak dilayani hari ini"
    assert service_wait_text(Translator("en"), line("open", estimate(15, 25))) == "15–25 min"


def test_a_service_issuing_no_more_says_the_people_waiting_are_still_served() -> None:
    """"Ditutup" beside 16 waiting read as if those 16 were sent home."""
    closed = line("closed", estimate(5, 9), waiting=16)
    assert service_wait_text(TR, closed) == "Ditutup · 16 masih dilayani"
    assert service_wait_text(TR, line("full", None, waiting=4)) == "Kuota habis · 4 masih dilayani"
    assert (
        service_wait_text(TR, line("capacity", estimate(5, 9), waiting=30))
        == "Penuh hari ini · 30 masih dilayani"
    )
    assert service_wait_text(Translator("en"), closed) == "Closed · 16 still being served"
    # Nobody serves it today: those waiting are not "still served".
    assert service_wait_text(TR, line("unserved", None, waiting=2)) == "Tidak dilayani hari ini"


def test_dates_and_times_in_indonesian() -> None:
    moment = datetime(2026, 8, 17, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert indonesian_date(moment) == "Senin, 17 Agustus 2026"
    assert clock_text(moment, "Asia/Jakarta") == "09:05 WIB"
    assert clock_text(moment, "Asia/Makassar") == "09:05 WITA"
    assert clock_text(moment, "Europe/Amsterdam") == "09:05"
    assert indonesian_date(datetime(2027, 1, 3)) == "Minggu, 3 Januari 2027"


def test_both_languages_indonesian_first() -> None:
    assert both_languages(TR, "display.counters.title") == "Loket · Counters"


def test_the_information_pages_of_the_demo_branch() -> None:
    config = load_branch_config("assets/config/demo-branch.toml")
    settings = lobby_settings(config)
    assert settings.display.running_text_id.startswith("Layanan BPJS")
    waits = [
        line("open", estimate(10, 20), code="JHT", name="Klaim JHT",
             documents=("KTP", "Kartu Keluarga")),
        line("open", estimate(5, 9), code="JMO", name="Reset akun JMO", quota_left=12,
             hours=(time(8), time(8, 30))),
        line("full", None, code="X", name="Layanan X"),
        line("closed", None, code="Y", name="Layanan Y", hours=None),
    ]  # fmt: skip
    pages = info_pages(TR, settings, waits, date(2026, 11, 23))  # a Monday
    hours, capacity, documents = pages
    assert hours.title == "Jam layanan hari ini"
    assert hours.title_en == "Service hours today"
    assert hours.body.splitlines() == [
        "Kantor buka 08:00–15:00",
        "Reset akun JMO: pengambilan nomor 08:00–08:30",
        "Layanan Y: tidak ada pengambilan nomor hari ini",
    ]
    assert capacity.body.splitlines() == [
        "Klaim JHT: masih tersedia",
        "Reset akun JMO: sisa 12 nomor",
        "Layanan X: kuota habis",
        "Layanan Y: pendaftaran ditutup",
    ]
    assert (documents.title, documents.body) == ("Persyaratan Klaim JHT", "KTP · Kartu Keluarga")
    assert documents.title_en == "What to bring: Klaim JHT (en)"
    sunday = info_pages(TR, settings, waits, date(2026, 11, 22))[0]
    assert sunday.body == "Hari ini kantor tutup"
    holiday = info_pages(TR, settings, waits, date(2026, 12, 25))[0]
    assert holiday.body == "Hari ini kantor tutup"


def test_no_services_no_pages() -> None:
    assert info_pages(TR, LobbySettings(), [], date(2026, 11, 23)) == []
