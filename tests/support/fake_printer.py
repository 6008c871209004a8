"""A fake ESC/POS printer process, on a TCP port or a serial device (a pty in tests).

Run: python -m tests.support.fake_printer (--port N | --serial DEVICE) --mode MODE --jobs-dir DIR

Modes: ok, paper_low, paper_out, cover_open answer DLE EOT status queries with those bits set;
silent never reads nor answers; drop reads `--drop-after` bytes of a job then resets the
connection; refuse holds the port without listening, so connecting is refused.

Each connection (the whole session on a serial device) is one job: its print data, without
the status queries (a real printer handles those apart from the print buffer), goes to
DIR/job-<n>.bin, written before any later query is answered. One line on stdout per event:

    READY port=<p> | READY device=<path>
    OPEN job=<n>
    STATUS job=<n> query=<1|2|4> reply=<hex byte>
    DROP job=<n> bytes=<count>
    GONE  (an answer the client no longer took: it had given up)
    CLOSE job=<n> bytes=<count>

`--bytes-per-second N` prints that slowly: the printer reads on only after printing what it
read, so a status query sent after a job is answered when the job has printed. A test changes
the mode of a running printer (paper put in, printer switched off) by writing the new mode to
DIR/mode; it takes effect for the next connection, or the next query on a serial session.

The process exits by itself after `--lifetime` seconds, so it never outlives a broken test.
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.fake_printer_process import FakePrinterProcess

__all__ = ["STATUS_REPLIES", "FakePrinterProcess", "StatusFilter", "main"]

# Answers to DLE EOT 1, 2 and 4 by mode, written from the ESC/POS reference on purpose apart
# from shared/printing/status.py, so a test catches a wrong bit in either place.
STATUS_REPLIES: dict[str, dict[int, int]] = {
    "ok": {1: 0x12, 2: 0x12, 4: 0x12},
    "drop": {1: 0x12, 2: 0x12, 4: 0x12},
    "paper_low": {1: 0x12, 2: 0x12, 4: 0x1E},  # n=4 bits 2-3: near end
    "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72},  # offline; stopped at paper end; roll end
    "cover_open": {1: 0x1A, 2: 0x16, 4: 0x12},  # offline; cover open
}
POLL_SECONDS = 0.2


class StatusFilter:
    """Splits a byte stream into print data and DLE EOT n queries, across chunk borders."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, chunk: bytes) -> list[bytes | int]:
        """Print data as bytes and queries as their n, in the order they came."""
        stream, self._pending = self._pending + chunk, b""
        events: list[bytes | int] = []
        start = 0
        while (found := stream.find(b"\x10", start)) != -1:
            if len(stream) - found < 3 and b"\x10\x04".startswith(stream[found : found + 2]):
                events.append(stream[:found])
                self._pending = stream[found:]
                return [event for event in events if event != b""]
            if stream[found + 1 : found + 2] == b"\x04":
                events += [stream[:found], stream[found + 2]]
                stream, start = stream[found + 3 :], 0
            else:
                start = found + 1
        events.append(stream)
        return [event for event in events if event != b""]

    def flush(self) -> bytes:
        pending, self._pending = self._pending, b""
        return pending


def say(line: str) -> None:
    print(line, flush=True)


def current_mode(jobs_dir: Path, mode: str) -> str:
    """The mode a test set in DIR/mode since start, else the one the printer started in."""
    try:
        return (jobs_dir / "mode").read_text().strip() or mode
    except FileNotFoundError:
        return mode


def serve_job(
    job: int,
    jobs_dir: Path,
    mode: str,
    receive: Callable[[int], bytes | None],
    send: Callable[[bytes], None],
    drop_after: int,
    bytes_per_second: float = 0.0,
) -> bool:
    """One job until the other side closes; False if it was dropped on purpose.

    `receive(n)` gives at most n bytes, b"" when none came yet, None at the end.
    """
    say(f"OPEN job={job}")
    status = StatusFilter()
    received = 0
    with open(jobs_dir / f"job-{job}.bin", "wb") as job_file:
        # In drop mode read no further than the drop point, so the rest stays unread.
        while (chunk := receive(drop_after - received if mode == "drop" else 4096)) is not None:
            if chunk == b"":
                continue
            for event in status.feed(chunk):
                if isinstance(event, int):
                    mode = current_mode(jobs_dir, mode)
                    reply = STATUS_REPLIES.get(mode, STATUS_REPLIES["ok"]).get(event, 0x12)
                    say(f"STATUS job={job} query={event} reply={reply:02x}")
                    send(bytes([reply]))
                    continue
                job_file.write(event)
                job_file.flush()
                received += len(event)
                if bytes_per_second:
                    time.sleep(len(event) / bytes_per_second)  # printing what it read
                if mode == "drop" and received >= drop_after:
                    say(f"DROP job={job} bytes={received}")
                    return False
        job_file.write(status.flush())
    say(f"CLOSE job={job} bytes={received}")
    return True


def serve_network(
    port: int,
    started_mode: str,
    jobs_dir: Path,
    deadline: float,
    drop_after: int,
    bytes_per_second: float = 0.0,
) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    if started_mode != "refuse":
        server.listen(1)
    say(f"READY port={server.getsockname()[1]}")
    server.settimeout(POLL_SECONDS)
    job = 0
    while time.monotonic() < deadline:
        mode = current_mode(jobs_dir, started_mode)
        if mode in ("refuse", "silent"):
            time.sleep(POLL_SECONDS)  # holding the port, never accepting nor reading
            continue
        try:
            connection, _ = server.accept()
        except TimeoutError:
            continue
        job += 1
        with connection:
            connection.settimeout(POLL_SECONDS)
            # Answer each query at once, as a printer does, not held back by Nagle.
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            receive = _socket_receiver(connection, deadline)
            served = serve_job(
                job, jobs_dir, mode, receive, _replier(connection), drop_after, bytes_per_second
            )
            if not served:
                # Linger 0 makes close() send RST: the client sees a reset, as from a crash.
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    server.close()


def _replier(connection: socket.socket) -> Callable[[bytes], None]:
    """Answers that a client which already gave up (a queued connection from while the printer
    was silent) can no longer take are dropped, as a printer drops them."""

    def send(reply: bytes) -> None:
        try:
            connection.sendall(reply)
        except (BrokenPipeError, ConnectionResetError):
            say("GONE")

    return send


def _socket_receiver(
    connection: socket.socket, deadline: float
) -> Callable[[int], bytes | None]:
    def receive(limit: int) -> bytes | None:
        if time.monotonic() >= deadline:
            return None
        try:
            chunk = connection.recv(limit)
        except TimeoutError:
            return b""
        except ConnectionResetError:
            return None
        return chunk or None

    return receive


def serve_serial(
    device: str,
    mode: str,
    jobs_dir: Path,
    deadline: float,
    drop_after: int,
    bytes_per_second: float = 0.0,
) -> None:
    descriptor = os.open(device, os.O_RDWR | os.O_NOCTTY)
    say(f"READY device={device}")
    try:
        if mode == "silent":
            while time.monotonic() < deadline:
                time.sleep(POLL_SECONDS)
            return

        def receive(limit: int) -> bytes | None:
            if time.monotonic() >= deadline:
                return None
            readable, _, _ = select.select([descriptor], [], [], POLL_SECONDS)
            return os.read(descriptor, limit) if readable else b""

        def send(reply: bytes) -> None:
            os.write(descriptor, reply)

        serve_job(1, jobs_dir, mode, receive, send, drop_after, bytes_per_second)
    finally:
        os.close(descriptor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--port", type=int, help="TCP port on 127.0.0.1; 0 picks a free one")
    where.add_argument("--serial", help="serial device (e.g. one end of a socat pty pair)")
    parser.add_argument("--mode", choices=[*STATUS_REPLIES, "silent", "refuse"], default="ok")
    parser.add_argument("--jobs-dir", type=Path, required=True)
    parser.add_argument("--lifetime", type=float, default=60.0)
    parser.add_argument("--drop-after", type=int, default=32)
    parser.add_argument("--bytes-per-second", type=float, default=0.0,
                        help="print speed; 0: as fast as the data comes")
    options = parser.parse_args(argv)
    options.jobs_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + options.lifetime
    if options.serial:
        if options.mode == "refuse":
            parser.error("refuse is a network mode")
        serve_serial(options.serial, options.mode, options.jobs_dir, deadline,
                     options.drop_after, options.bytes_per_second)
    else:
        serve_network(options.port, options.mode, options.jobs_dir, deadline,
                      options.drop_after, options.bytes_per_second)
    return 0


if __name__ == "__main__":
    sys.exit(main())
