"""A database server that has stopped answering, on a local port: it accepts connections and
never replies, as a hung server or a half-dead link does. `forward_to` makes it a plain relay
to a real server from then on (the database is back); `hang_up` closes the held connections
unanswered (the server went away).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from collections.abc import Iterator


class SilentServer:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=16)
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._held: list[socket.socket] = []
        self._relayed: list[socket.socket] = []
        self._target: tuple[str, int] | None = None
        self._accepted = 0
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="silent-server", daemon=True)
        self._thread.start()

    @property
    def accepted(self) -> int:
        """Connections accepted so far (held or relayed)."""
        with self._lock:
            return self._accepted

    @property
    def holding(self) -> int:
        """Connections accepted and left unanswered now."""
        with self._lock:
            return len(self._held)

    def forward_to(self, host: str, port: int) -> None:
        """From now on relay each new connection to host:port."""
        with self._lock:
            self._target = (host, port)

    def hang_up(self) -> None:
        """Close the held connections without a word: their clients see the server go."""
        with self._lock:
            held, self._held = self._held, []
        for connection in held:
            connection.close()

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=5)
        self._listener.close()
        self.hang_up()
        with self._lock:
            relayed, self._relayed = self._relayed, []
        for connection in relayed:
            with contextlib.suppress(OSError):  # its relay thread may have closed it already
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _serve(self) -> None:
        while not self._closing.is_set():
            ready, _, _ = select.select([self._listener], [], [], 0.05)
            if not ready:
                continue
            connection, _ = self._listener.accept()
            with self._lock:
                self._accepted += 1
                target = self._target
                if target is None:
                    self._held.append(connection)
                    continue
            upstream = socket.create_connection(target, timeout=5)
            upstream.settimeout(None)
            with self._lock:
                self._relayed += [connection, upstream]
            for source, sink in ((connection, upstream), (upstream, connection)):
                threading.Thread(target=_pump, args=(source, sink), daemon=True).start()


def _pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes one way until either side closes, then close the other way too."""
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # one side was closed: the relay of this connection is over either way
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.close()
