"""A display PC without a sound card: one line in the log, not ALSA's messages at every call."""

import logging

import numpy as np
import pytest

from shared.announcing.audio import frames_to_wav
from shared.announcing.call import Call
from shared.announcing.player import CommandPlayer, SoundUnavailable
from shared.announcing.queue import AnnouncementQueue

# What aplay prints on a PC with no sound card, several lines per call.
ALSA_NOISE = (
    "echo 'ALSA lib confmisc.c:855:(parse_card) cannot find card 0' >&2; "
    "echo 'ALSA lib conf.c:5180:(_snd_config_evaluate) function failed' >&2; "
    "echo 'aplay: main:850: audio open error: No such file or directory' >&2; exit 1"
)
WAV = frames_to_wav(np.array([0, 100], dtype="<i2").tobytes())


def test_a_player_without_a_device_fails_in_one_line_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    play = CommandPlayer(("sh", "-c", ALSA_NOISE))
    with pytest.raises(SoundUnavailable, match="audio open error: No such file"):
        play(WAV, 1.0)
    out, err = capfd.readouterr()
    assert "ALSA" not in out + err


def test_the_lobby_reports_a_missing_sound_device_once_for_many_calls(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="shared.announcing")
    with AnnouncementQueue(lambda _call: WAV, CommandPlayer(("sh", "-c", ALSA_NOISE))) as lobby:
        for number in range(1, 6):
            lobby.announce(number, Call(f"A00{number}", 1))
        lobby.wait_until_idle()
    records = [r for r in caplog.records if r.name.startswith("shared.announcing")]
    assert [r.levelno for r in records] == [logging.WARNING]
    assert "audio open error" in records[0].getMessage()
    assert records[0].exc_info is None  # no traceback
    out, err = capfd.readouterr()
    assert "ALSA" not in out + err
