"""Turns the board's new calls into spoken announcements, as the branch's settings say.

The queue, the voice and the player are `shared.announcing`'s; this only decides what to say
(Indonesian, then English when `display.announce_english`), from which clips (the branch's
`display.voice_dir` first), how loud, and whether at all (`display.announce`, `--mute`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from shared.announcing.audio import announcement_wav, clip_search_path
from shared.announcing.call import Call
from shared.announcing.player import Player
from shared.announcing.queue import AnnouncementQueue
from shared.config import DisplayConfig
from shared.services.call_board import RecentCall


class LobbyAnnouncer:
    def __init__(
        self,
        player: Player,
        display: DisplayConfig | None = None,
        *,
        muted: bool = False,
        render: Callable[[Call], bytes] | None = None,
    ) -> None:
        """`render` replaces the voice (tests record the calls instead of assembling WAVs)."""
        settings = display or DisplayConfig()
        self._enabled = settings.announce
        self._languages: tuple[str, ...] = ("id",)
        self._clip_dirs: tuple[Path, ...] = tuple(clip_search_path())
        self._queue = AnnouncementQueue(
            render or self.render, player, volume=settings.volume, muted=muted
        )
        self.configure(settings)

    def configure(self, display: DisplayConfig) -> None:
        """Apply the branch's display settings (at start and whenever they change)."""
        self._enabled = display.announce
        self._languages = ("id", "en") if display.announce_english else ("id",)
        voice_dir = Path(display.voice_dir).expanduser() if display.voice_dir else None
        self._clip_dirs = tuple(clip_search_path(voice_dir))
        self._queue.volume = display.volume

    @property
    def languages(self) -> tuple[str, ...]:
        return self._languages

    @property
    def muted(self) -> bool:
        return self._queue.muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._queue.muted = value

    def render(self, call: Call) -> bytes:
        """Runs on the queue's worker thread: clips, or espeak-ng when a clip is missing."""
        return announcement_wav(call, self._languages, self._clip_dirs)

    def announce(self, call: RecentCall) -> bool:
        """Queue one call (a recall is a call of its own); False when not said."""
        if not self._enabled:
            return False
        spoken = Call(call.label, call.counter_number, call.counter_name)
        return self._queue.announce(call.event_id, spoken)

    def wait_until_idle(self) -> None:
        self._queue.wait_until_idle()

    def stop(self, timeout: float | None = 5.0) -> None:
        self._queue.stop(timeout)
