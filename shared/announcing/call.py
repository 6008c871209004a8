"""What the lobby hears when a ticket is called: the sentence, and the clips that say it.

Every announcement is assembled from a small fixed vocabulary of word clips (digits, 'belas',
'puluh', 'ratus', 'ribu', the 'se-' forms, letters and two phrases), so a branch can replace the
synthetic voice with its own recordings by recording each clip once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.announcing.words import (
    LETTERS,
    NUMBER_WORDS_EN,
    NUMBER_WORDS_ID,
    letter_word_en,
    letter_word_id,
    number_words_en,
    number_words_id,
)
from shared.domain.labels import parse_label

LANGUAGES = ("id", "en")
MAX_COUNTER = 9999  # read aloud like any number, but no branch has more counters
CHIME = "chime"


@dataclass(frozen=True)
class Call:
    """One call of a ticket to a counter. `counter_name` is shown on screen, never spoken:
    names are free text that a synthetic voice would mispronounce."""

    label: str
    counter_number: int
    counter_name: str = ""

    def __post_init__(self) -> None:
        parse_label(self.label)  # raises a ValueError that names the bad label
        if not 1 <= self.counter_number <= MAX_COUNTER:
            raise ValueError(f"counter number {self.counter_number} is not 1-{MAX_COUNTER}")

    @property
    def prefix(self) -> str:
        return parse_label(self.label)[0]

    @property
    def number(self) -> int:
        return parse_label(self.label)[1]


@dataclass(frozen=True)
class _Wording:
    opening: tuple[str, str]  # (clip word, text)
    direction: tuple[str, str]
    letter_clip: str  # clip word for a letter, before "_a"
    vocabulary: tuple[str, ...]  # every word number_words can return
    number_words: Callable[[int], list[str]]
    letter_word: Callable[[str], str]


_WORDINGS = {
    "id": _Wording(
        opening=("nomor_antrean", "Nomor antrean"),
        direction=("silakan_menuju_loket", "silakan menuju loket"),
        letter_clip="huruf",
        vocabulary=NUMBER_WORDS_ID,
        number_words=number_words_id,
        letter_word=letter_word_id,
    ),
    "en": _Wording(
        opening=("ticket_number", "Ticket number"),
        direction=("please_proceed_to_counter", "please proceed to counter"),
        letter_clip="letter",
        vocabulary=NUMBER_WORDS_EN,
        number_words=number_words_en,
        letter_word=letter_word_en,
    ),
}


def _wording(language: str) -> _Wording:
    try:
        return _WORDINGS[language]
    except KeyError:
        raise ValueError(f"no announcements in {language!r}; languages: {LANGUAGES}") from None


def spoken_text(call: Call, language: str) -> str:
    """The sentence as live speech reads it, e.g. 'Nomor antrean A, dua belas, silakan
    menuju loket tiga.' The comma after the letters keeps a speech engine reading 'A' as a
    letter name rather than the English article."""
    wording = _wording(language)
    number = " ".join(wording.number_words(call.number))
    counter = " ".join(wording.number_words(call.counter_number))
    return f"{wording.opening[1]} {call.prefix}, {number}, {wording.direction[1]} {counter}."


def clip_sequence(call: Call, language: str, *, with_chime: bool = True) -> list[str]:
    """Clip names in playing order, e.g. ['chime', 'id/nomor_antrean', 'id/huruf_a', ...]."""
    wording = _wording(language)
    words = [wording.opening[0]]
    words += [f"{wording.letter_clip}_{letter.lower()}" for letter in call.prefix]
    words += wording.number_words(call.number)
    words.append(wording.direction[0])
    words += wording.number_words(call.counter_number)
    clips = [f"{language}/{word}" for word in words]
    return [CHIME, *clips] if with_chime else clips


def _clip_script(language: str) -> dict[str, str]:
    wording = _wording(language)
    texts = {wording.opening[0]: wording.opening[1], wording.direction[0]: wording.direction[1]}
    # A speech engine and a person both read a lone capital letter as its name.
    texts |= {f"{wording.letter_clip}_{letter.lower()}": letter for letter in LETTERS}
    texts |= {word: word for word in wording.vocabulary}
    return {f"{language}/{word}": text for word, text in sorted(texts.items())}


# Per language: clip name -> what to say in it (for espeak-ng, or for a person recording it).
CLIP_SCRIPT: dict[str, dict[str, str]] = {lang: _clip_script(lang) for lang in LANGUAGES}
CLIP_VOCABULARY: dict[str, set[str]] = {lang: set(script) for lang, script in CLIP_SCRIPT.items()}
