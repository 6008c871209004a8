"""The WhatsApp Business Cloud API on a local port: it checks the path (version and phone
number id), the bearer token and the message's JSON shape as Graph does, records each
message, and answers with a wamid or with the Graph error a test scripted."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.http_double import Reply, Request, http_double

PHONE_NUMBER_ID = "106540352242922"
TOKEN = "EAAG-test-token"


def graph_error(code: int, message: str, status: int = 400, details: str = "",
                headers: dict[str, str] | None = None) -> Reply:
    """A Graph API error answer: {"error": {message, type, code, error_data, fbtrace_id}}."""
    body = {"error": {"message": message, "type": "OAuthException", "code": code,
                      "error_data": {"messaging_product": "whatsapp", "details": details},
                      "fbtrace_id": "Atest"}}
    return Reply(status, json.dumps(body).encode(), {"Content-Type": "application/json",
                                                     **(headers or {})})


@dataclass
class WhatsAppCloud:
    base: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    scripted: list[Reply] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: Request) -> Reply:
        found = re.fullmatch(r"/(v\d+\.\d+)/(\d+)/messages", request.path)
        if request.method != "POST" or not found or found[2] != PHONE_NUMBER_ID:
            return graph_error(100, "Unsupported post request", status=400)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return graph_error(190, "Invalid OAuth access token", status=401)
        if not request.headers.get("content-type", "").startswith("application/json"):
            return graph_error(100, "Invalid parameter", details="body must be JSON")
        body = json.loads(request.body)
        problem = _shape_problem(body)
        if problem:
            return graph_error(100, "Invalid parameter", details=problem)
        if self.scripted:
            return self.scripted.pop(0)
        with self._lock:
            self.sent.append(body)
            number = len(self.sent)
        answer = {"messaging_product": "whatsapp",
                  "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                  "messages": [{"id": f"wamid.TEST{number:04d}"}]}
        return Reply(200, json.dumps(answer).encode(), {"Content-Type": "application/json"})


def _shape_problem(body: Any) -> str:
    if not isinstance(body, dict) or body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not re.fullmatch(r"\d{7,15}", str(body.get("to", ""))):
        return "to must be the number's digits"
    if body.get("type") == "text":
        text = body.get("text")
        if not isinstance(text, dict) or not isinstance(text.get("body"), str):
            return "text.body missing"
        if len(text["body"]) > 4096:
            return "text.body longer than 4096 characters"
        return ""
    if body.get("type") == "template":
        template = body.get("template")
        if not isinstance(template, dict) or not template.get("name") or not isinstance(
                template.get("language"), dict):
            return "template needs name and language"
        return ""
    return f"unsupported type {body.get('type')!r}"


@contextmanager
def whatsapp_cloud() -> Iterator[WhatsAppCloud]:
    cloud = WhatsAppCloud()
    with http_double(cloud.handle) as base:
        cloud.base = base
        yield cloud
