"""The web service on a real HTTP server, for a browser: uvicorn on 127.0.0.1 and a free port,
in a background thread, for as long as a `with serve(app)` block lasts.

Status pages hold server-sent event streams open for hours, so stopping does not wait for
them: after a short grace uvicorn cancels whatever is still streaming.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager

import uvicorn
from starlette.types import ASGIApp

START_SECONDS = 30.0  # the app's start-up opens the store's change watcher
GRACE_SECONDS = 1  # open event streams get this long to end by themselves
STOP_SECONDS = 15.0


class _Server(uvicorn.Server):
    """uvicorn's server that says when it has started (or failed to), and why it stopped."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self.failure: BaseException | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets)
        finally:
            self.ready.set()

    def run_here(self, listener: socket.socket) -> None:
        try:
            self.run(sockets=[listener])
        except BaseException as error:  # a failed start-up exits; the test thread reports it
            self.failure = error
        finally:
            self.ready.set()


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """The app served over HTTP; yields its base address, e.g. http://127.0.0.1:41234."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with closing(listener):
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))  # the system picks a free port: no race for one
        port = listener.getsockname()[1]
        config = uvicorn.Config(
            app,
            lifespan="on",
            log_config=None,  # leave the test process's logging as it is
            access_log=False,
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
        server = _Server(config)
        thread = threading.Thread(
            target=server.run_here, args=(listener,), name="web-server", daemon=True
        )
        thread.start()
        try:
            if not server.ready.wait(START_SECONDS):
                raise RuntimeError(f"the web server did not start within {START_SECONDS:.0f} s")
            if not server.started:
                raise RuntimeError(f"the web server did not start: {server.failure!r}")
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(STOP_SECONDS)
        if thread.is_alive():
            raise RuntimeError(f"the web server did not stop within {STOP_SECONDS:.0f} s")
        if server.failure is not None:
            raise RuntimeError("the web server stopped with an error") from server.failure
