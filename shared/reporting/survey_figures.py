"""The satisfaction survey's figures (SKM): per question, per service, counter and officer.

The index follows Permenpan RB 14/2017: each element's mean rating over its respondents (NRR,
1-4) weighs 1/number of elements rated, the weighted means summed, times 25, is the IKM (25-100).
Answers stored before the nine elements were asked count for the elements they rated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from shared.domain.survey import (
    QUESTIONS,
    SCALE,
    as_elements,
    grade,
    hide_numbers,
    satisfaction_index,
    weighted_index,
)
from shared.reporting.reading import ReportRows, SurveyRow

LATEST_COMMENTS = 20


@dataclass(frozen=True)
class QuestionFigures:
    key: str
    text_id: str
    text_en: str
    ratings: tuple[int, ...]  # how many answered 1, 2, 3, 4
    code: str = ""  # U1..U9
    element: str = ""  # the regulation's name of it

    @property
    def answers(self) -> int:
        return sum(self.ratings)

    @property
    def mean(self) -> float | None:
        if not self.answers:
            return None
        return sum(r * n for r, n in zip(SCALE, self.ratings, strict=True)) / self.answers

    @property
    def index(self) -> float | None:
        mean = self.mean
        return None if mean is None else satisfaction_index(mean)


@dataclass(frozen=True)
class Satisfaction:
    """The responses of one service, counter or officer and their IKM."""

    name: str
    responses: int
    index: float | None


@dataclass(frozen=True)
class SurveyComment:
    answered_on: date  # local
    service: str  # its code
    text: str  # long numbers hidden


@dataclass(frozen=True)
class SurveyFigures:
    responses: int
    served: int  # visits finished in the range: the ones that could be rated
    questions: tuple[QuestionFigures, ...]  # all nine elements; unrated ones have no mean
    index: float | None  # IKM over every element rated
    by_service: tuple[Satisfaction, ...]
    by_counter: tuple[Satisfaction, ...]
    by_officer: tuple[Satisfaction, ...]
    comments: tuple[SurveyComment, ...]  # the latest, newest first
    comment_count: int  # every comment in the range

    @property
    def response_rate(self) -> float | None:
        return self.responses / self.served if self.served else None


def grade_of(index: float | None) -> tuple[str, str] | None:
    """The grade as the index is shown (two decimals), so 88.305 reads and grades as A."""
    return None if index is None else grade(round(index, 2))


def compute_survey(rows: ReportRows, served: int) -> SurveyFigures:
    responses = rows.survey_responses
    by_service: dict[int, list[SurveyRow]] = defaultdict(list)
    by_counter: dict[int, list[SurveyRow]] = defaultdict(list)
    by_officer: dict[int, list[SurveyRow]] = defaultdict(list)
    for response in responses:
        by_service[response.service_id].append(response)
        if response.counter_id is not None:
            by_counter[response.counter_id].append(response)
        if response.officer_id is not None:
            by_officer[response.officer_id].append(response)
    services = rows.services
    commented = sorted(
        (r for r in responses if r.comment.strip()), key=lambda r: r.answered_at, reverse=True
    )
    return SurveyFigures(
        responses=len(responses),
        served=served,
        questions=_questions(responses),
        index=_index(responses),
        by_service=_groups(by_service, lambda s: f"{services[s].code} — {services[s].name_id}"),
        by_counter=_groups(by_counter, lambda cid: f"Loket {rows.counters.get(cid, cid)}"),
        by_officer=_groups(by_officer, lambda oid: rows.officers.get(oid, f"#{oid}")),
        comments=tuple(
            _comment(r, rows.zone, services[r.service_id].code)
            for r in commented[:LATEST_COMMENTS]
        ),
        comment_count=len(commented),
    )


def _questions(responses: Iterable[SurveyRow]) -> tuple[QuestionFigures, ...]:
    counts = {q.key: dict.fromkeys(SCALE, 0) for q in QUESTIONS}
    for response in responses:
        for key, value in as_elements(response.answers).items():
            counts[key][value] += 1
    return tuple(
        QuestionFigures(q.key, q.text_id, q.text_en, tuple(counts[q.key][r] for r in SCALE),
                        q.code, q.element)
        for q in QUESTIONS
    )


def _index(responses: Iterable[SurveyRow]) -> float | None:
    """IKM over the elements these responses rated (NRR of each, weighted equally)."""
    return weighted_index(q.mean for q in _questions(responses) if q.mean is not None)


def _groups(
    groups: dict[int, list[SurveyRow]], name: Callable[[int], str]
) -> tuple[Satisfaction, ...]:
    rows = [Satisfaction(name(key), len(members), _index(members))
            for key, members in groups.items()]
    return tuple(sorted(rows, key=lambda s: (-s.responses, s.name)))


def _comment(response: SurveyRow, zone: ZoneInfo, service: str) -> SurveyComment:
    return SurveyComment(
        answered_on=response.answered_at.astimezone(zone).date(),
        service=service,
        text=hide_numbers(response.comment.strip()),
    )
