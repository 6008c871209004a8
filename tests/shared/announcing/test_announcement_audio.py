import io
import wave
from pathlib import Path

import numpy as np
import pytest

from shared.announcing import audio
from shared.announcing.audio import (
    AnnouncementUnavailable,
    ClipFormatError,
    MissingClip,
    announcement_wav,
    assemble_wav,
    clip_search_path,
    frames_to_wav,
    speak_live_wav,
    wav_duration_seconds,
    wav_frames,
)
from shared.announcing.call import Call, clip_sequence

SHIPPED = clip_search_path()


def _params(data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(data), "rb") as reader:
        frames = len(reader.readframes(reader.getnframes())) // 2
        assert frames == reader.getnframes(), "header length must match the data"
        return reader.getframerate(), reader.getnchannels(), reader.getsampwidth(), frames


def _write_wav(path: Path, samples: np.ndarray, rate: int = 22050, channels: int = 1) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.astype("<i2").tobytes())


def test_an_announcement_is_a_valid_wav_of_plausible_length() -> None:
    data = announcement_wav(Call("A012", 3), ["id"], SHIPPED)
    rate, channels, width, _ = _params(data)
    assert (rate, channels, width) == (22050, 1, 2)
    assert 2.0 <= wav_duration_seconds(data) <= 12.0


def test_more_words_take_longer() -> None:
    short = announcement_wav(Call("A012", 3), ["id"], SHIPPED)
    long = announcement_wav(Call("AB777", 77), ["id"], SHIPPED)
    both = announcement_wav(Call("AB777", 77), ["id", "en"], SHIPPED)
    assert wav_duration_seconds(short) < wav_duration_seconds(long) < wav_duration_seconds(both)
    assert wav_duration_seconds(both) <= 20.0


def test_assembly_is_the_clips_in_order_with_gaps() -> None:
    clips = clip_sequence(Call("A012", 3), "id")
    parts = [wav_frames(assemble_wav([clip], SHIPPED)) for clip in clips]
    gap = bytes(2 * 22050 * 60 // 1000)
    assert wav_frames(assemble_wav(clips, SHIPPED, gap_ms=60)) == gap.join(parts)


def test_a_branch_recording_wins_over_the_shipped_clip(tmp_path: Path) -> None:
    recorded = np.full(1000, 1234)
    _write_wav(tmp_path / "id" / "dua.wav", recorded)
    dirs = clip_search_path(tmp_path)
    assert dirs[0] == tmp_path
    assert wav_frames(assemble_wav(["id/dua"], dirs)) == recorded.astype("<i2").tobytes()
    # Clips the branch did not record still come from the shipped folder.
    assert assemble_wav(["id/tiga"], dirs) == assemble_wav(["id/tiga"], SHIPPED)


def test_a_missing_clip_is_named(tmp_path: Path) -> None:
    with pytest.raises(MissingClip, match=r"'id/satu' \(id/satu.wav\) not found in") as caught:
        assemble_wav(["id/satu", "id/sebelas_ribu"], [tmp_path])
    assert caught.value.clip == "id/satu"  # the first one missing is reported
    with pytest.raises(MissingClip, match=str(tmp_path)):
        assemble_wav(["id/sebelas_ribu"], [tmp_path, *SHIPPED])


def test_a_clip_in_another_format_is_refused_by_name(tmp_path: Path) -> None:
    _write_wav(tmp_path / "id" / "dua.wav", np.zeros(100), rate=44100)
    with pytest.raises(ClipFormatError, match=r"'id/dua'.*44100 Hz"):
        assemble_wav(["id/satu", "id/dua"], clip_search_path(tmp_path))
    _write_wav(tmp_path / "id" / "tiga.wav", np.zeros(100), channels=2)
    with pytest.raises(ClipFormatError, match=r"'id/tiga'.*2 channel"):
        assemble_wav(["id/tiga"], [tmp_path])
    (tmp_path / "id" / "empat.wav").write_bytes(b"not a wav at all")
    with pytest.raises(ClipFormatError, match=r"'id/empat'.*not a PCM WAV"):
        assemble_wav(["id/empat"], [tmp_path])


def test_duration_of_a_known_length() -> None:
    assert wav_duration_seconds(frames_to_wav(bytes(2 * 22050 * 3))) == 3.0


def test_live_speech_is_a_wav_with_a_true_length() -> None:
    data = speak_live_wav("Nomor antrean A, dua belas", "id")
    assert data is not None
    rate, channels, width, frames = _params(data)
    assert (rate, channels, width) == (22050, 1, 2)
    assert 1.0 < frames / rate < 6.0


def test_live_speech_is_none_without_espeak(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio.shutil, "which", lambda _name: None)
    assert speak_live_wav("satu", "id") is None


def test_incomplete_clips_fall_back_to_live_speech() -> None:
    only_chime = [audio.ASSETS_DIR / "sounds"]
    data = announcement_wav(Call("A012", 3), ["id"], only_chime)
    assert 2.0 <= wav_duration_seconds(data) <= 12.0
    assert data != announcement_wav(Call("A012", 3), ["id"], SHIPPED)


def test_prefer_espeak_speaks_live_and_falls_back_to_clips(monkeypatch: pytest.MonkeyPatch) -> None:
    call = Call("A012", 3)
    from_clips = announcement_wav(call, ["id"], SHIPPED)
    assert announcement_wav(call, ["id"], SHIPPED, prefer="espeak") != from_clips
    monkeypatch.setattr(audio.shutil, "which", lambda _name: None)
    assert announcement_wav(call, ["id"], SHIPPED, prefer="espeak") == from_clips


def test_neither_clips_nor_espeak_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audio.shutil, "which", lambda _name: None)
    for prefer in ("clips", "espeak"):
        with pytest.raises(AnnouncementUnavailable, match=r"A012.*'id/nomor_antrean'.*espeak-ng"):
            announcement_wav(Call("A012", 3), ["id"], [tmp_path], prefer=prefer)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one language"):
        announcement_wav(Call("A012", 3), [], SHIPPED)
    with pytest.raises(ValueError, match="prefer"):
        announcement_wav(Call("A012", 3), ["id"], SHIPPED, prefer="tts")  # type: ignore[arg-type]  # refused
