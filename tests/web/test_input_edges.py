"""Input at the web service's edge, on both databases: refused plainly (400, 413, 405 with
`Allow`) and never a server error, whatever the address, query, form or JSON holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.cli.setup_commands import always_open
from shared.domain.survey import QUESTION_KEYS
from shared.services import calling, counters, serving
from shared.services.issuing import issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from shared.store.models import Booking, SurveyResponse
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


@pytest.fixture
def open_all_day(store: Store) -> Iterator[TestClient]:
    """A branch open 00:00-23:59 every day: its last slot of a day ends at midnight."""
    config = always_open(small_branch())
    apply_branch_config(store, config)
    # Server errors come back as 500 answers, as a phone would see them.
    with TestClient(create_app(store, config), raise_server_exceptions=False) as client:
        yield client


def _bookings(store: Store) -> int:
    return len(run(store, lambda uow: list(uow.session.scalars(select(Booking.id)))))


@pytest.mark.parametrize("day", ["9999-12-31", "2031-01-07", "2026-12-01", "2026-11-22"])
def test_a_day_outside_the_booking_period_is_refused_plainly(
    open_all_day: TestClient, store: Store, day: str
) -> None:
    # 9999-12-31: its last slot would end in the year 10000. 2026-12-01: eight days ahead
    # (booking.days_ahead is 7). 2026-11-22: yesterday.
    slots = open_all_day.get(f"/api/services/JHT/slots?day={day}")
    assert slots.status_code == 400 and slots.json()["error"] == "period"
    assert "7 hari ke depan" in slots.json()["message"]
    made = open_all_day.post("/api/bookings", json=booking_body(date=day))
    assert made.status_code == 400 and made.json()["error"] == "period"
    english = open_all_day.post("/api/bookings?lang=en", json=booking_body(date=day))
    assert "up to 7 days ahead" in english.json()["message"]
    form = open_all_day.post("/book/JHT", data={"date": day, "time": "09:00", "nik": NIK,
                                                "phone": PHONE})
    assert form.status_code == 400 and "7 hari ke depan" in form.text
    assert _bookings(store) == 0


def test_the_last_day_of_the_booking_period_is_taken(open_all_day: TestClient) -> None:
    last = (MONDAY_0800 + timedelta(days=7)).date().isoformat()
    assert open_all_day.get(f"/api/services/JHT/slots?day={last}").json()[-1]["free"] > 0
    assert open_all_day.post("/api/bookings", json=booking_body(date=last)).status_code == 201


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/t/%00"), ("GET", "/t/%00/events"), ("GET", "/t/%00/survey"),
     ("GET", "/api/tickets/%00"), ("POST", "/api/tickets/a%00b/survey"),
     ("GET", "/b/%00"), ("GET", "/api/bookings/%00"), ("DELETE", "/api/bookings/%00"),
     ("POST", "/b/%00/cancel"), ("GET", "/book/JHT%00"),
     ("GET", "/api/services/JHT%00/days"), ("GET", f"/api/services/%00/slots?day={TUESDAY}"),
     ("GET", "/b?code=%00"), ("GET", "/?lang=%00")],
)
def test_a_nul_byte_in_the_address_is_refused_plainly(
    client: TestClient, method: str, path: str
) -> None:
    # PostgreSQL cannot compare a NUL byte: the service refuses it before any query.
    response = client.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json() == {"error": "invalid",
                                   "message": "the address may not hold control characters"}
    else:
        assert "control characters" in response.text


def test_a_nul_byte_in_a_body_or_form_is_refused_plainly(
    client: TestClient, store: Store
) -> None:
    ticket = run(store, issue_ticket, "JHT")
    answers = dict.fromkeys(QUESTION_KEYS, 4)
    survey = client.post(f"/api/tickets/{ticket.token}/survey",
                         json={"answers": answers, "comment": "bagus\x00"})
    assert survey.status_code == 400 and survey.json()["error"] == "invalid"
    for field in ("service", "request_id", "nik", "phone"):
        made = client.post("/api/bookings", json=booking_body(**{field: "A\x00"}))
        assert made.status_code == 400 and made.json()["error"] == "invalid", field
    form = client.post("/book/JHT", data={"date": TUESDAY, "time": "09:00", "nik": NIK,
                                          "phone": PHONE, "request": "r\x00"})
    assert form.status_code == 400 and "control characters" in form.text
    rated = client.post(f"/t/{ticket.token}/survey", data={**answers, "comment": "\x00"})
    assert rated.status_code == 400
    assert _bookings(store) == 0


def test_a_survey_answer_must_be_a_json_whole_number(
    client: TestClient, store: Store, staff: Staff
) -> None:
    ticket = run(store, issue_ticket, "JHT")
    run(store, counters.open_counter, 1, staff.ani)
    for step in (calling.call_next, serving.start, serving.finish):
        run(store, step, 1, staff.ani)
    url = f"/api/tickets/{ticket.token}/survey"
    for answer in (True, "4", 4.0):  # lax JSON parsing took true as 1 and "4" as 4
        refused = client.post(url, json={"answers": dict.fromkeys(QUESTION_KEYS, answer)})
        assert refused.status_code == 400 and refused.json()["error"] == "invalid"
    assert run(store, lambda uow: uow.session.scalar(select(SurveyResponse.id))) is None
    taken = client.post(url, json={"answers": dict.fromkeys(QUESTION_KEYS, 4)})
    assert taken.status_code == 201


@pytest.mark.parametrize(
    ("changes", "error"),
    [({"phone": "٠٨١٢٣٤٥٦٧٨٩٠"}, "phone"),  # Arabic-Indic digits
     ({"phone": "0212345678"}, "phone"),  # a landline
     ({"nik": "9999999999999999"}, "nik"),  # sixteen digits, but no province 99, no day 99
     ({"nik": "3604013213850001"}, "nik"),  # month 13
     ({"time": "٠٩:٠٠"}, "invalid")],
)
def test_numbers_that_only_look_right_are_refused(
    client: TestClient, store: Store, changes: dict[str, object], error: str
) -> None:
    response = client.post("/api/bookings", json=booking_body(**changes))
    assert response.status_code == 400 and response.json()["error"] == error
    assert _bookings(store) == 0


def _chunks(kilobytes: int) -> Iterator[bytes]:
    """A body sent in chunks, without a length: counted as it arrives."""
    for _ in range(kilobytes):
        yield b" " * 1024


@pytest.mark.parametrize("path", ["/api/bookings", "/api/tickets/abc/survey", "/book/JHT"])
def test_a_chunked_body_over_the_limit_is_413(client: TestClient, path: str) -> None:
    response = client.post(path, content=_chunks(64),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_small_chunked_body_is_read_whole(client: TestClient) -> None:
    body = b'{"service": "JHT", "date": "' + TUESDAY.encode() + b'", "time": "09:00", '
    body += b'"nik": "' + NIK.encode() + b'", "phone": "' + PHONE.encode() + b'"}'
    made = client.post("/api/bookings", content=(body[i:i + 7] for i in range(0, len(body), 7)),
                       headers={"content-type": "application/json"})
    assert made.status_code == 201 and made.json()["state"] == "booked"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("PATCH", "/api/bookings/ABCDEFGHJK", "DELETE, GET"),
     ("OPTIONS", "/api/bookings/ABCDEFGHJK", "DELETE, GET"),
     ("PUT", "/api/bookings", "POST"),
     ("POST", "/api/tickets/abc", "GET"),
     ("DELETE", "/api/tickets/abc/survey", "POST"),
     ("PUT", "/t/abc/survey", "GET, POST"),
     ("DELETE", "/b/ABCDEFGHJK", "GET")],
)
def test_a_wrong_method_is_405_with_every_allowed_method(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers.get_list("allow") == [allowed]
    if path.startswith("/api/"):
        assert response.json()["error"] == "method_not_allowed"


def test_an_unknown_api_address_is_404_in_the_api_shape(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert response.json()["message"].startswith("Tidak ditemukan")
    page = client.get("/nothing-here?lang=en")
    assert page.status_code == 404 and "Not found. Please check" in page.text


def test_the_openapi_document_declares_the_answers_the_api_gives(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert all(path.startswith("/api/") for path in document["paths"])  # pages are for browsers
    problem = {"$ref": "#/components/schemas/Problem"}
    declared = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" not in responses, (method, path)  # malformed input is answered 400
            for status, answer in responses.items():
                if not status.startswith("2"):
                    assert answer["content"]["application/json"]["schema"] == problem
            declared[f"{method.upper()} {path}"] = sorted(responses)
    assert declared["GET /api/tickets/{token}"] == ["200", "400", "404", "429", "503"]
    assert declared["POST /api/bookings"] == ["201", "400", "403", "404", "409", "413", "429",
                                              "503"]
    assert "ValidationError" not in document["components"]["schemas"]
