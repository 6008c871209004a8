"""SMS through an HTTP gateway: the request is whatever the gateway's API wants (method, URL,
headers, a form or JSON body), described in the settings with placeholders."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, quote_plus

import requests

from shared.config.notifying import SmsGatewaySettings, fill_template, json_escape
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.channels.answers import (
    retry_after_seconds,
    retryable_status,
    short,
    unreachable,
)

SETUP_WAIT_SECONDS = 600.0
CONTENT_TYPES = {"form": "application/x-www-form-urlencoded", "json": "application/json"}


class SmsGatewayChannel:
    name = "sms"

    def __init__(self, settings: SmsGatewaySettings, *,
                 environ: Mapping[str, str] | None = None,
                 session: requests.Session | None = None) -> None:
        environ = os.environ if environ is None else environ
        self._secret = environ.get(settings.secret_env, "") if settings.secret_env else ""
        if settings.secret_env and not self._secret:
            raise ChannelUnavailable(f"sms gateway: the API key is not set (environment "
                                     f"variable {settings.secret_env})")
        self._settings = settings
        self._session = session or requests.Session()

    def send(self, message: Message) -> str | None:
        number = message.address.strip()
        if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
            raise DeliveryFailed("not a phone number in E.164 form (+62...)", retry=False)
        text = message.text if not message.url else f"{message.text} {message.url}"
        values = {"number": number, "text": text, "title": message.title, "key": message.key,
                  "secret": self._secret}
        settings = self._settings
        headers = {name: _header(fill_template(value, values))
                   for name, value in settings.headers.items()}
        if settings.idempotency_header:
            headers[settings.idempotency_header] = message.key
        body: bytes | None = None
        if settings.body != "none":
            escape = quote_plus if settings.body == "form" else json_escape
            body = fill_template(settings.body_template, values, escape).encode("utf-8")
            headers.setdefault("Content-Type", CONTENT_TYPES[settings.body])
        url = fill_template(settings.url, values, lambda v: quote(v, safe=""))
        try:
            answer = self._session.request(settings.method, url, data=body, headers=headers,
                                           timeout=settings.timeout_seconds)
        except requests.RequestException as error:
            raise unreachable("SMS gateway", error) from None
        return self._accepted(answer)

    def _accepted(self, answer: requests.Response) -> str | None:
        settings = self._settings
        if answer.status_code not in settings.success_status:
            retry = retryable_status(answer.status_code)
            after = retry_after_seconds(answer.headers.get("Retry-After"), time.time())
            if answer.status_code in (401, 403):
                # The branch's API key is refused (expired, no credit on the account): the
                # message itself is fine and waits for the branch to fix it.
                retry, after = True, after or SETUP_WAIT_SECONDS
            raise DeliveryFailed(f"SMS gateway HTTP {answer.status_code}: "
                                 f"{short(answer.text)}", retry=retry, after_seconds=after)
        data: Any = None
        if settings.success_field or settings.message_id_field:
            try:
                data = answer.json()
            except ValueError:
                # Accepted by its status but an answer we cannot read: the gateway may have
                # sent it, so trying again risks a second SMS; a person should look.
                raise DeliveryFailed(f"SMS gateway answered {answer.status_code} without "
                                     f"JSON: {short(answer.text)}", retry=False) from None
        if settings.success_field:
            found = _field(data, settings.success_field)
            if _as_text(found) != settings.success_value:
                # The gateway said no in its own words (no credit, rejected number): the
                # board shows them, and a retry later may pass once the branch fixes it.
                raise DeliveryFailed(f"SMS gateway did not accept ({settings.success_field}="
                                     f"{_as_text(found)}): {short(answer.text)}", retry=True)
        if settings.message_id_field:
            found = _field(data, settings.message_id_field)
            return _as_text(found) or None
        return None


def _header(value: str) -> str:
    # A header value with a line break would start a header of its own.
    return re.sub(r"[\r\n]+", " ", value)


def _field(data: Any, path: str) -> Any:
    """The value at a dotted path (status, data.0.id) in a JSON answer; None if absent."""
    for step in path.split("."):
        if isinstance(data, dict):
            data = data.get(step)
        elif isinstance(data, list) and step.isdigit() and int(step) < len(data):
            data = data[int(step)]
        else:
            return None
    return data


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
