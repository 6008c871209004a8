import io
import logging
import wave
from pathlib import Path

import numpy as np
import pytest

from shared.announcing import player as player_module
from shared.announcing.audio import frames_to_wav
from shared.announcing.player import CommandPlayer, SilentPlayer, default_player, scale_volume

SAMPLES = np.array([0, 1000, -1000, 32767, -32768], dtype="<i2")


def _samples(data: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")


def test_volume_scales_every_sample() -> None:
    data = frames_to_wav(SAMPLES.tobytes())
    assert list(_samples(scale_volume(data, 0.5))) == [0, 500, -500, 16384, -16384]
    assert list(_samples(scale_volume(data, 1.0))) == list(SAMPLES)
    assert not _samples(scale_volume(data, 0.0)).any()


@pytest.mark.parametrize("volume", [-0.5, 1.01])
def test_a_volume_outside_0_to_1_is_refused(volume: float) -> None:
    with pytest.raises(ValueError, match="volume"):
        scale_volume(frames_to_wav(SAMPLES.tobytes()), volume)


def test_a_command_player_pipes_the_scaled_wav_to_the_command(tmp_path: Path) -> None:
    out = tmp_path / "played.wav"
    play = CommandPlayer(("sh", "-c", f"cat > '{out}'"))
    play(frames_to_wav(SAMPLES.tobytes()), 0.5)
    assert list(_samples(out.read_bytes())) == [0, 500, -500, 16384, -16384]


def test_without_any_player_announcements_are_silent_and_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(player_module.shutil, "which", lambda _name: None)
    play = default_player()
    assert isinstance(play, SilentPlayer)
    with caplog.at_level(logging.WARNING):
        play(frames_to_wav(SAMPLES.tobytes()), 1.0)
        play(frames_to_wav(SAMPLES.tobytes()), 1.0)
    assert [r.message for r in caplog.records if "no audio player" in r.message] == [
        "no audio player found (aplay, paplay, play): announcements are not played"
    ]


def test_the_first_installed_player_is_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        player_module.shutil, "which", lambda name: f"/usr/bin/{name}" if name != "aplay" else None
    )
    play = default_player()
    assert isinstance(play, CommandPlayer)
    assert play.command == ("/usr/bin/paplay",)
