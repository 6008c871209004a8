"""An HTTP SMS gateway on a local port, shaped like the common Indonesian ones: it checks the
API key header, reads a form or JSON body, honours an Idempotency-Key (a repeated key gets
the first answer and sends nothing), records each SMS and answers in JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.support.http_double import Reply, Request, http_double

API_KEY = "gw-key-123"


@dataclass(frozen=True)
class Sms:
    number: str
    text: str
    request: Request


@dataclass
class SmsGateway:
    base: str = ""
    sent: list[Sms] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    scripted: list[Reply] = field(default_factory=list)
    _answers: dict[str, Reply] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
        if self.scripted:
            return self.scripted.pop(0)
        if request.headers.get("x-api-key") != API_KEY:
            return _json(401, {"status": "error", "message": "bad api key"})
        key = request.headers.get("idempotency-key")
        with self._lock:
            if key and key in self._answers:
                return self._answers[key]
        if request.method == "GET":
            fields = {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}
        elif request.headers.get("content-type") == "application/x-www-form-urlencoded":
            fields = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        elif request.headers.get("content-type") == "application/json":
            fields = json.loads(request.body)["message"]
        else:
            return _json(415, {"status": "error", "message": "form or JSON only"})
        if not str(fields.get("to", "")).startswith("+62"):
            return _json(200, {"status": "error", "message": "invalid number"})
        with self._lock:
            self.sent.append(Sms(fields["to"], fields["text"], request))
            reply = _json(200, {"status": "ok", "data": {"id": f"gw-{len(self.sent)}"}})
            if key:
                self._answers[key] = reply
        return reply


def _json(status: int, body: object) -> Reply:
    return Reply(status, json.dumps(body).encode(), {"Content-Type": "application/json"})


@contextmanager
def sms_gateway() -> Iterator[SmsGateway]:
    gateway = SmsGateway()
    with http_double(gateway.handle) as base:
        gateway.base = base
        yield gateway
