"""Web Push: a message encrypted for one browser (aes128gcm, RFC 8291) and posted to its push
service with the branch's VAPID signature (RFC 8292), through pywebpush."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from shared.config.notifying import WebPushSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels.answers import (
    retry_after_seconds,
    retryable_status,
    short,
    unreachable,
)
from shared.notifying.channels.vapid_keys import load_vapid_key

# The push service forgot the subscription: the browser withdrew it or it expired.
GONE = frozenset({404, 410})


class WebPushChannel:
    name = "webpush"

    def __init__(self, settings: WebPushSettings, *, session: requests.Session | None = None,
                 endpoint_schemes: tuple[str, ...] = ("https",)) -> None:
        # Browsers' push services are all https; a test's local receiver is plain http.
        self._schemes = endpoint_schemes
        self._settings = settings
        self._key: Vapid = load_vapid_key(settings.private_key_file)
        self._session = session or requests.Session()

    def send(self, message: Message) -> str | None:
        subscription = _subscription(message.address, self._schemes)
        payload = json.dumps({"title": message.title, "text": message.text, "url": message.url},
                             ensure_ascii=False)
        try:
            answer = webpush(
                subscription, payload, vapid_private_key=self._key,
                # A fresh dict each time: pywebpush writes aud and exp into it.
                vapid_claims={"sub": self._settings.subject},
                ttl=self._settings.ttl_seconds, timeout=self._settings.timeout_seconds,
                headers={"Urgency": self._settings.urgency, "Topic": _topic(message.key)},
                requests_session=self._session,
            )
        except WebPushException as error:
            raise _failure(error) from None
        except requests.RequestException as error:
            raise unreachable("push service", error) from None
        if isinstance(answer, requests.Response):
            # The push service names the message it queued in Location.
            return answer.headers.get("Location") or None
        return None


def _subscription(address: str, schemes: tuple[str, ...]) -> dict[str, Any]:
    """The browser's PushSubscription as JSON: endpoint and keys p256dh and auth."""
    try:
        subscription = json.loads(address)
        endpoint = subscription["endpoint"]
        keys = subscription["keys"]
        if urlsplit(endpoint).scheme not in schemes:
            raise ValueError("endpoint")
        # The browser's P-256 public key and its 16-byte auth secret, base64url.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unpadded(keys["p256dh"]))
        if len(_unpadded(keys["auth"])) != 16:
            raise ValueError("auth")
    except (ValueError, KeyError, TypeError, AttributeError):  # binascii.Error is a ValueError
        raise DeliveryFailed("not a Web Push subscription (endpoint and keys p256dh, auth)",
                             retry=False) from None
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def _unpadded(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _topic(key: str) -> str:
    # A Topic replaces an undelivered message with the same one sent again: at most 32
    # URL-safe characters (RFC 8030 5.4).
    return "m" + "".join(c for c in key if c.isalnum())[:31]


def _failure(error: WebPushException) -> DeliveryFailed:
    status = error.status_code
    body = short(getattr(error.response, "text", "") or "")
    if status is None:
        return DeliveryFailed(f"push refused before sending: {error.message}", retry=False)
    if status in GONE:
        return DeliveryFailed(f"subscription gone (HTTP {status}): the visitor's browser "
                              "withdrew it", retry=False)
    if retryable_status(status):
        return DeliveryFailed(f"push service busy (HTTP {status}) {body}".strip(), retry=True,
                              after_seconds=retry_after_seconds(error.retry_after, time.time()))
    return DeliveryFailed(f"push service refused (HTTP {status}) {body}".strip(), retry=False)
