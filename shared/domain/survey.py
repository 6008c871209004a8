"""The satisfaction survey (survei kepuasan masyarakat, SKM): its questions, scale and index.

Permenpan RB 14/2017 rates public services on a 1-4 scale; the index (IKM) is the mean
rating times 25, graded A (88.31-100) to D (25-64.99). We ask five of its nine elements,
the ones a visitor can judge right after one visit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.domain.errors import DomainError
from shared.domain.text import has_unprintable

SCALE = (1, 2, 3, 4)
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Question:
    key: str
    text_id: str
    text_en: str


QUESTIONS = (
    Question("requirements", "Kejelasan persyaratan layanan", "Clarity of the requirements"),
    Question("procedure", "Kemudahan prosedur layanan", "Ease of the procedure"),
    Question("speed", "Kecepatan waktu pelayanan", "Speed of service"),
    Question("staff", "Kesopanan dan keramahan petugas", "Courtesy of the staff"),
    Question("facilities", "Kenyamanan ruang tunggu dan sarana", "Comfort of the waiting room"),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)

# The words each point of the scale carries on the form, low to high.
SCALE_WORDS_ID = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")
SCALE_WORDS_EN = ("Poor", "Fair", "Good", "Very good")

GRADES = ((88.31, "A", "Sangat baik"), (76.61, "B", "Baik"), (65.0, "C", "Kurang baik"),
          (25.0, "D", "Tidak baik"))


class SurveyRefused(DomainError):
    """The answers cannot be taken: the visit is not over, it was already rated, the survey
    has closed ("not_yet", "answered", "closed"), or an answer is missing or out of range
    ("invalid")."""

    def __init__(self, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.reason = reason


def check_answers(answers: Mapping[str, object], comment: str) -> dict[str, int]:
    """Every question answered once on the 1-4 scale, and a comment of sane length."""
    unknown = sorted(set(answers) - set(QUESTION_KEYS))
    if unknown:
        raise SurveyRefused(f"unknown question(s): {', '.join(unknown)[:200]}")
    clean: dict[str, int] = {}
    for key in QUESTION_KEYS:
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


def satisfaction_index(mean_rating: float) -> float:
    """IKM on the 25-100 scale from a mean rating on the 1-4 scale."""
    return mean_rating * 25.0


def grade(index: float) -> tuple[str, str]:
    """The letter and words of an IKM value (A: sangat baik ... D: tidak baik)."""
    for floor, letter, words in GRADES:
        if index >= floor:
            return letter, words
    return "D", "Tidak baik"
