"""What every request passes through: a body size limit, safe headers, and a log line that
names the route, never the visitor's token, booking code, NIK or phone number."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("web.access")

MAX_BODY_BYTES = 16 * 1024  # a survey with its comment is under 5 kB

HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
     b"frame-ancestors 'none'; form-action 'self'"),
    # Status and booking links carry secrets in the path: never hand them to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
]


class _ClientLeft(Exception):
    pass


class Guard:
    """ASGI middleware around the whole app."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0}
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _too_large(send)
            self._log(scope, 413, started)
            return
        # The whole body is read here, before the app sees it, so a body sent in chunks
        # without a length is refused (413) as surely as one that declares its length: the app
        # would otherwise meet the refusal mid-parse and answer 400.
        try:
            body = await self._read_body(receive)
        except _ClientLeft:
            return
        if body is None:
            await _too_large(send)
            self._log(scope, 413, started)
            return
        replayed = False

        async def replay_receive() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only the disconnect remains

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, replay_receive, send_with_headers)
        self._log(scope, status["code"], started)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The request body, or None once it passes the limit (the rest is never read)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: nothing to answer
                raise _ClientLeft
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        route = scope.get("route")
        path = getattr(route, "path", None) or "(no route)"
        log.info("%s %s %d %.0f ms", scope.get("method"), path, status,
                 (time.perf_counter() - started) * 1000)


async def _too_large(send: Send) -> None:
    body = (b'{"error":"too_large","message":"the request is larger than '
            + str(MAX_BODY_BYTES // 1024).encode() + b' kB"}')
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
