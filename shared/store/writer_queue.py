"""First come, first served turns at a SQLite database's write lock, across processes.

SQLite gives a writer that finds the database locked nothing but retries: its busy handler
sleeps 1, 2, 5 ... up to 100 ms between tries, while the writer that just committed begins its
next transaction within microseconds. Under load one process keeps the lock and the others
starve (a counter waited 57 s for "call next"). So every write transaction first takes a turn
in this queue, and only then `BEGIN IMMEDIATE`: each writer waits for the one that queued just
before it, so a wait is bounded by the transactions already queued.

The queue lives in a file beside the database (`<database>-writers`) and works with Linux's
open-file-description locks (`F_OFD_SETLK`), which every connection holds on a file descriptor
of its own, so two threads of one process queue like two processes do:

- bytes 0-7 of the file hold the last ticket handed out; the lock on byte 0 guards them;
- a writer holding ticket t locks byte `SLOTS + t` from the moment it takes the ticket until
  its transaction ends, and waits for its turn by locking byte `SLOTS + t - 1`, which its
  predecessor holds until its own transaction ends.

A process that dies drops its locks, so its successor goes on. Mutual exclusion stays SQLite's
own (`BEGIN IMMEDIATE` and its busy timeout): the queue only orders the writers, so a broken
chain (a writer that died while queued lets its successor go early) costs a busy retry, not
correctness, and a turn that does not come within the busy timeout is not waited for longer.
Where open-file-description locks do not exist (not Linux), writers take SQLite's lock
directly, as before.
"""

from __future__ import annotations

import os
import struct
import threading

try:
    import fcntl
except ImportError:  # Windows
    SUPPORTED = False
else:
    SUPPORTED = hasattr(fcntl, "F_OFD_SETLK") and hasattr(fcntl, "F_OFD_SETLKW")

SLOTS = 64  # byte offset of ticket 0's slot; the ticket counter lives below it


def _lock(fd: int, locked: bool, offset: int, wait: bool = False) -> None:
    # struct flock on Linux: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks).
    kind = fcntl.F_WRLCK if locked else fcntl.F_UNLCK
    request = struct.pack("hhqqi4x", kind, os.SEEK_SET, offset, 1, 0)
    fcntl.fcntl(fd, fcntl.F_OFD_SETLKW if wait else fcntl.F_OFD_SETLK, request)


class WriterQueue:
    """One connection's place in the queue of writers to one database file."""

    def __init__(self, database_path: str) -> None:
        self._fd = os.open(f"{database_path}-writers", os.O_RDWR | os.O_CREAT, 0o666)
        self._ticket: int | None = None

    def take_turn(self, patience: float) -> None:
        """Queue, and return once every writer queued earlier has finished (or `patience`
        seconds have passed: SQLite's busy timeout then decides)."""
        if self._ticket is not None:
            return
        _lock(self._fd, True, 0, wait=True)
        try:
            last = int.from_bytes(os.pread(self._fd, 8, 0).ljust(8, b"\0"), "little")
            ticket = last + 1
            os.pwrite(self._fd, ticket.to_bytes(8, "little"), 0)
            _lock(self._fd, True, SLOTS + ticket)
        finally:
            _lock(self._fd, False, 0)
        self._ticket = ticket
        self._wait_for(SLOTS + ticket - 1, patience)

    def _wait_for(self, slot: int, patience: float) -> None:
        """Wait until the predecessor's slot is free: at once if it is; otherwise a helper
        thread blocks on it (a blocked lock call cannot be given a timeout) while this one
        waits at most `patience` seconds for the helper to say so."""
        if self._try(slot):
            return
        free = threading.Event()
        # Its own descriptor of the same open file (so the same lock owner), valid however
        # long it blocks, even once this connection has closed.
        fd = os.dup(self._fd)

        def block() -> None:
            try:
                _lock(fd, True, slot, wait=True)
                _lock(fd, False, slot)
            finally:
                os.close(fd)
                free.set()

        threading.Thread(target=block, name="antrean-writer-turn", daemon=True).start()
        free.wait(patience)

    def _try(self, slot: int) -> bool:
        try:
            _lock(self._fd, True, slot)
        except OSError:  # EAGAIN/EACCES: the predecessor still holds it
            return False
        _lock(self._fd, False, slot)
        return True

    def end_turn(self) -> None:
        """The transaction has ended: let the next writer go."""
        if self._ticket is not None:
            _lock(self._fd, False, SLOTS + self._ticket)
            self._ticket = None

    def close(self) -> None:
        self._ticket = None
        os.close(self._fd)  # drops this descriptor's locks
