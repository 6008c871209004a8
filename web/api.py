"""The same as the pages, as JSON: for tests, a future app, and anyone building on Antrean."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from shared.domain.booking import format_code
from shared.domain.states import BookingState, TicketState
from shared.domain.text import has_unprintable
from shared.services.booking_offer import bookable_services, booking_days, booking_slots
from shared.services.bookings import BookingView, book, cancel_booking, find_booking
from shared.services.survey import answer_survey
from shared.services.ticket_status import TicketStatus
from web.booking_pages import parse_start
from web.context import context_of

router = APIRouter(prefix="/api")


def _printable(value: str) -> str:
    if has_unprintable(value):
        raise ValueError("control characters are not allowed")
    return value


def _printable_lines(value: str) -> str:
    if has_unprintable(value, multiline=True):
        raise ValueError("control characters are not allowed")
    return value


Short = Annotated[str, StringConstraints(max_length=64), AfterValidator(_printable)]
Code = Annotated[str, StringConstraints(max_length=16), AfterValidator(_printable)]
Digits = Annotated[str, StringConstraints(max_length=32), AfterValidator(_printable)]


class SurveyAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Strict: JSON `true` or `"4"` is not a rating (lax mode would store true as 1).
    answers: dict[Short, StrictInt] = Field(max_length=20)
    comment: Annotated[
        str, StringConstraints(max_length=1000), AfterValidator(_printable_lines)
    ] = ""


class BookingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: Code
    date: date
    time: Annotated[str, StringConstraints(pattern=r"^[0-9]{2}:[0-9]{2}$")]
    nik: Digits
    phone: Digits
    request_id: Short | None = None


class Problem(BaseModel):
    """Every refusal: a code to act on, and a message in the visitor's language."""

    error: str
    message: str


def _answers(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route can give, declared in the OpenAPI document with their shape."""
    return {status: {"model": Problem, "description": PROBLEMS[status]} for status in statuses}


PROBLEMS = {
    400: "The request is malformed or a value is refused; `message` says which and why.",
    403: "The branch or this service takes no online bookings.",
    404: "No such ticket, booking or service.",
    409: "Refused by the state of things (already answered, full, cancelled, ...).",
    413: "The request body is larger than the service accepts.",
    429: "Too many attempts from this address; `retry-after` says when to try again.",
    503: "The store is unreachable or booking is not set up; try again later.",
}


class TicketOut(BaseModel):
    """A ticket as its status page shows it; times are the branch's local time."""

    label: str
    service_name_id: str
    service_name_en: str
    state: TicketState
    priority: bool
    business_date: date
    issued_at: datetime
    people_ahead: int | None
    window: list[datetime] | None = Field(description="the expected call, from and until")
    counter_number: int | None
    counter_name: str | None
    call_count: int
    max_calls: int
    reinstate_until: datetime | None
    survey: Literal["not_yet", "open", "answered", "closed"]
    booked: bool
    window_moved: bool = Field(description="the window moved by more than the branch's notice "
                               "threshold since the visitor was told it")


class SurveyTaken(BaseModel):
    result: Literal["answered"]


class ServiceOut(BaseModel):
    code: str
    name_id: str
    name_en: str
    documents_id: list[str]
    documents_en: list[str]


class SlotOut(BaseModel):
    start: datetime
    end: datetime
    capacity: int
    booked: int
    free: int


class BookingOut(BaseModel):
    """A booking as its page shows it; times are the branch's local time."""

    code: str
    code_display: str = Field(description="the code as people read it: ABCDE-FGHJK")
    service_code: str
    service_name_id: str
    service_name_en: str
    business_date: date
    slot_start: datetime
    slot_end: datetime
    state: BookingState
    nik_last4: str
    phone_end: str
    check_in_from: datetime
    check_in_until: datetime
    ticket_label: str | None
    ticket_token: str | None
    documents_id: list[str]
    documents_en: list[str]
    expired: bool


def status_json(status: TicketStatus) -> dict[str, Any]:
    data = asdict(status)
    data["window"] = [t.isoformat() for t in status.window] if status.window else None
    return data


def booking_json(booking: BookingView) -> dict[str, Any]:
    data = asdict(booking)
    data["code_display"] = format_code(booking.code)
    return data


@router.get("/tickets/{token}", response_model=TicketOut,
            responses=_answers(400, 404, 429, 503))
async def get_ticket(token: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return status_json(await context.watch.status(token))


@router.post("/tickets/{token}/survey", status_code=201, response_model=SurveyTaken,
             responses=_answers(400, 404, 409, 413, 429, 503))
async def post_survey(token: str, body: SurveyAnswers, request: Request) -> dict[str, str]:
    context = context_of(request)
    address = context.address(request)
    context.misses.check(address)
    context.surveys.hit(address)
    await context.run(lambda uow: answer_survey(uow, token, body.answers, body.comment))
    return {"result": "answered"}


@router.get("/services", response_model=list[ServiceOut], responses=_answers(400, 503))
async def get_services(request: Request) -> list[dict[str, Any]]:
    services = await context_of(request).run(bookable_services, read_only=True)
    return [asdict(s) for s in services]


@router.get("/services/{code}/days", responses=_answers(400, 403, 404, 503))
async def get_days(code: str, request: Request) -> list[date]:
    return await context_of(request).run(lambda uow: booking_days(uow, code), read_only=True)


@router.get("/services/{code}/slots", response_model=list[SlotOut],
            responses=_answers(400, 403, 404, 503))
async def get_slots(code: str, day: date, request: Request) -> list[dict[str, Any]]:
    slots = await context_of(request).run(
        lambda uow: booking_slots(uow, code, day), read_only=True
    )
    return [{"start": s.start, "end": s.end, "capacity": s.capacity, "booked": s.booked,
             "free": s.free} for s in slots]


@router.post("/bookings", status_code=201, response_model=BookingOut,
             responses=_answers(400, 403, 404, 409, 413, 429, 503))
async def post_booking(body: BookingRequest, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.bookings.hit(context.address(request))
    start = parse_start(context, body.date, body.time)
    booking = await context.run(
        lambda uow: book(uow, body.service, body.date, start, body.nik, body.phone,
                         request_id=body.request_id)
    )
    return booking_json(booking)


@router.get("/bookings/{code}", response_model=BookingOut,
            responses=_answers(400, 404, 429, 503))
async def get_booking(code: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return booking_json(await context.run(lambda uow: find_booking(uow, code), read_only=True))


@router.delete("/bookings/{code}", response_model=BookingOut,
               responses=_answers(400, 404, 409, 429, 503))
async def delete_booking(code: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return booking_json(await context.run(lambda uow: cancel_booking(uow, code)))
