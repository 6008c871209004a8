"""What the display says, from the branch's settings: languages, clips, volume, on or off."""

from __future__ import annotations

from datetime import UTC, datetime

from display.announcer import LobbyAnnouncer
from shared.announcing.audio import wav_duration_seconds
from shared.announcing.call import Call
from shared.config import DisplayConfig
from shared.services.call_board import RecentCall
from tests.display.conftest import RecordingVoice

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def recent(event_id: int, label: str = "A012", counter: int = 3) -> RecentCall:
    return RecentCall(event_id, False, label, "JHT", counter, f"Loket {counter}", AT)


def test_a_call_is_said_from_the_shipped_clips_then_in_english_when_asked() -> None:
    voice = RecordingVoice()
    announcer = LobbyAnnouncer(voice.play)
    try:
        indonesian = announcer.render(Call("A012", 3))
        announcer.configure(DisplayConfig(announce_english=True))
        assert announcer.languages == ("id", "en")
        both = announcer.render(Call("A012", 3))
    finally:
        announcer.stop()
    assert indonesian[:4] == b"RIFF" and indonesian[8:12] == b"WAVE"
    # Chime plus "Nomor antrean A, dua belas, silakan menuju loket tiga": a few seconds.
    assert 2.0 < wav_duration_seconds(indonesian) < 12.0
    assert wav_duration_seconds(both) > wav_duration_seconds(indonesian) + 1.0


def test_volume_and_switching_announcements_off_follow_the_settings() -> None:
    voice = RecordingVoice()
    announcer = LobbyAnnouncer(voice.play, DisplayConfig(volume=0.3), render=voice.render)
    try:
        assert announcer.announce(recent(1))
        announcer.wait_until_idle()
        announcer.configure(DisplayConfig(volume=1.0))
        assert announcer.announce(recent(2))
        announcer.wait_until_idle()  # the volume is the one set when it plays
        announcer.configure(DisplayConfig(announce=False))
        assert not announcer.announce(recent(3))
        announcer.wait_until_idle()
        announcer.muted = True
        assert announcer.muted
    finally:
        announcer.stop()
    assert [volume for _, volume in voice.played] == [0.3, 1.0]
    assert voice.said == [Call("A012", 3, "Loket 3")] * 2
