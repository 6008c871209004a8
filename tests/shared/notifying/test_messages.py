"""What each message says, in Bahasa Indonesia and in English, from an outbox row's kind and
parameters as either database's triggers write them."""

from __future__ import annotations

import pytest

from shared.notifying.messages import KINDS, instant, render
from tests.support.branches import small_branch

SETTINGS = small_branch()
TOKEN = "tok3n"


def said(kind: str, language: str = "id", **parameters: object) -> tuple[str, str, str | None]:
    message = render("7-abc", "+6281234567890", kind, {"label": "A012", "token": TOKEN,
                                                       **parameters}, language, SETTINGS)
    assert message.key == "7-abc" and message.address == "+6281234567890"
    return message.title, message.text, message.url


def test_called_names_the_counter_in_either_language() -> None:
    title, text, url = said("called", counter=3)
    assert (title, text) == ("Nomor A012 dipanggil", "Nomor A012 dipanggil — silakan ke Loket 3.")
    assert url == "http://localhost:8080/t/tok3n"
    assert said("called", "en", counter=3)[1] == (
        "Number A012 is called — please go to Counter 3.")


def test_missed_says_until_when_the_desk_can_reinstate() -> None:
    # 09:00 WIB (as SQLite's trigger writes it: naive UTC) plus the 30 minutes' grace.
    assert "Sampai pukul 09:30 meja informasi" in said("missed", at="2026-11-23 02:00:00.000000")[1]
    late = SETTINGS.model_copy(update={
        "queue": SETTINGS.queue.model_copy(update={"no_show_grace_minutes": 0})})
    text = render("k", "+62", "missed", {"label": "A012", "at": "2026-11-23T02:00:00+00:00"},
                  "id", late).text
    assert text.endswith("Silakan ambil nomor baru di kiosk.")


def test_near_and_moved_give_the_window_in_the_branchs_time() -> None:
    window = {"from": "2026-11-23T02:10:00+00:00", "until": "2026-11-23T02:25:00+00:00"}
    assert said("near", ahead=2, **window)[1] == (
        "Nomor A012: tinggal 2 orang di depan Anda. Perkiraan dipanggil 09:10–09:25. "
        "Silakan kembali ke ruang tunggu.")
    assert said("moved", "en", **window)[1] == (
        "The expected call of number A012 is now 09:10–09:25.")


def test_the_survey_link_goes_to_the_tickets_survey() -> None:
    _, text, url = said("survey")
    assert url == "http://localhost:8080/t/tok3n/survey"
    assert text.endswith(url)


@pytest.mark.parametrize("kind", ["reminder_evening", "reminder_hour"])
def test_a_bookings_reminders_name_its_code_service_and_time(kind: str) -> None:
    parameters = {"code": "BK7Q2M", "service_id": "Klaim JHT", "service_en": "JHT claim",
                  "slot_start": "2026-11-24T02:30:00+00:00"}
    _, text, url = said(kind, **parameters)
    assert "BK7Q2M" in text and "Klaim JHT" in text and "09:30" in text
    assert url == "http://localhost:8080/b/BK7Q2M"
    assert "JHT claim" in said(kind, "en", **parameters)[1]


def test_every_kind_has_both_languages_and_fits_a_long_sms() -> None:
    parameters = {"counter": 12, "at": "2026-11-23T02:00:00+00:00", "ahead": 3,
                  "from": "2026-11-23T02:10:00+00:00", "until": "2026-11-23T02:25:00+00:00",
                  "code": "BK7Q2M", "service_id": "Klaim Jaminan Hari Tua",
                  "service_en": "Old-age savings claim",
                  "slot_start": "2026-11-24T02:30:00+00:00"}
    for kind in KINDS:
        indonesian, english = said(kind, "id", **parameters), said(kind, "en", **parameters)
        assert indonesian[:2] != english[:2]
        assert all(len(text) <= 2 * 153 for text in (indonesian[1], english[1]))


def test_an_unknown_kind_is_refused_and_times_read_from_either_database() -> None:
    with pytest.raises(KeyError):
        said("lottery")
    assert instant("2026-11-23 02:00:00") == instant("2026-11-23T09:00:00+07:00")
