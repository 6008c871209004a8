"""WhatsApp through the Business Cloud API: one POST to /<version>/<phone-number-id>/messages
with the access token, answered with the message's wamid or a Graph API error."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from typing import Any

import requests

from shared.config.notifying import WhatsAppSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import ChannelUnavailable
from shared.notifying.channels.answers import (
    retry_after_seconds,
    retryable_status,
    short,
    unreachable,
)

# Error codes after which the same message can never arrive: outside the 24-hour window
# (131047: a template is needed), undeliverable (131026), not a WhatsApp user, bad parameter.
NEVER = frozenset({131047, 131026, 131051, 131008, 131009, 100, 133010})
# Codes that say "later": throughput (130429), too many to one visitor (131056), Meta's own
# trouble (131000, 131016, 2), the app's rate limits (4, 80007).
LATER = frozenset({130429, 131056, 131000, 131016, 2, 4, 80007})
# An expired or wrong token (190) or a missing permission (10, 200-299) is the branch's to
# fix; the message itself is fine, so it waits for that.
SETUP = frozenset({0, 3, 10, 190, *range(200, 300)})
SETUP_WAIT_SECONDS = 600.0
PAIR_WAIT_SECONDS = 6.0  # the pair rate: about one message every 6 s to one visitor


class WhatsAppChannel:
    name = "whatsapp"

    def __init__(self, settings: WhatsAppSettings, *, environ: Mapping[str, str] | None = None,
                 session: requests.Session | None = None) -> None:
        environ = os.environ if environ is None else environ
        token = environ.get(settings.token_env, "")
        if not token:
            raise ChannelUnavailable(f"whatsapp: the access token is not set (environment "
                                     f"variable {settings.token_env})")
        self._settings = settings
        self._url = (f"{settings.base_url.rstrip('/')}/{settings.api_version}/"
                     f"{settings.phone_number_id}/messages")
        self._session = session or requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"

    def send(self, message: Message) -> str | None:
        number = message.address.strip()
        if not re.fullmatch(r"\+?[1-9]\d{6,14}", number):
            raise DeliveryFailed("not a phone number in E.164 form (+62...)", retry=False)
        try:
            answer = self._session.post(self._url, json=self._body(number, message),
                                        timeout=self._settings.timeout_seconds)
        except requests.RequestException as error:
            raise unreachable("WhatsApp Cloud API", error) from None
        data = _json(answer)
        if answer.ok:
            messages = data.get("messages") if isinstance(data, dict) else None
            if isinstance(messages, list) and messages and isinstance(messages[0], dict):
                return str(messages[0].get("id") or "") or None
            raise DeliveryFailed(f"WhatsApp answered {answer.status_code} without a message "
                                 f"id: {short(answer.text)}", retry=True)
        raise _failure(answer, data)

    def _body(self, number: str, message: Message) -> dict[str, Any]:
        text = message.text if not message.url else f"{message.text}\n{message.url}"
        body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                                "to": number.removeprefix("+")}
        if self._settings.template_name:
            body["type"] = "template"
            body["template"] = {
                "name": self._settings.template_name,
                "language": {"code": self._settings.template_language},
                "components": [{"type": "body",
                                "parameters": [{"type": "text", "text": text}]}],
            }
        else:
            body["type"] = "text"
            body["text"] = {"body": text, "preview_url": bool(message.url)}
        return body


def _json(answer: requests.Response) -> Any:
    try:
        return answer.json()
    except ValueError:
        return None


def _failure(answer: requests.Response, data: Any) -> DeliveryFailed:
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        retry = retryable_status(answer.status_code)
        return DeliveryFailed(f"WhatsApp HTTP {answer.status_code}: {short(answer.text)}",
                              retry=retry, after_seconds=_after(answer))
    code = error.get("code")
    details = error.get("error_data", {}).get("details") if isinstance(
        error.get("error_data"), dict) else None
    reason = f"WhatsApp error {code}: {short(str(details or error.get('message', '')))}"
    if code in NEVER:
        return DeliveryFailed(reason, retry=False)
    if code in LATER:
        wait = _after(answer) or (PAIR_WAIT_SECONDS if code == 131056 else None)
        return DeliveryFailed(reason, retry=True, after_seconds=wait)
    if code in SETUP:
        return DeliveryFailed(reason, retry=True, after_seconds=SETUP_WAIT_SECONDS)
    return DeliveryFailed(reason, retry=retryable_status(answer.status_code),
                          after_seconds=_after(answer))


def _after(answer: requests.Response) -> float | None:
    return retry_after_seconds(answer.headers.get("Retry-After"), time.time())
