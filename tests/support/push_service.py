"""A Web Push service on a local port, and the browser side of a subscription.

The service checks what a real one checks (RFC 8030, 8291, 8292): a VAPID JWT signed with
ES256 by the key the subscription was made with, for its own origin, not expired; a TTL; a
body in aes128gcm. Unlike a real one it also holds the subscriber's private key, so it
decrypts each message the way the browser would and records the plaintext.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.support.http_double import Reply, Request, http_double


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass
class Subscriber:
    """What a browser holds for one subscription: its own key pair and auth secret."""

    name: str
    server_key: str  # the applicationServerKey the subscription was made with
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def public_key(self) -> str:
        raw = self.private_key.public_key().public_bytes(Encoding.X962,
                                                          PublicFormat.UncompressedPoint)
        return b64url(raw)


@dataclass(frozen=True)
class Delivery:
    subscriber: str
    headers: dict[str, str]
    claims: dict[str, Any]
    plaintext: bytes


@dataclass
class PushService:
    base: str = ""
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    delivered: list[Delivery] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # Replies to give instead of accepting, in order, per subscriber name.
    scripted: dict[str, list[Reply]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self, name: str, server_key: str) -> str:
        """A new subscription, as the browser's PushSubscription.toJSON() gives it."""
        subscriber = Subscriber(name, server_key)
        self.subscribers[name] = subscriber
        return json.dumps({"endpoint": f"{self.base}/push/{name}", "expirationTime": None,
                           "keys": {"p256dh": subscriber.public_key(),
                                    "auth": b64url(subscriber.auth)}})

    def handle(self, request: Request) -> Reply:
        name = request.path.removeprefix("/push/")
        subscriber = self.subscribers.get(name)
        if request.method != "POST" or subscriber is None:
            return Reply(404, b"no such subscription")
        if self.scripted.get(name):
            return self.scripted[name].pop(0)
        try:
            claims = self._check_vapid(request, subscriber)
            if "ttl" not in request.headers:
                raise Refusal(400, "TTL header missing")
            if request.headers.get("content-encoding") != "aes128gcm":
                raise Refusal(415, "content encoding must be aes128gcm")
            plaintext = http_ece.decrypt(request.body, private_key=subscriber.private_key,
                                         auth_secret=subscriber.auth, version="aes128gcm")
        except Refusal as refusal:
            with self._lock:
                self.refused.append(refusal.reason)
            return Reply(refusal.status, refusal.reason.encode())
        with self._lock:
            self.delivered.append(Delivery(name, request.headers, claims, plaintext))
            number = len(self.delivered)
        return Reply(201, headers={"Location": f"{self.base}/message/{number}"})

    def _check_vapid(self, request: Request, subscriber: Subscriber) -> dict[str, Any]:
        scheme, _, params = request.headers.get("authorization", "").partition(" ")
        fields = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
        if scheme != "vapid" or "t" not in fields or "k" not in fields:
            raise Refusal(401, "Authorization must be 'vapid t=<JWT>,k=<key>'")
        if fields["k"] != subscriber.server_key:
            raise Refusal(403, "not the key this subscription was made with")
        header_part, claims_part, signature_part = fields["t"].split(".")
        header = json.loads(b64url_decode(header_part))
        if header.get("alg") != "ES256":
            raise Refusal(401, f"JWT alg {header.get('alg')} is not ES256")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(),
                                                           b64url_decode(fields["k"]))
        signature = b64url_decode(signature_part)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"),
                                   int.from_bytes(signature[32:], "big"))
        try:
            key.verify(der, f"{header_part}.{claims_part}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise Refusal(403, "VAPID signature does not verify") from None
        claims: dict[str, Any] = json.loads(b64url_decode(claims_part))
        if claims.get("aud") != self.base:
            raise Refusal(403, f"aud {claims.get('aud')} is not this service ({self.base})")
        # RFC 8292: exp no more than 24 hours ahead (the process's own clock, as a real
        # service uses its own).
        if not 0 < int(claims.get("exp", 0)) - time.time() <= 24 * 3600:
            raise Refusal(403, "exp is in the past or more than 24 hours ahead")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise Refusal(403, "sub must be a mailto: or https: contact")
        return claims


class Refusal(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@contextmanager
def push_service() -> Iterator[PushService]:
    service = PushService()
    with http_double(service.handle) as base:
        service.base = base
        yield service
