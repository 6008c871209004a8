"""The web service: its parts built once and handed to the routes, and one error policy."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from shared.config import BranchConfig
from shared.config.loading import stored_branch_config
from shared.domain.booking import BookingRefused
from shared.domain.errors import NotFound
from shared.domain.survey import SurveyRefused
from shared.domain.text import has_unprintable
from shared.i18n import Translator
from shared.store.database import Store
from shared.store.models import Branch
from web import api, booking_pages, message_optin, ticket_pages
from web.context import (
    REFUSAL_STATUS,
    UnprintableInput,
    WebContext,
    context_of,
    refusal_text,
)
from web.guard import Guard
from web.limits import RateLimit, RateLimited
from web.live import QueueWatch
from web.rendering import language_of, page

STATIC = Path(__file__).with_name("static")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def refuse_unprintable(request: Request) -> None:
    if has_unprintable(request.url.path) or any(
        has_unprintable(key) or has_unprintable(value)
        for key, value in request.query_params.multi_items()
    ):
        raise UnprintableInput("address")


def _error(request: Request, status: int, code: str, message: str,
           headers: dict[str, str] | None = None) -> Response:
    # A message may quote the input; a lone surrogate in it could not be encoded as UTF-8.
    message = message.encode("utf-8", errors="replace").decode("utf-8")
    if _wants_json(request):
        return JSONResponse({"error": code, "message": message}, status, headers=headers)
    context = context_of(request)
    response = page(request, "message.html", status, message=message,
                    branch_name=context.branch_name, back_url=f"/?lang={language_of(request)}")
    if headers:
        response.headers.update(headers)
    return response


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        context_of(request).misses.record(context_of(request).address(request))
        tr = Translator(language_of(request))
        return _error(request, 404, "not_found", tr("web.error.not_found"))

    @app.exception_handler(RateLimited)
    async def limited(request: Request, error: RateLimited) -> Response:
        tr = Translator(language_of(request))
        return _error(request, 429, "rate_limited",
                      tr("web.error.rate_limited", seconds=error.retry_after),
                      {"retry-after": str(error.retry_after)})

    @app.exception_handler(BookingRefused)
    async def booking_refused(request: Request, error: BookingRefused) -> Response:
        return _error(request, REFUSAL_STATUS.get(error.reason, 409), error.reason,
                      refusal_text(request, error))

    @app.exception_handler(SurveyRefused)
    async def survey_refused(request: Request, error: SurveyRefused) -> Response:
        return _error(request, REFUSAL_STATUS.get(error.reason, 409), error.reason,
                      refusal_text(request, error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
            for e in error.errors()
        )
        return _error(request, 400, "invalid", problems[:500])

    @app.exception_handler(UnprintableInput)
    async def unprintable(request: Request, error: UnprintableInput) -> Response:
        return _error(request, 400, "invalid", f"the {error.where} may not hold control characters")

    @app.exception_handler(HTTPException)
    async def routing(request: Request, error: HTTPException) -> Response:
        # No route for the path (404) or not for this method (405): in the service's own shape.
        headers = {k.lower(): v for k, v in (error.headers or {}).items()}
        if error.status_code == 405:
            headers["allow"] = _allowed_methods(request)
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http")
        message = str(error.detail)
        if error.status_code == 404:
            message = Translator(language_of(request))("web.error.not_found")
        return _error(request, error.status_code, code, message, headers)

    @app.exception_handler(json.JSONDecodeError)
    async def not_json(request: Request, error: json.JSONDecodeError) -> Response:
        return _error(request, 400, "invalid", "the body is not valid JSON")

    @app.exception_handler(OperationalError)
    async def store_down(request: Request, error: OperationalError) -> Response:
        tr = Translator(language_of(request))
        return _error(request, 503, "unavailable", tr("web.error.unavailable"),
                      {"retry-after": "10"})


ROUTERS = (ticket_pages.router, booking_pages.router, message_optin.router, api.router)


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for router in ROUTERS:
        for route in router.routes:
            match, _ = route.matches(request.scope)
            if match != Match.NONE:
                methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


def _api_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document as the service answers: FastAPI declares a 422 for every route
    with parameters, but a malformed request is answered 400 here (`invalid`)."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, routes=app.routes)
        for operations in document.get("paths", {}).values():
            for operation in operations.values():
                operation.get("responses", {}).pop("422", None)
        schemas = document.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        app.openapi_schema = document
    return app.openapi_schema


def create_app(store: Store, config: BranchConfig) -> Guard:
    """The ASGI application (wrapped in the request guard) for one branch."""
    settings = config.web
    context = WebContext(
        store=store,
        branch_code=config.branch.code,
        branch_name=config.branch.name,
        settings=settings,
        watch=QueueWatch(store, config.branch.code),
        bookings=RateLimit(settings.bookings_per_hour, 3600),
        surveys=RateLimit(settings.surveys_per_hour, 3600),
        misses=RateLimit(settings.misses_per_minute, 60),
        grace_minutes=config.queue.no_show_grace_minutes,
        zone=ZoneInfo(config.branch.timezone),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await context.watch.start()
        yield
        await context.watch.stop()

    app = FastAPI(title=f"Antrean · {config.branch.name}", lifespan=lifespan, docs_url=None,
                  redoc_url=None, dependencies=[Depends(refuse_unprintable)])
    app.state.context = context
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_error_pages(app)
    # The OpenAPI document describes the JSON API; the pages are for browsers.
    for router in ROUTERS:
        app.include_router(router, include_in_schema=router is api.router)
    # FastAPI's own way to customise the document is to replace this method on the app.
    app.openapi = lambda: _api_document(app)  # type: ignore[method-assign]

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok", "branch": config.branch.code}

    return Guard(app)


def load_branch(store: Store, branch_code: str) -> BranchConfig:
    """The branch's settings as `antrean init` stored them."""
    with store.read_sessions() as session:
        branch = session.scalar(select(Branch).where(Branch.code == branch_code))
    if branch is None:
        raise LookupError(f"there is no branch {branch_code!r} in this database")
    return stored_branch_config(branch.settings)


def queue_watch(app: Guard) -> QueueWatch:
    """The app's change watch, for a server that wants its streams to end at shut-down."""
    inner = app.app
    assert isinstance(inner, FastAPI)  # the guard wraps the app `build_app` made
    context: WebContext = inner.state.context
    return context.watch
