"""The lobby's announcement queue: calls are said one after another, never over each other.

A recall is a new call event and is announced again; the same event delivered twice (a change
notification seen twice, a retry) is announced once. Rendering and playing happen on one worker
thread so the display's GUI thread never waits for audio.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from types import TracebackType

from shared.announcing.call import Call
from shared.announcing.player import Player, SoundUnavailable, default_player

__all__ = ["AnnouncementQueue", "default_player"]

log = logging.getLogger(__name__)

# Event ids kept to recognise a duplicate; a day of 2,000 calls fits, memory stays bounded.
REMEMBERED_EVENTS = 5000


class AnnouncementQueue:
    def __init__(
        self,
        render: Callable[[Call], bytes],
        player: Player,
        *,
        volume: float = 1.0,
        muted: bool = False,
    ) -> None:
        self._render = render
        self._player = player
        self._lock = threading.Lock()
        self._volume = 1.0
        self.volume = volume
        self._muted = muted
        self._seen: OrderedDict[Hashable, None] = OrderedDict()
        self._pending: queue.Queue[Call | None] = queue.Queue()
        self._stopping = threading.Event()
        self._failing = False  # the last announcement failed: say so again in one line
        self._worker = threading.Thread(target=self._run, name="announcements", daemon=True)
        self._worker.start()

    @property
    def volume(self) -> float:
        with self._lock:
            return self._volume

    @volume.setter
    def volume(self, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"volume {value} is not between 0 and 1")
        with self._lock:
            self._volume = value

    @property
    def muted(self) -> bool:
        with self._lock:
            return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        with self._lock:
            self._muted = value

    def announce(self, event_id: Hashable, call: Call) -> bool:
        """Queue `call`; False when this event was already announced (or is queued)."""
        with self._lock:
            if self._stopping.is_set():
                raise RuntimeError("the announcement queue has been stopped")
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            if len(self._seen) > REMEMBERED_EVENTS:
                self._seen.popitem(last=False)
        self._pending.put(call)
        return True

    def wait_until_idle(self) -> None:
        """Block until everything queued so far has been played (or skipped)."""
        self._pending.join()

    def stop(self, timeout: float | None = None) -> None:
        """Let the announcement being played finish, drop the rest, end the worker."""
        with self._lock:
            self._stopping.set()
        self._pending.put(None)
        self._worker.join(timeout)
        if self._worker.is_alive():
            raise TimeoutError(f"announcement still playing after {timeout} s")

    def __enter__(self) -> AnnouncementQueue:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _run(self) -> None:
        while True:
            call = self._pending.get()
            try:
                if call is None:
                    return
                if not self._stopping.is_set():
                    self._play(call)
            finally:
                self._pending.task_done()

    def _play(self, call: Call) -> None:
        with self._lock:
            muted, volume = self._muted, self._volume
        if muted:
            return
        try:
            self._player(self._render(call), volume)
        except Exception as error:
            # One broken announcement (missing clip, player crash) must not silence the lobby
            # for the rest of the day: log it and go on with the next call. A PC with no sound
            # device fails every call alike: the first failure in a row gets the traceback.
            if isinstance(error, SoundUnavailable):
                # No sound device: said once in one line until a call plays again.
                if not self._failing:
                    log.warning("announcements are not heard: %s", error)
            elif self._failing:
                log.error("could not announce %s at counter %d either: %s",
                          call.label, call.counter_number, error)
            else:
                log.exception("could not announce %s at counter %d",
                              call.label, call.counter_number)
            self._failing = True
        else:
            self._failing = False
