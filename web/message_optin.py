"""Messages outside the hall, opted into on the phone: Web Push in this browser (no number), or
a mobile number for SMS or WhatsApp, for a ticket or a booking; and opting out again.

The opting in is `shared.services.notifications`; the sending is `antrean notify`. Here: the
block the status and booking pages show, the service worker, the branch's VAPID public key,
the routes the block posts to, and the page that stops the messages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)

from shared.config.notifying import WebPushSettings
from shared.domain.booking import BookingRefused, check_phone, format_code, normalise_code
from shared.domain.errors import DomainError
from shared.i18n import Language, Translator, explain
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.channels.vapid_keys import vapid_public_key
from shared.services.booking_subscriptions import booking_subscriptions, unsubscribe_booking
from shared.services.notifications import (
    ChannelNotOffered,
    InvalidAddress,
    Subscription,
    SubscriptionClosed,
    channels_offered,
    subscribe,
    subscribe_booking,
    subscriptions_for,
    unsubscribe,
)
from shared.services.ticket_status import load_ticket
from shared.store.unit_of_work import UnitOfWork
from web.context import WebContext, context_of, read_form
from web.rendering import language_of, page

router = APIRouter()

SERVICE_WORKER = Path(__file__).with_name("static") / "sw.js"
PHONE_CHANNELS = ("sms", "whatsapp")
# The states in which a ticket's messages still matter (as the subscribe service has them).
FOLLOWED = frozenset({"waiting", "called", "serving", "held"})
# HTTP status per refusal of the subscribe service.
REFUSED = {InvalidAddress: 400, ChannelNotOffered: 403, SubscriptionClosed: 409}
REFUSALS = (InvalidAddress, ChannelNotOffered, SubscriptionClosed)


@dataclass(frozen=True)
class OptIn:
    """What the opt-in block shows for one ticket or booking."""

    intro: str  # translation key
    push_url: str  # where the browser's subscription is posted
    phone_url: str  # where the number form is posted
    stop_url: str
    push: bool  # Web Push offered (the branch has it and its key is readable)
    phones: tuple[str, ...]  # sms, whatsapp: those the branch has
    on: tuple[str, ...]  # channels already switched on
    number: str = ""  # what was typed, shown again with the error
    channel: str = ""
    error: str = ""

    @property
    def offered(self) -> bool:
        return self.push or bool(self.phones)

    def refused(self, typed: Typed) -> OptIn:
        """The block again, with what the visitor typed and why it was refused."""
        return replace(self, number=typed.number, channel=typed.channel, error=typed.error)


@dataclass(frozen=True)
class Typed:
    number: str
    channel: str
    error: str


_public_keys: dict[str, str] = {}  # by key file; a failure is not kept: it may be fixed


def _public_key(private_key_file: str) -> str | None:
    if private_key_file not in _public_keys:
        try:
            _public_keys[private_key_file] = vapid_public_key(private_key_file)
        except (ChannelUnavailable, OSError):
            return None
    return _public_keys[private_key_file]


def push_key(settings: WebPushSettings) -> str | None:
    """The branch's VAPID public key (applicationServerKey), or None where Web Push is off
    or this process cannot read the key pair."""
    if not settings.enabled or not settings.private_key_file:
        return None
    return _public_key(settings.private_key_file)


def _offer(uow: UnitOfWork) -> tuple[bool, tuple[str, ...]]:
    offered = channels_offered(uow)
    push = "webpush" in offered and push_key(uow.settings.channels.web_push) is not None
    return push, tuple(c for c in PHONE_CHANNELS if c in offered)


def ticket_opt_in(uow: UnitOfWork, token: str, language: Language) -> OptIn | None:
    """The block for a ticket's page, or None when there is nothing to offer."""
    ticket = load_ticket(uow, token)
    if ticket.state not in FOLLOWED or ticket.business_date != uow.local_now().date():
        return None
    push, phones = _offer(uow)
    on = tuple(s.channel for s in subscriptions_for(uow, token))
    return OptIn("web.optin.intro", f"/api/tickets/{token}/push?lang={language}",
                 f"/t/{token}/messages?lang={language}",
                 f"/t/{token}/messages/stop?lang={language}", push, phones, on)


def booking_opt_in(uow: UnitOfWork, code: str, language: Language) -> OptIn:
    push, phones = _offer(uow)
    on = tuple(s.channel for s in booking_subscriptions(uow, code))
    return OptIn("web.optin.intro_booking", f"/api/bookings/{code}/push?lang={language}",
                 f"/b/{code}/messages?lang={language}",
                 f"/b/{code}/messages/stop?lang={language}", push, phones, on)


def refusal(request: Request, error: DomainError) -> str:
    tr = Translator(language_of(request))
    if isinstance(error, InvalidAddress) and error.key == "notify_bad_phone":
        return tr("web.optin.bad_number")
    return explain(tr, error)


# -- the service worker and the key ---------------------------------------------------------
@router.get("/sw.js", include_in_schema=False)
async def service_worker() -> Response:
    # At the root, so its scope covers every page; revalidated on each registration check.
    return FileResponse(SERVICE_WORKER, media_type="text/javascript",
                        headers={"cache-control": "no-cache"})


@router.get("/api/push/key")
async def public_key(request: Request) -> Response:
    """The branch's VAPID public key, for pushManager.subscribe's applicationServerKey."""
    context = context_of(request)
    offered = await context.run(channels_offered, read_only=True)
    key = None
    if "webpush" in offered:
        key = push_key((await context.run(lambda uow: uow.settings, read_only=True))
                       .channels.web_push)
    if key is None:
        tr = Translator(language_of(request))
        return JSONResponse({"error": "disabled", "message": tr("web.optin.unavailable")}, 404)
    return JSONResponse({"public_key": key}, headers={"cache-control": "no-cache"})


# -- Web Push subscriptions, posted by optin.js -----------------------------------------------
async def _push_subscription(request: Request) -> str:
    return (await request.body()).decode("utf-8", errors="replace")


@router.post("/api/tickets/{token}/push", status_code=201)
async def ticket_push(token: str, request: Request) -> Response:
    context = limited(request)
    body, language = await _push_subscription(request), language_of(request)
    return await _subscribed(request, context, lambda uow: subscribe(
        uow, token, "webpush", body, language))


@router.post("/api/bookings/{code}/push", status_code=201)
async def booking_push(code: str, request: Request) -> Response:
    context = limited(request)
    body, language = await _push_subscription(request), language_of(request)
    return await _subscribed(request, context, lambda uow: subscribe_booking(
        uow, code, "webpush", body, language))


def limited(request: Request) -> WebContext:
    """The context, once this visitor may try another opt-in (refused 429 otherwise)."""
    context = context_of(request)
    address = context.address(request)
    context.misses.check(address)
    context.optins.hit(address)
    return context


async def _subscribed(request: Request, context: WebContext,
                      action: Callable[[UnitOfWork], Subscription]) -> Response:
    try:
        made = await context.run(action)
    except REFUSALS as refused:
        return JSONResponse({"error": refused.key, "message": refusal(request, refused)},
                            REFUSED[type(refused)])
    return JSONResponse({"id": made.id, "channel": made.channel}, 201)


# -- a number for SMS or WhatsApp: a plain form on the page, so it works without JavaScript ----
# (uow, channel, number in E.164, language): opts a ticket or a booking in.
OptInTo = Callable[[UnitOfWork, str, str, str], object]
# The page again, with its status code and what was typed and refused.
RefusedPage = Callable[[int, "Typed"], Awaitable[Response]]


async def take_number(request: Request, opt_in: OptInTo, refused_page: RefusedPage,
                      page_url: str) -> Response:
    """The opt-in block's number form, for a ticket or a booking: kept, then back to the
    page; or the page again with the refusal and the number as typed."""
    context = limited(request)
    form = await read_form(request)
    number, channel = form.get("number", "")[:40], form.get("channel", "")[:12]
    language = language_of(request)
    try:
        e164 = indonesian_mobile(number)
        await context.run(lambda uow: opt_in(uow, channel, e164, language))
    except REFUSALS as refused:
        typed = Typed(number, channel, refusal(request, refused))
        return await refused_page(REFUSED[type(refused)], typed)
    return RedirectResponse(f"{page_url}?lang={language}#optin", 303)


def indonesian_mobile(typed: str) -> str:
    """The number in E.164 form: an Indonesian mobile number in ASCII digits (08..., 628...,
    +628...), checked as the booking form checks one, or InvalidAddress."""
    try:
        return check_phone(typed)
    except BookingRefused:
        raise InvalidAddress("not an Indonesian mobile number", key="notify_bad_phone") from None


# -- stopping: a link in the page (and in a message) opens a page; its button stops -----------
@router.get("/t/{token}/messages/stop", response_class=HTMLResponse)
async def ticket_stop_page(token: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))

    def read(uow: UnitOfWork) -> tuple[str, int]:
        return load_ticket(uow, token).label, len(subscriptions_for(uow, token))

    label, live = await context.run(read, read_only=True)
    tr = Translator(language_of(request))
    return _stop_page(request, context, tr("web.optin.ticket", label=label), live,
                      f"/t/{token}")


@router.post("/t/{token}/messages/stop", response_class=HTMLResponse)
async def ticket_stop(token: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    live = await context.run(lambda uow: subscriptions_for(uow, token), read_only=True)
    for subscription in live:
        await context.run(_unsubscriber(token, subscription.id))
    return _stopped(request, context, f"/t/{token}")


@router.get("/b/{code}/messages/stop", response_class=HTMLResponse)
async def booking_stop_page(code: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    live = await context.run(lambda uow: booking_subscriptions(uow, code), read_only=True)
    tr = Translator(language_of(request))
    what = tr("web.optin.booking", code=format_code(normalise_code(code)))
    return _stop_page(request, context, what, len(live), f"/b/{code}")


@router.post("/b/{code}/messages/stop", response_class=HTMLResponse)
async def booking_stop(code: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    await context.run(lambda uow: unsubscribe_booking(uow, code))
    return _stopped(request, context, f"/b/{code}")


def _unsubscriber(token: str, subscription_id: int) -> Callable[[UnitOfWork], None]:
    return lambda uow: unsubscribe(uow, token, subscription_id)


def _stop_page(request: Request, context: WebContext, what: str, live: int,
               back: str) -> Response:
    language = language_of(request)
    return page(request, "optin_stop.html", branch_name=context.branch_name, what=what,
                live=live, action=f"{back}/messages/stop?lang={language}",
                back_url=f"{back}?lang={language}")


def _stopped(request: Request, context: WebContext, back: str) -> Response:
    language = language_of(request)
    return page(request, "message.html", kind="ok", branch_name=context.branch_name,
                message=Translator(language)("web.optin.stopped"),
                back_url=f"{back}?lang={language}")
