"""The page a ticket's QR opens: live status and the opt-in to messages, then the survey once
the visit is over."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import TypedDict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from shared.domain.survey import (
    MAX_COMMENT,
    SCALE,
    SCALE_WORDS_EN,
    SCALE_WORDS_ID,
    SurveyRefused,
)
from shared.i18n import Language, Translator
from shared.services.notifications import subscribe
from shared.services.survey import answer_survey, asked_questions
from shared.services.ticket_status import TicketStatus, ticket_status
from web.context import REFUSAL_STATUS, WebContext, context_of, read_form, refusal_text
from web.message_optin import Typed, take_number, ticket_opt_in
from web.rendering import language_of, page, render

router = APIRouter()

KEEP_ALIVE_SECONDS = 15.0  # proxies drop idle connections; a comment line keeps them open
STREAM_SECONDS = 4 * 3600  # then the browser reconnects with a fresh stream


def finished(status: TicketStatus) -> bool:
    """Nothing more will change on the page (but the survey, reached by its own link)."""
    if status.state == "no_show":
        return status.reinstate_until is None
    return status.state in ("done", "cancelled")


class _Links(TypedDict):
    events_url: str
    survey_url: str


def _links(token: str, language: Language) -> _Links:
    return {
        "events_url": f"/t/{token}/events?lang={language}",
        "survey_url": f"/t/{token}/survey?lang={language}",
    }


@router.get("/t/{token}", response_class=HTMLResponse)
async def status_page(token: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    return await _status_page(request, context, token)


@router.post("/t/{token}/messages", response_class=HTMLResponse)
async def opt_in_number(token: str, request: Request) -> Response:
    """The opt-in block's number form: SMS or WhatsApp about this ticket."""
    context = context_of(request)
    return await take_number(
        request, lambda uow, channel, number, language: subscribe(
            uow, token, channel, number, language),
        lambda status_code, typed: _status_page(request, context, token, status_code, typed),
        f"/t/{token}")


async def _status_page(request: Request, context: WebContext, token: str,
                       status_code: int = 200, typed: Typed | None = None) -> Response:
    language = language_of(request)
    status = await context.watch.status(token)
    optin = await context.run(lambda uow: ticket_opt_in(uow, token, language), read_only=True)
    if optin is not None and typed is not None:
        optin = optin.refused(typed)
    return page(request, "status.html", status_code, status=status,
                branch_name=context.branch_name, live=not finished(status),
                grace=context.grace_minutes, optin=optin, **_links(token, language))


@router.get("/t/{token}/events")
async def status_events(token: str, request: Request) -> Response:
    """Server-sent events: the live part of the page, re-sent whenever it changes."""
    context = context_of(request)
    context.misses.check(context.address(request))
    language = language_of(request)

    # The version before the first read: a change committed while it runs is read again.
    seen = context.watch.version
    first = await context.watch.status(token)  # an unknown token is a 404, not a stream

    async def stream() -> AsyncIterator[str]:
        status, shown, version = first, None, seen
        ends = time.monotonic() + STREAM_SECONDS
        while time.monotonic() < ends and not context.watch.closing:
            if status.fingerprint != shown:
                shown = status.fingerprint
                html = render("status_live.html", language, status=status,
                              **_links(token, language))
                yield _event("status", html)
            if finished(status):
                yield _event("end", "")
                return
            latest = await context.watch.next_change(version, KEEP_ALIVE_SECONDS)
            if latest == version:
                yield ": still here\n\n"
                continue
            version = latest
            status = await context.watch.status(token)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"cache-control": "no-store", "x-accel-buffering": "no"},
    )


def _event(name: str, data: str) -> str:
    lines = data.splitlines() or [""]
    return f"event: {name}\n" + "".join(f"data: {line}\n" for line in lines) + "\n"


@router.get("/t/{token}/survey", response_class=HTMLResponse)
async def survey_form(token: str, request: Request) -> Response:
    context = context_of(request)
    context.misses.check(context.address(request))
    status = await context.run(lambda uow: ticket_status(uow, token), read_only=True)
    if status.survey != "open":
        raise SurveyRefused(status.survey, status.survey)
    return await _survey_page(request, context, token, status.label)


@router.post("/t/{token}/survey", response_class=HTMLResponse)
async def survey_answer(token: str, request: Request) -> Response:
    context = context_of(request)
    address = context.address(request)
    context.misses.check(address)
    context.surveys.hit(address)
    form = await read_form(request)
    questions = await context.run(asked_questions, read_only=True)
    answers = {q.key: form.get(q.key, "") for q in questions}
    comment = form.get("comment", "")
    try:
        await context.run(lambda uow: answer_survey(uow, token, answers, comment))
    except SurveyRefused as refused:
        if refused.reason != "invalid":
            raise
        status = await context.run(lambda uow: ticket_status(uow, token), read_only=True)
        return await _survey_page(request, context, token, status.label,
                                  refusal_text(request, refused), answers, comment,
                                  REFUSAL_STATUS["invalid"])
    language = language_of(request)
    return page(request, "message.html", kind="ok", branch_name=context.branch_name,
                message=Translator(language)("web.survey.thanks"),
                back_url=f"/t/{token}?lang={language}")


async def _survey_page(
    request: Request,
    context: WebContext,
    token: str,
    label: str,
    error: str = "",
    answers: dict[str, str] | None = None,
    comment: str = "",
    status_code: int = 200,
) -> Response:
    language = language_of(request)
    questions = await context.run(asked_questions, read_only=True)
    return page(
        request, "survey.html", status_code, branch_name=context.branch_name, label=label,
        questions=questions, scale=SCALE, max_comment=MAX_COMMENT, error=error,
        words=SCALE_WORDS_ID if language == "id" else SCALE_WORDS_EN,
        answers=answers or {}, comment=comment,
        action=f"/t/{token}/survey?lang={language}",
    )

