"""Playing WAV bytes through whatever command-line player the display PC has.

A player is any `Callable[[bytes, float], None]` that blocks until the sound has finished: the
announcement queue relies on that to never let two announcements overlap.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

Player = Callable[[bytes, float], None]

log = logging.getLogger(__name__)

# Each reads a WAV on standard input and returns when it has been played.
_PLAYER_COMMANDS = (
    ("aplay", "-q", "-"),
    ("paplay",),
    ("play", "-q", "-t", "wav", "-"),
)


def scale_volume(data: bytes, volume: float) -> bytes:
    """The same 16-bit WAV with every sample scaled by `volume` (0-1): aplay has no volume
    option, so the level is set in the samples for every player alike."""
    if not 0.0 <= volume <= 1.0:
        raise ValueError(f"volume {volume} is not between 0 and 1")
    with wave.open(io.BytesIO(data), "rb") as reader:
        params = reader.getparams()
        frames = reader.readframes(reader.getnframes())
    if params.sampwidth != 2:
        raise ValueError(f"only 16-bit WAV can be scaled, not {8 * params.sampwidth}-bit")
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) * volume
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setparams(params)
        writer.writeframes(np.round(samples).astype("<i2").tobytes())
    return buffer.getvalue()


class SoundUnavailable(RuntimeError):
    """The player ran but could not play (no sound device, no sound server): one line that
    says why, instead of the player's own screenful of ALSA messages."""


class CommandPlayer:
    """Plays through an external command (aplay, paplay or sox's play)."""

    def __init__(self, command: tuple[str, ...]) -> None:
        self.command = command

    def __call__(self, data: bytes, volume: float) -> None:
        # The player's stderr is kept, not passed through: with no sound card ALSA writes
        # several lines per call, which would bury the display's log.
        result = subprocess.run(
            self.command, input=scale_volume(data, volume), capture_output=True, timeout=120
        )
        if result.returncode != 0:
            lines = result.stderr.decode(errors="replace").strip().splitlines()
            reason = lines[-1] if lines else f"exit status {result.returncode}"
            raise SoundUnavailable(f"{Path(self.command[0]).name} could not play: {reason}")


class SilentPlayer:
    """Stands in when no player is installed; says so in the log once, not at every call."""

    def __init__(self) -> None:
        self._told = False

    def __call__(self, data: bytes, volume: float) -> None:
        if not self._told:
            names = ", ".join(command[0] for command in _PLAYER_COMMANDS)
            log.warning("no audio player found (%s): announcements are not played", names)
            self._told = True


def default_player() -> Player:
    for command in _PLAYER_COMMANDS:
        path = shutil.which(command[0])
        if path is not None:
            return CommandPlayer((path, *command[1:]))
    return SilentPlayer()
