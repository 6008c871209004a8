"""The web service through HTTP: status, survey and booking, bad input, limits, privacy."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from shared.clock import ManualClock
from shared.config.survey import SurveySettings
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, serving
from shared.services.bookings import check_in_booking
from shared.services.issuing import issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import MONDAY_0800, small_branch
from web.app import create_app

NIK = "3604011203850001"
PHONE = "081234567890"
TUESDAY = (MONDAY_0800 + timedelta(days=1)).date().isoformat()


def booking_body(**changes: object) -> dict[str, object]:
    return {"service": "JHT", "date": TUESDAY, "time": "09:00", "nik": NIK, "phone": PHONE,
            **changes}


def test_ticket_status_follows_the_queue(client: TestClient, store: Store, staff: Staff) -> None:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    waiting = client.get(f"/api/tickets/{ticket.token}").json()
    assert waiting["label"] == "A001" and waiting["state"] == "waiting"
    assert waiting["people_ahead"] == 0 and waiting["window"] is not None
    page = client.get(f"/t/{ticket.token}")
    assert page.status_code == 200 and "A001" in page.text and "Anda berikutnya" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    run(store, calling.call_next, 1, staff.ani)
    called = client.get(f"/api/tickets/{ticket.token}").json()
    assert (called["state"], called["counter_number"]) == ("called", 1)
    assert "Dipanggil! Silakan menuju Loket 1" in client.get(f"/t/{ticket.token}").text
    english = client.get(f"/t/{ticket.token}?lang=en").text
    assert "Called! Please go to Loket 1" in english and 'lang="en"' in english


def test_status_stream_sends_the_live_part_and_ends_when_the_visit_is_over(
    client: TestClient, store: Store, staff: Staff
) -> None:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    run(store, calling.call_next, 1, staff.ani)
    run(store, serving.start, 1, staff.ani)
    run(store, serving.finish, 1, staff.ani)
    with client.stream("GET", f"/t/{ticket.token}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    assert "event: status" in text and "Layanan selesai" in text
    assert text.rstrip().endswith("event: end\ndata:")


def test_unknown_tokens_and_codes_are_404_then_rate_limited(client: TestClient) -> None:
    for path in ("/api/tickets/nope", "/t/nope", "/api/bookings/ABCDEFGHJK", "/b/zzz"):
        response = client.get(path)
        assert response.status_code == 404
    assert "Tidak ditemukan" in client.get("/t/" + "x" * 5000).text
    statuses = [client.get(f"/api/tickets/guess{n}").status_code for n in range(30)]
    assert 429 in statuses  # 20 misses a minute, then guessing is refused
    refused = client.get("/api/tickets/guess-more")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0


def test_survey_once_per_done_ticket(client: TestClient, store: Store, staff: Staff) -> None:
    ticket = run(store, issue_ticket, "JHT")
    ratings = dict.fromkeys(QUESTION_KEYS, 4)
    answers = {"answers": ratings, "comment": "Cepat"}
    early = client.post(f"/api/tickets/{ticket.token}/survey", json=answers)
    assert early.status_code == 409 and early.json()["error"] == "not_yet"
    run(store, counters.open_counter, 1, staff.ani)
    run(store, calling.call_next, 1, staff.ani)
    run(store, serving.start, 1, staff.ani)
    run(store, serving.finish, 1, staff.ani)
    bad = client.post(f"/api/tickets/{ticket.token}/survey",
                      json={"answers": {**ratings, "speed": 7}})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid"
    assert client.post(f"/api/tickets/{ticket.token}/survey", json=answers).status_code == 201
    again = client.post(f"/api/tickets/{ticket.token}/survey", json=answers)
    assert again.status_code == 409 and again.json()["error"] == "answered"
    assert client.get(f"/api/tickets/{ticket.token}").json()["survey"] == "answered"


def test_survey_form_in_the_browser_way(client: TestClient, store: Store, staff: Staff) -> None:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    for step in (calling.call_next, serving.start, serving.finish):
        run(store, step, 1, staff.ani)
    form = client.get(f"/t/{ticket.token}/survey")
    assert form.status_code == 200 and 'name="speed"' in form.text
    partial = client.post(f"/t/{ticket.token}/survey", data={"speed": "3", "comment": "ok"})
    assert partial.status_code == 400 and "nilai 1 sampai 4" in partial.text
    assert 'value="3" required checked' in partial.text  # what was chosen stays chosen
    full = dict.fromkeys(QUESTION_KEYS, "3") | {"comment": "Petugas ramah"}
    thanks = client.post(f"/t/{ticket.token}/survey", data=full)
    assert thanks.status_code == 200 and "Terima kasih" in thanks.text
    second = client.post(f"/t/{ticket.token}/survey", data=full)
    assert second.status_code == 409 and "sudah dinilai" in second.text
    assert client.get(f"/t/{ticket.token}/survey").status_code == 409


def test_the_survey_page_asks_the_nine_elements_in_indonesian_then_english(
    client: TestClient, store: Store, staff: Staff
) -> None:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    for step in (calling.call_next, serving.start, serving.finish):
        run(store, step, 1, staff.ani)
    form = client.get(f"/t/{ticket.token}/survey").text
    asked = re.findall(r'<input type="radio" name="(\w+)" value="1"', form)
    assert asked == list(QUESTION_KEYS) and len(asked) == 9
    legends = re.findall(r"<legend>(\d)\. ([^<]+)</legend>", form)
    assert [n for n, _ in legends] == [str(i) for i in range(1, 10)]
    assert legends[3][1] == "Apakah biaya/tarif layanan wajar (atau gratis sesuai aturan)?"
    assert form.index("Apakah petugas sopan dan ramah?") < form.index(
        "Was the officer polite and friendly?")


def test_a_branch_asking_a_subset_shows_and_takes_only_those(
    client: TestClient, store: Store, staff: Staff
) -> None:
    subset = ["speed", "conduct", "facilities"]
    apply_branch_config(store, small_branch().model_copy(
        update={"survey": SurveySettings(elements=subset)}))
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    for step in (calling.call_next, serving.start, serving.finish):
        run(store, step, 1, staff.ani)
    form = client.get(f"/t/{ticket.token}/survey").text
    assert re.findall(r'<input type="radio" name="(\w+)" value="1"', form) == subset
    thanks = client.post(f"/t/{ticket.token}/survey", data=dict.fromkeys(subset, "4"))
    assert thanks.status_code == 200 and "Terima kasih" in thanks.text


def test_booking_through_the_api(client: TestClient) -> None:
    slots = client.get(f"/api/services/JHT/slots?day={TUESDAY}").json()
    assert slots[2]["start"].startswith(f"{TUESDAY}T09:00") and slots[2]["free"] == 2
    made = client.post("/api/bookings", json=booking_body(request_id="r1"))
    assert made.status_code == 201
    booking = made.json()
    assert booking["state"] == "booked" and booking["nik_last4"] == "0001"
    assert client.post("/api/bookings", json=booking_body(request_id="r1")).json()["code"] == (
        booking["code"]
    )
    double = client.post("/api/bookings", json=booking_body(time="10:00"))
    assert double.status_code == 409 and double.json()["error"] == "duplicate"
    client.post("/api/bookings", json=booking_body(nik="3604015507900002"))
    full = client.post("/api/bookings", json=booking_body(nik="3604016104950003"))
    assert full.status_code == 409 and full.json()["error"] == "full"
    found = client.get(f"/api/bookings/{booking['code_display'].lower()}").json()
    assert found["code"] == booking["code"]
    cancelled = client.delete(f"/api/bookings/{booking['code']}").json()
    assert cancelled["state"] == "cancelled"


@pytest.mark.parametrize(
    ("changes", "status", "error"),
    [
        ({"nik": "12345"}, 400, "nik"),
        ({"nik": "36040112038500AB"}, 400, "nik"),
        ({"phone": "call me"}, 400, "phone"),
        ({"time": "09:10"}, 400, "no_slot"),
        ({"time": "9am"}, 400, "invalid"),
        ({"date": "2026-13-40"}, 400, "invalid"),
        ({"service": "NOPE"}, 404, "not_found"),
        ({"extra": "field"}, 400, "invalid"),
        ({"nik": "3" * 5000}, 400, "invalid"),
    ],
)
def test_bad_booking_input_is_refused_plainly(
    client: TestClient, changes: dict[str, object], status: int, error: str
) -> None:
    response = client.post("/api/bookings", json=booking_body(**changes))
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["message"]
    assert client.get(f"/api/services/JHT/slots?day={TUESDAY}").json()[2]["booked"] == 0


def test_huge_or_broken_bodies_are_refused_before_reading(client: TestClient) -> None:
    huge = client.post("/api/bookings", content=b"{" + b" " * 100_000 + b"}",
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"

    def chunks():  # no content-length: counted as it arrives
        for _ in range(40):
            yield b"x" * 1024

    streamed = client.post("/book/JHT", content=chunks(),
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413
    broken = client.post("/api/bookings", content=b"{not json",
                         headers={"content-type": "application/json"})
    assert broken.status_code == 400


def test_bookings_per_address_are_limited(store: Store) -> None:
    config = small_branch()
    config = config.model_copy(update={"web": config.web.model_copy(
        update={"bookings_per_hour": 2})})
    with TestClient(create_app(store, config)) as client:
        codes = [client.post("/api/bookings", json=booking_body(nik=f"36040112038{n:05d}",
                                                                 time=f"1{n}:00")).status_code
                 for n in range(1, 4)]
    assert codes == [201, 201, 429]


def test_booking_form_round_trip(client: TestClient) -> None:
    page = client.get(f"/book/JHT?date={TUESDAY}")
    assert page.status_code == 200 and 'value="09:00"' in page.text
    wrong = client.post("/book/JHT", data={"date": TUESDAY, "time": "09:00", "nik": "123",
                                            "phone": PHONE})
    assert wrong.status_code == 400 and "NIK harus 16 angka" in wrong.text
    assert f'value="{PHONE}"' in wrong.text  # the form keeps what was typed
    made = client.post("/book/JHT?lang=en", data={"date": TUESDAY, "time": "09:00", "nik": NIK,
                                                  "phone": PHONE, "request": "form-1"})
    assert made.status_code == 303 and made.headers["location"].endswith("?lang=en")
    booking = client.get(made.headers["location"])
    assert "Your booking" in booking.text and "data:image/png;base64," in booking.text
    code = made.headers["location"].split("/b/")[1].split("?")[0]
    assert f"{code[:5]}-{code[5:]}" in booking.text
    assert client.get(f"/b?code={code.lower()}").headers["location"].startswith(f"/b/{code}")
    cancelled = client.post(f"/b/{code}/cancel")
    assert cancelled.status_code == 303
    assert "sudah dibatalkan" in client.get(f"/b/{code}").text


def test_an_expired_booking_says_so(
    client: TestClient, store: Store, clock: ManualClock
) -> None:
    made = client.post("/api/bookings", json=booking_body()).json()
    clock.set(MONDAY_0800 + timedelta(days=1, hours=2))  # Tuesday 10:00, past 09:45
    page = client.get(f"/b/{made['code']}")
    assert "sudah lewat" in page.text and "data:image/png" not in page.text
    with pytest.raises(Exception, match="expired"):
        run(store, check_in_booking, made["code"], kiosk="K1")


def test_logs_name_routes_never_visitor_data(
    client: TestClient, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    ticket = run(store, issue_ticket, "JHT")
    with caplog.at_level(logging.DEBUG):
        code = client.post("/api/bookings", json=booking_body()).json()["code"]
        client.get(f"/b/{code}")
        client.get(f"/t/{ticket.token}")
        other = booking_body(nik="3604015507900002", phone="0857 1111 2222")
        client.post("/api/bookings", json=other)
    # Everything the server side logged (the test's own HTTP client logs its requests too).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("httpx"))
    assert "GET /b/{code} 200" in logged and "POST /api/bookings 201" in logged
    for secret in (NIK, "3604015507900002", PHONE, "85711112222", code, ticket.token):
        assert secret not in logged
