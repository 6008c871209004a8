"""Generate the shipped voice clips (espeak-ng) and the chime (numpy) under assets/.

    .venv/bin/python -m scripts.make_voice_clips          # writes assets/voice/*, assets/sounds/
    .venv/bin/python -m scripts.make_voice_clips --list   # what to say in each clip, to record

Needs espeak-ng and sox on PATH. Every clip is 22050 Hz mono 16-bit with silence trimmed, the
one format shared/announcing/audio.py accepts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

from shared.announcing.audio import ESPEAK_SPEED, SAMPLE_RATE, SHIPPED_CLIP_DIRS
from shared.announcing.call import CHIME, CLIP_SCRIPT

VOICE_DIR, SOUNDS_DIR = SHIPPED_CLIP_DIRS
# sox effects: drop leading silence, then trailing (by reversing), keeping the word's attack.
TRIM = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"]


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        sys.exit(f"{tool} is not installed (Debian: apt-get install {tool})")
    return path


def make_clip(text: str, language: str, target: Path, espeak: str, sox: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "raw.wav"
        subprocess.run(
            [espeak, "-v", language, "-s", str(ESPEAK_SPEED), "-w", str(raw), text], check=True
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        convert = ["-r", str(SAMPLE_RATE), "-c", "1", "-b", "16", str(target)]
        subprocess.run([sox, str(raw), *convert, *TRIM], check=True)


def _tone(frequency: float, seconds: float) -> np.ndarray:
    """A bell-like note: four harmonics, a quick attack, an exponential decay."""
    t = np.arange(int(SAMPLE_RATE * seconds)) / SAMPLE_RATE
    partials = [(1.0, 1.0), (2.0, 0.35), (3.0, 0.12), (4.0, 0.05)]
    tone = sum(weight * np.sin(2 * np.pi * frequency * k * t) for k, weight in partials)
    attack = np.minimum(1.0, t / 0.008)  # 8 ms: no click at the onset
    return tone * attack * np.exp(-t * 3.2)


def chime_samples() -> np.ndarray:
    """Ding-dong: E5 then C5 (a major third down), 1.2 s, faded to silence at the end."""
    total = _tone(659.25, 1.2)
    start = int(SAMPLE_RATE * 0.45)
    total[start:] += _tone(523.25, 1.2)[: total.size - start]
    fade = np.linspace(1.0, 0.0, int(SAMPLE_RATE * 0.15))
    total[-fade.size :] *= fade
    return np.round(total / np.abs(total).max() * 0.7 * 32767).astype("<i2")


def write_chime(target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(target), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(chime_samples().tobytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print clip file and text, no audio")
    args = parser.parse_args()
    if args.list:
        for script in CLIP_SCRIPT.values():
            for clip, text in script.items():
                print(f"{clip}.wav\t{text}")
        return
    espeak, sox = _require("espeak-ng"), _require("sox")
    for language, script in CLIP_SCRIPT.items():
        for clip, text in script.items():
            make_clip(text, language, VOICE_DIR / f"{clip}.wav", espeak, sox)
        print(f"{len(script)} clips in {VOICE_DIR / language}")
    write_chime(SOUNDS_DIR / f"{CHIME}.wav")
    print(f"chime in {SOUNDS_DIR / CHIME}.wav")


if __name__ == "__main__":
    main()
