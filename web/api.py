"""The same as the pages, as JSON: for tests, a future app, and anyone building on Antrean."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.domain.booking import format_code
from shared.services.booking_offer import bookable_services, booking_days, booking_slots
from shared.services.bookings import BookingView, book, cancel_booking, find_booking
from shared.services.survey import answer_survey
from shared.services.ticket_status import TicketStatus
from web.booking_pages import parse_start
from web.context import context_of
from web.ticket_pages import reader

router = APIRouter(prefix="/api")

Short = Annotated[str, StringConstraints(max_length=64)]


class SurveyAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answers: dict[Short, int] = Field(max_length=20)
    comment: Annotated[str, StringConstraints(max_length=1000)] = ""


class BookingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    service: Annotated[str, StringConstraints(max_length=16)]
    date: date
    time: Annotated[str, StringConstraints(pattern=r"^\d{2}:\d{2}$")]
    nik: Annotated[str, StringConstraints(max_length=32)]
    phone: Annotated[str, StringConstraints(max_length=32)]
    request_id: Short | None = None


def status_json(status: TicketStatus) -> dict[str, Any]:
    data = asdict(status)
    data["window"] = [t.isoformat() for t in status.window] if status.window else None
    return data


def booking_json(booking: BookingView) -> dict[str, Any]:
    data = asdict(booking)
    data["code_display"] = format_code(booking.code)
    return data


@router.get("/tickets/{token}")
async def get_ticket(token: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return status_json(await context.run(reader(context, token), read_only=True))


@router.post("/tickets/{token}/survey", status_code=201)
async def post_survey(token: str, body: SurveyAnswers, request: Request) -> dict[str, str]:
    context = context_of(request)
    address = context.address(request)
    context.misses.check(address)
    context.surveys.hit(address)
    await context.run(lambda uow: answer_survey(uow, token, body.answers, body.comment))
    return {"result": "answered"}


@router.get("/services")
async def get_services(request: Request) -> list[dict[str, Any]]:
    services = await context_of(request).run(bookable_services, read_only=True)
    return [asdict(s) for s in services]


@router.get("/services/{code}/days")
async def get_days(code: str, request: Request) -> list[date]:
    return await context_of(request).run(lambda uow: booking_days(uow, code), read_only=True)


@router.get("/services/{code}/slots")
async def get_slots(code: str, day: date, request: Request) -> list[dict[str, Any]]:
    slots = await context_of(request).run(
        lambda uow: booking_slots(uow, code, day), read_only=True
    )
    return [{"start": s.start, "end": s.end, "capacity": s.capacity, "booked": s.booked,
             "free": s.free} for s in slots]


@router.post("/bookings", status_code=201)
async def post_booking(body: BookingRequest, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.bookings.hit(context.address(request))
    start = parse_start(context, body.date, body.time)
    booking = await context.run(
        lambda uow: book(uow, body.service, body.date, start, body.nik, body.phone,
                         request_id=body.request_id)
    )
    return booking_json(booking)


@router.get("/bookings/{code}")
async def get_booking(code: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return booking_json(await context.run(lambda uow: find_booking(uow, code), read_only=True))


@router.delete("/bookings/{code}")
async def delete_booking(code: str, request: Request) -> dict[str, Any]:
    context = context_of(request)
    context.misses.check(context.address(request))
    return booking_json(await context.run(lambda uow: cancel_booking(uow, code)))
