"""Booking on the phone: service, day and time with free places, NIK and phone; the booking's
own page with its code and QR for the kiosk, its reminders' opt-in, and cancelling it."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from shared.domain.booking import BookingRefused, format_code, normalise_code
from shared.services.booking_offer import (
    BookableService,
    bookable_service,
    bookable_services,
    booking_days,
    booking_slots,
)
from shared.services.bookings import BookingView, book, cancel_booking, find_booking
from shared.services.notifications import subscribe_booking
from shared.services.service_outlook import BranchOutlook, branch_outlook, hidden_at_kiosk
from shared.store.unit_of_work import UnitOfWork
from web.context import REFUSAL_STATUS, WebContext, context_of, read_form, refusal_text
from web.message_optin import OptIn, Typed, booking_opt_in, take_number
from web.rendering import language_of, page, qr_data_uri

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    """Booking, looking a booking up, and each service's wait now, as the kiosk shows it."""
    context = context_of(request)

    def read(uow: UnitOfWork) -> tuple[list[BookableService], BranchOutlook]:
        return bookable_services(uow), branch_outlook(uow, hidden_at_kiosk(uow.settings))

    services, outlook = await context.run(read, read_only=True)
    return page(request, "home.html", services=services, branch_name=context.branch_name,
                waits=outlook.services)


@router.get("/book", response_class=HTMLResponse)
async def choose_service(request: Request) -> Response:
    context = context_of(request)
    services = await context.run(bookable_services, read_only=True)
    return page(request, "book_services.html", services=services,
                branch_name=context.branch_name)


@router.get("/book/{service_code}", response_class=HTMLResponse)
async def choose_time(service_code: str, request: Request) -> Response:
    return await _slots_page(request, service_code, request.query_params.get("date", ""))


@router.post("/book/{service_code}", response_class=HTMLResponse)
async def make_booking(service_code: str, request: Request) -> Response:
    context = context_of(request)
    context.bookings.hit(context.address(request))
    form = await read_form(request)
    try:
        day = parse_day(form.get("date", ""))
        start = parse_start(context, day, form.get("time", ""))
        booking = await context.run(
            lambda uow: book(uow, service_code, day, start, form.get("nik", ""),
                             form.get("phone", ""), request_id=form.get("request") or None)
        )
    except BookingRefused as refused:
        if refused.reason in ("disabled", "not_bookable"):
            raise
        return await _slots_page(
            request, service_code, form.get("date", ""), error=refusal_text(request, refused),
            status_code=REFUSAL_STATUS.get(refused.reason, 409), kept=form,
            error_field=refused.reason,
        )
    return RedirectResponse(f"/b/{booking.code}?lang={language_of(request)}", 303)


@router.get("/b", response_class=HTMLResponse)
async def look_up(request: Request) -> Response:
    code = normalise_code(request.query_params.get("code", ""))[:40]
    return RedirectResponse(f"/b/{code or '-'}?lang={language_of(request)}", 303)


@router.get("/b/{code}", response_class=HTMLResponse)
async def booking_page(code: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    return await _read_booking_page(request, context, code)


@router.post("/b/{code}/messages", response_class=HTMLResponse)
async def opt_in_number(code: str, request: Request) -> Response:
    """The opt-in block's number form: the booking's reminders by SMS or WhatsApp."""
    context = context_of(request)
    return await take_number(
        request, lambda uow, channel, number, language: subscribe_booking(
            uow, code, channel, number, language),
        lambda status_code, typed: _read_booking_page(request, context, code, status_code,
                                                      typed),
        f"/b/{code}")


@router.post("/b/{code}/cancel", response_class=HTMLResponse)
async def cancel(code: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    try:
        booking = await context.run(lambda uow: cancel_booking(uow, code))
    except BookingRefused as refused:
        return await _read_booking_page(request, context, code,
                                        REFUSAL_STATUS.get(refused.reason, 409),
                                        error=refusal_text(request, refused))
    return RedirectResponse(f"/b/{booking.code}?lang={language_of(request)}", 303)


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise BookingRefused(f"{text[:20]!r} is not a date (YYYY-MM-DD)", "day") from None


def parse_start(context: WebContext, day: date, text: str) -> datetime:
    """A slot's start as the form sends it ("09:30"), in the branch's time zone."""
    try:
        at = time.fromisoformat(text.strip()[:5])
    except ValueError:
        raise BookingRefused("choose one of the times offered", "no_slot") from None
    return datetime.combine(day, at, context.zone)


async def _slots_page(
    request: Request,
    service_code: str,
    asked_day: str,
    error: str = "",
    status_code: int = 200,
    kept: dict[str, str] | None = None,
    error_field: str = "",
) -> Response:
    context = context_of(request)

    def read(uow: UnitOfWork) -> tuple[str, str, list[date], date | None, list[object]]:
        service = bookable_service(uow, service_code)
        days = booking_days(uow, service_code)
        try:
            day: date | None = date.fromisoformat(asked_day)
        except ValueError:
            day = None
        if day not in days:
            day = days[0] if days else None
        slots = booking_slots(uow, service_code, day) if day else []
        return service.name_id, service.name_en, days, day, list(slots)

    name_id, name_en, days, day, slots = await context.run(read, read_only=True)
    kept = kept or {}
    return page(
        request, "book_slots.html", status_code, branch_name=context.branch_name,
        service_code=service_code, service_name=name_id if language_of(request) == "id"
        else name_en, days=days, day=day, slots=slots,
        free_slots=[s for s in slots if getattr(s, "free", 0)], error=error,
        request_id=secrets.token_urlsafe(12), chosen=kept.get("time", ""),
        nik=kept.get("nik", "")[:24], phone=kept.get("phone", "")[:24],
        error_field=error_field,
    )


async def _read_booking_page(
    request: Request, context: WebContext, code: str, status_code: int = 200,
    typed: Typed | None = None, error: str = "",
) -> Response:
    language = language_of(request)

    def read(uow: UnitOfWork) -> tuple[BookingView, OptIn | None]:
        booking = find_booking(uow, code)
        open_ = booking.state == "booked" and not booking.expired
        return booking, booking_opt_in(uow, booking.code, language) if open_ else None

    booking, optin = await context.run(read, read_only=True)
    if optin is not None and typed is not None:
        optin = optin.refused(typed)
    link = f"{context.settings.base_url}/b/{booking.code}"
    return page(
        request, "booking.html", status_code, branch_name=context.branch_name, booking=booking,
        code=format_code(booking.code), qr=qr_data_uri(link), expired=booking.expired, error=error,
        optin=optin,
    )
