"""Turning a call into WAV bytes: from recorded word clips, or live from espeak-ng.

All clips share one format (22050 Hz, mono, 16-bit, espeak-ng's own), so assembling is plain
concatenation with short silences; a clip in any other format is refused by name rather than
converted, because a wrongly converted branch recording would sound broken in the lobby.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from shared.announcing.call import CHIME, Call, clip_sequence, spoken_text

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # bytes: 16-bit
CHANNELS = 1
ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
# Where shipped clips live: word clips under voice/<language>/, the chime under sounds/.
SHIPPED_CLIP_DIRS = (ASSETS_DIR / "voice", ASSETS_DIR / "sounds")
WORD_GAP_MS = 60
LANGUAGE_GAP_MS = 400  # between the Indonesian and the English sentence
ESPEAK_SPEED = 140  # words per minute: slower than espeak-ng's 175, for a noisy hall


class MissingClip(LookupError):
    def __init__(self, clip: str, searched: Sequence[Path]) -> None:
        where = ", ".join(str(d) for d in searched) or "no folders"
        super().__init__(f"voice clip {clip!r} ({clip}.wav) not found in: {where}")
        self.clip = clip


class ClipFormatError(ValueError):
    """A clip file is not 22050 Hz mono 16-bit PCM WAV."""


class AnnouncementUnavailable(RuntimeError):
    """Neither complete clips nor espeak-ng can say this call."""


def clip_search_path(branch_clip_dir: Path | None = None) -> list[Path]:
    """A branch's own recordings first, then the shipped ones."""
    shipped = list(SHIPPED_CLIP_DIRS)
    return [branch_clip_dir, *shipped] if branch_clip_dir is not None else shipped


def find_clip(clip: str, clip_dirs: Sequence[Path]) -> Path:
    for directory in clip_dirs:
        path = directory / f"{clip}.wav"
        if path.is_file():
            return path
    raise MissingClip(clip, clip_dirs)


def _read_clip_frames(clip: str, path: Path) -> bytes:
    try:
        with wave.open(str(path), "rb") as reader:
            shape = (reader.getframerate(), reader.getnchannels(), reader.getsampwidth())
            frames = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as error:
        message = f"voice clip {clip!r} ({path}) is not a PCM WAV file: {error}"
        raise ClipFormatError(message) from error
    if shape != (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH):
        rate, channels, width = shape
        raise ClipFormatError(
            f"voice clip {clip!r} ({path}) is {rate} Hz, {channels} channel(s), {8 * width}-bit; "
            f"clips must be {SAMPLE_RATE} Hz mono 16-bit (sox in.wav -r 22050 -c 1 -b 16 out.wav)"
        )
    return frames


def _silence(ms: int) -> bytes:
    return bytes(SAMPLE_WIDTH * CHANNELS * (SAMPLE_RATE * ms // 1000))


def _join(parts: Iterable[bytes], gap_ms: int) -> bytes:
    return _silence(gap_ms).join(parts)


def frames_to_wav(frames: bytes) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(CHANNELS)
        writer.setsampwidth(SAMPLE_WIDTH)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(frames)
    return buffer.getvalue()


def wav_frames(data: bytes) -> bytes:
    """The PCM frames of a WAV in our format; trusts the data, not the header's length,
    because espeak-ng writing to a pipe cannot know the length and leaves it huge."""
    with wave.open(io.BytesIO(data), "rb") as reader:
        shape = (reader.getframerate(), reader.getnchannels(), reader.getsampwidth())
        if shape != (SAMPLE_RATE, CHANNELS, SAMPLE_WIDTH):
            raise ClipFormatError(f"audio is not {SAMPLE_RATE} Hz mono 16-bit: {shape}")
        frames = reader.readframes(reader.getnframes())
    return frames[: len(frames) - len(frames) % SAMPLE_WIDTH]


def wav_duration_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getnframes() / reader.getframerate()


def _clips_frames(clips: Sequence[str], clip_dirs: Sequence[Path], gap_ms: int) -> bytes:
    return _join((_read_clip_frames(c, find_clip(c, clip_dirs)) for c in clips), gap_ms)


def assemble_wav(
    clips: Sequence[str], clip_dirs: Sequence[Path], gap_ms: int = WORD_GAP_MS
) -> bytes:
    """Clips in order, `gap_ms` of silence between them, each from the first folder having it."""
    return frames_to_wav(_clips_frames(clips, clip_dirs, gap_ms))


def speak_live_wav(text: str, language: str) -> bytes | None:
    """espeak-ng's reading of `text`, or None when espeak-ng is not installed."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    result = subprocess.run(
        [espeak, "-v", language, "-s", str(ESPEAK_SPEED), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return frames_to_wav(wav_frames(result.stdout))


def _chime_frames(clip_dirs: Sequence[Path]) -> bytes:
    return _read_clip_frames(CHIME, find_clip(CHIME, clip_dirs))


def _from_clips(call: Call, languages: Sequence[str], clip_dirs: Sequence[Path]) -> bytes:
    sentences = [
        _clips_frames(clip_sequence(call, language, with_chime=False), clip_dirs, WORD_GAP_MS)
        for language in languages
    ]
    chime = _chime_frames(clip_dirs)
    return frames_to_wav(_join([chime, _join(sentences, LANGUAGE_GAP_MS)], WORD_GAP_MS))


def _from_espeak(call: Call, languages: Sequence[str], clip_dirs: Sequence[Path]) -> bytes | None:
    sentences: list[bytes] = []
    for language in languages:
        live = speak_live_wav(spoken_text(call, language), language)
        if live is None:
            return None
        sentences.append(wav_frames(live))
    spoken = _join(sentences, LANGUAGE_GAP_MS)
    try:
        chime = _chime_frames(clip_dirs)
    except MissingClip:
        return frames_to_wav(spoken)  # live speech is the fallback already; say it unchimed
    return frames_to_wav(_join([chime, spoken], WORD_GAP_MS))


def announcement_wav(
    call: Call,
    languages: Sequence[str],
    clip_dirs: Sequence[Path],
    prefer: Literal["clips", "espeak"] = "clips",
) -> bytes:
    """Chime, then the call in each language in turn. Clips when every one is there, else
    live espeak-ng (or the other way round with prefer="espeak"); raises when neither can."""
    if not languages:
        raise ValueError("announce in at least one language")
    if prefer not in ("clips", "espeak"):
        raise ValueError(f"prefer must be 'clips' or 'espeak', not {prefer!r}")
    if prefer == "espeak":
        live = _from_espeak(call, languages, clip_dirs)
        if live is not None:
            return live
    try:
        return _from_clips(call, languages, clip_dirs)
    except MissingClip as missing:
        live = None if prefer == "espeak" else _from_espeak(call, languages, clip_dirs)
        if live is None:
            raise AnnouncementUnavailable(
                f"cannot announce {call.label}: {missing}, and espeak-ng is not installed"
            ) from missing
        return live
