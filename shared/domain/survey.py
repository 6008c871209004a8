"""The satisfaction survey (survei kepuasan masyarakat, SKM): its elements, scale and index.

Permenpan RB 14/2017 (Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara
Pelayanan Publik) defines nine elements, U1-U9, each rated on a 1-4 scale. A branch asks all
nine unless its config names a subset (`[survey] elements`).

The index as the regulation computes it: each element's mean over its respondents (NRR, nilai
rata-rata), weighted equally (1/number of elements: 1/9 = 0.111 for all nine), the weighted means
(NRR tertimbang) summed, and the sum times 25 is the IKM (25-100).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shared.domain.errors import DomainError
from shared.domain.text import has_unprintable

SCALE = (1, 2, 3, 4)
# A visitor may type a phone number or NIK into the comment: long runs of digits are hidden
# wherever a comment is shown (the report, the supervisor's follow-ups).
_LONG_NUMBER = re.compile(r"\+?\d(?:[ .\-]?\d){8,}")
HIDDEN_NUMBER = "[nomor disembunyikan]"


def hide_numbers(comment: str) -> str:
    return _LONG_NUMBER.sub(HIDDEN_NUMBER, comment)

MAX_COMMENT = 1000
# A rating at or below this raises a follow-up for the supervisor.
LOW_RATING = 2


@dataclass(frozen=True)
class Question:
    key: str
    code: str  # the regulation's number: U1..U9
    text_id: str
    text_en: str
    element: str = ""  # the regulation's name of the element


# The nine elements in the regulation's order, each asked as a plain question a visitor answers
# right after one visit.
QUESTIONS = (
    Question("requirements", "U1", "Apakah persyaratan layanan jelas dan sesuai?",
             "Were the requirements clear and fitting?",
             "Persyaratan"),
    Question("procedure", "U2", "Apakah prosedur (alur) layanan mudah diikuti?",
             "Was the procedure easy to follow?",
             "Sistem, mekanisme dan prosedur"),
    Question("speed", "U3", "Apakah layanan selesai tepat waktu?",
             "Was the service finished on time?",
             "Waktu penyelesaian"),
    Question("cost", "U4", "Apakah biaya/tarif layanan wajar (atau gratis sesuai aturan)?",
             "Was the fee fair (or free as the rules say)?",
             "Biaya/tarif"),
    Question("product", "U5", "Apakah hasil layanan sesuai dengan yang dijanjikan?",
             "Was the result what was promised?",
             "Produk spesifikasi jenis pelayanan"),
    Question("competence", "U6", "Apakah petugas menguasai pekerjaannya?",
             "Did the officer know the job well?",
             "Kompetensi pelaksana"),
    Question("conduct", "U7", "Apakah petugas sopan dan ramah?",
             "Was the officer polite and friendly?",
             "Perilaku pelaksana"),
    Question("complaints", "U8", "Apakah pengaduan, saran dan masukan ditangani dengan baik?",
             "Are complaints and suggestions handled well?",
             "Penanganan pengaduan, saran dan masukan"),
    Question("facilities", "U9", "Apakah sarana dan ruang tunggu nyaman?",
             "Were the facilities and waiting room comfortable?",
             "Sarana dan prasarana"),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)
QUESTION_BY_KEY = {q.key: q for q in QUESTIONS}

# Answers stored before the nine were asked used five keys; four are the same element's key,
# "staff" (courtesy of the staff) is U7, perilaku pelaksana.
OLD_KEYS = {"staff": "conduct"}

# The words each point of the scale carries on the form, low to high.
SCALE_WORDS_ID = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
SCALE_WORDS_EN = ("Poor", "Fair", "Good", "Very good")

# Permenpan RB 14/2017's conversion of the IKM to the quality of service (mutu pelayanan):
# A Sangat Baik 88.31-100.00, B Baik 76.61-88.30, C Kurang Baik 65.00-76.60,
# D Tidak Baik 25.00-64.99 (on the 1-4 scale: 3.5324-4.00, 3.0644-3.532, 2.60-3.064, 1.00-2.5996).
GRADES = ((88.31, "A", "Sangat baik"), (76.61, "B", "Baik"), (65.0, "C", "Kurang baik"),
          (25.0, "D", "Tidak baik"))


class SurveyRefused(DomainError):
    """The answers cannot be taken: the visit is not over, it was already rated, the survey
    has closed ("not_yet", "answered", "closed"), or an answer is missing or out of range
    ("invalid")."""

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason


def asked(keys: Iterable[str] | None = None) -> tuple[Question, ...]:
    """The elements a branch asks, in the regulation's order (all nine when it names none)."""
    chosen = set(QUESTION_KEYS if keys is None else keys)
    return tuple(q for q in QUESTIONS if q.key in chosen)


def check_answers(
    answers: Mapping[str, object], comment: str, keys: Iterable[str] | None = None
) -> dict[str, int]:
    """Every asked element answered once on the 1-4 scale, and a comment of sane length."""
    questions = asked(keys)
    unknown = sorted(set(answers) - {q.key for q in questions})
    if unknown:
        raise SurveyRefused(f"unknown question(s): {', '.join(unknown)[:200]}")
    clean: dict[str, int] = {}
    for key in (q.key for q in questions):
        value = answers.get(key)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value not in SCALE:
            raise SurveyRefused(f"answer '{key}' with a whole number from 1 to 4")
        clean[key] = value
    if len(comment) > MAX_COMMENT:
        raise SurveyRefused(f"the comment is longer than {MAX_COMMENT} characters")
    if has_unprintable(comment, multiline=True):
        raise SurveyRefused("the comment may not hold control characters")
    return clean


def as_elements(stored: Mapping[str, object]) -> dict[str, int]:
    """Stored answers keyed by element, old five-question keys mapped to their element;
    anything else (a key no element has, a value off the scale) is left out."""
    found: dict[str, int] = {}
    for key, value in stored.items():
        element = OLD_KEYS.get(key, key)
        if element in QUESTION_BY_KEY and isinstance(value, int) and value in SCALE:
            found[element] = value
    return found


def low_elements(stored: Mapping[str, object]) -> tuple[str, ...]:
    """The elements rated 1 or 2, which the supervisor follows up."""
    answers = as_elements(stored)
    return tuple(q.key for q in QUESTIONS if answers.get(q.key, LOW_RATING + 1) <= LOW_RATING)


def element_mean(ratings: Iterable[int]) -> float | None:
    """NRR: an element's mean rating over the respondents who rated it."""
    values = list(ratings)
    return sum(values) / len(values) if values else None


def weighted_index(means: Iterable[float]) -> float | None:
    """IKM from the elements' NRR: each weighted 1/number of elements, summed, times 25."""
    values = list(means)
    if not values:
        return None
    weight = 1 / len(values)
    return sum(mean * weight for mean in values) * 25.0


def satisfaction_index(mean_rating: float) -> float:
    """IKM on the 25-100 scale from a mean rating on the 1-4 scale."""
    return mean_rating * 25.0


def grade(index: float) -> tuple[str, str]:
    """The letter and words of an IKM value (A: sangat baik ... D: tidak baik)."""
    for floor, letter, words in GRADES:
        if index >= floor:
            return letter, words
    return "D", "Tidak baik"
