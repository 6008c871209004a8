"""A local HTTP message gateway and the channel that speaks to it: the protocol double the
delivery tests and bench/notify.py send through until (and besides) the real providers.

The gateway takes `POST /messages` with a JSON body (to, title, text, url) and an
`Idempotency-Key` header, as SMS and WhatsApp gateways do: a key it has seen is answered with
the first delivery's id and not delivered again. It can be taken down (503 to every request,
or the port closed) and brought back. It counts every request and every delivery, so a test
can tell a retry the gateway absorbed from a message the visitor would have got twice.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from shared.config import BranchConfig
from shared.notifying.channel import Channel, DeliveryFailed, Message

GATEWAY_URL_ENV = "ANTREAN_TEST_GATEWAY_URL"


class FakeGateway:
    def __init__(self, port: int = 0) -> None:
        self.lock = threading.Lock()
        self.delivered: dict[str, dict[str, Any]] = {}  # idempotency key -> first delivery
        self.requests: Counter[str] = Counter()  # idempotency key -> requests seen
        self.arrival: dict[str, float] = {}  # key -> time.monotonic() of the delivery
        self.down = False
        self.refused = 0  # requests answered 503 while down
        self.unknown: set[str] = set()  # numbers refused outright
        self.delay = 0.0  # seconds each request takes (a slow provider; a kill lands mid-send)
        self._port = port
        self._server: ThreadingHTTPServer | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: tests read the counts instead

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                key = self.headers.get("Idempotency-Key", "")
                status, answer = gateway._take(key, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if status == 503:
                    self.send_header("Retry-After", "1")
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="fake-gateway",
                         daemon=True).start()

    def stop(self) -> None:
        """Close the port: requests fail to connect until `start` (the same port)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _take(self, key: str, body: bytes) -> tuple[int, dict[str, Any]]:
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            if self.down:
                self.refused += 1
                return 503, {"error": "gateway down"}
            try:
                message = json.loads(body)
            except ValueError:
                return 400, {"error": "not JSON"}
            if not key or not str(message.get("to", "")).startswith("+"):
                return 400, {"error": "a key and an E.164 number are required"}
            if str(message["to"]) in self.unknown:  # as providers do, it quotes the number
                return 400, {"error": f"{message['to']} is not a mobile number"}
            self.requests[key] += 1
            if key not in self.delivered:
                self.delivered[key] = {**message, "id": f"gw-{len(self.delivered) + 1}"}
                self.arrival[key] = time.monotonic()
            return 200, {"id": self.delivered[key]["id"]}

    def deliveries(self) -> int:
        with self.lock:
            return len(self.delivered)

    def texts(self) -> list[str]:
        with self.lock:
            return [str(d["text"]) for d in self.delivered.values()]


class GatewayChannel:
    """Channel over the gateway's HTTP protocol, the message key as the idempotency key."""

    def __init__(self, url: str, name: str = "sms", timeout: float = 5.0) -> None:
        self.url = url.rstrip("/") + "/messages"
        self.name = name
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, message: Message) -> str | None:
        try:
            answer = self.session.post(
                self.url, timeout=self.timeout, headers={"Idempotency-Key": message.key},
                json={"to": message.address, "title": message.title, "text": message.text,
                      "url": message.url},
            )
        except requests.RequestException as error:
            raise DeliveryFailed(f"gateway unreachable: {type(error).__name__}",
                                 retry=True) from error
        if answer.status_code == 503:
            raise DeliveryFailed("gateway down", retry=True,
                                 after_seconds=float(answer.headers.get("Retry-After", 1)))
        if answer.status_code != 200:
            raise DeliveryFailed(f"gateway refused: {answer.status_code} {answer.text[:200]}",
                                 retry=False)
        return str(answer.json()["id"])


def channel_from_environment(name: str, _settings: BranchConfig) -> Channel:
    """For `antrean notify --via NAME=tests.support.gateway:channel_from_environment`: the
    gateway at ANTREAN_TEST_GATEWAY_URL carries channel NAME."""
    return GatewayChannel(os.environ[GATEWAY_URL_ENV], name)
