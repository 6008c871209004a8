"""What a message says: an outbox row's kind and parameters, in the visitor's language.

The parameters are what was true when the change happened (the counter that called, the
window as re-planned); the wording comes from assets/translations/messages.toml at sending,
Bahasa Indonesia unless the visitor asked for English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from shared.config import BranchConfig
from shared.i18n import Language, Translator
from shared.notifying.channel import Message

KINDS = ("near", "called", "missed", "moved", "survey", "reminder_evening", "reminder_hour")


def instant(value: Any) -> datetime:
    """A time as the outbox holds it (ISO text from either database; naive means UTC)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def ticket_url(settings: BranchConfig, token: str) -> str:
    return settings.queue.survey_base_url + token


def booking_url(settings: BranchConfig, code: str) -> str:
    return urljoin(urljoin(settings.queue.survey_base_url, ".."), f"b/{code}")


def render(
    key: str,
    address: str,
    kind: str,
    parameters: Mapping[str, Any],
    language: str,
    settings: BranchConfig,
) -> Message:
    """The message to send; raises KeyError for a kind or parameter it does not know."""
    lang: Language = "en" if language == "en" else "id"
    tr = Translator(lang)
    zone = ZoneInfo(settings.branch.timezone)

    def clock(value: Any) -> str:
        return f"{instant(value).astimezone(zone):%H:%M}"

    def window() -> str:
        return f"{clock(parameters['from'])}–{clock(parameters['until'])}"

    label = str(parameters.get("label", ""))
    token = str(parameters.get("token", ""))
    url: str | None = ticket_url(settings, token) if token else None
    values: dict[str, object] = {"label": label}
    text_key = f"message.{kind}.text"
    if kind == "near":
        values.update(ahead=parameters["ahead"], window=window())
    elif kind == "called":
        values["counter"] = tr("message.counter", number=parameters["counter"])
    elif kind == "missed":
        grace = timedelta(minutes=settings.queue.no_show_grace_minutes)
        if grace:
            values["until"] = clock(instant(parameters["at"]) + grace)
        else:
            text_key = "message.missed.text_closed"
    elif kind == "moved":
        values["window"] = window()
    elif kind == "survey":
        url = ticket_url(settings, token) + "/survey"
        values["url"] = url
    elif kind in ("reminder_evening", "reminder_hour"):
        service = parameters["service_en"] if lang == "en" else parameters["service_id"]
        values.update(code=parameters["code"], service=service,
                      time=clock(parameters["slot_start"]))
        url = booking_url(settings, str(parameters["code"]))
    else:
        raise KeyError(f"no message of kind {kind!r}")
    return Message(
        key=key,
        address=address,
        title=tr(f"message.{kind}.title", **values),
        text=tr(text_key, **values),
        url=url,
    )
