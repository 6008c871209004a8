"""What every route needs: the store, the branch, the limits, and refusals in plain words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from shared.config.booking import WebSettings
from shared.domain.booking import BookingRefused
from shared.domain.survey import SurveyRefused
from shared.domain.text import has_unprintable
from shared.i18n import Translator
from shared.services.runner import attempt
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from web.limits import RateLimit
from web.live import QueueWatch
from web.rendering import language_of

T = TypeVar("T")

OPTINS_PER_HOUR = 20

# HTTP status per refusal: the visitor's input (400), the state of things (409), policy (403).
REFUSAL_STATUS = {
    "nik": 400, "phone": 400, "no_slot": 400, "day": 400, "period": 400, "invalid": 400,
    "full": 409, "duplicate": 409, "used": 409, "cancelled": 409, "answered": 409,
    "not_yet": 409, "closed": 409, "expired": 409, "early": 409,
    "disabled": 403, "not_bookable": 403, "setup": 503,
}


class UnprintableInput(Exception):
    """An address, query or form holding a control character: no ticket, booking or service has
    one, and PostgreSQL cannot even compare a NUL byte. Answered 400."""

    def __init__(self, where: str) -> None:
        super().__init__(f"the {where} may not hold control characters")
        self.where = where


@dataclass
class WebContext:
    store: Store
    branch_code: str
    branch_name: str
    settings: WebSettings
    watch: QueueWatch
    bookings: RateLimit
    surveys: RateLimit
    misses: RateLimit
    grace_minutes: int  # a missed visitor may be reinstated this long after the last call
    zone: ZoneInfo  # the branch's: slots are offered and chosen in its local time
    # Opt-ins to messages per visitor address: a phone gives a number or two, not hundreds.
    optins: RateLimit = field(default_factory=lambda: RateLimit(OPTINS_PER_HOUR, 3600))

    async def run(self, action: Callable[[UnitOfWork], T], read_only: bool = False) -> T:
        """One service call in its own transaction, off the event loop."""
        return await run_in_threadpool(
            attempt, self.store, self.branch_code, action, read_only=read_only
        )

    def address(self, request: Request) -> str:
        if self.settings.trust_proxy:
            forwarded = request.headers.get("x-forwarded-for", "")
            if forwarded:
                return forwarded.split(",")[0].strip()[:64]
        return request.client.host if request.client else "unknown"


def context_of(request: Request) -> WebContext:
    context: WebContext = request.app.state.context
    return context


def refusal_text(request: Request, error: BookingRefused | SurveyRefused) -> str:
    """The refusal in the visitor's language, falling back to the engine's own words."""
    tr = Translator(language_of(request))
    prefix = "web.survey.refused" if isinstance(error, SurveyRefused) else "web.refused"
    try:
        return tr(f"{prefix}.{error.reason}", **error.values)
    except KeyError:
        return str(error)


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form; each field once (a repeated field keeps its first value)."""
    body = (await request.body()).decode("utf-8", errors="replace")
    form = {key: values[0] for key, values in parse_qs(body, keep_blank_values=True).items()}
    if any(has_unprintable(k) or has_unprintable(v, multiline=True) for k, v in form.items()):
        raise UnprintableInput("form")
    return form
