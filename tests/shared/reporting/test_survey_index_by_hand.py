"""The IKM of Permenpan RB 14/2017 computed by hand on small examples: all nine elements, a
branch asking a subset, and answers stored by the old five-question form."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.config.survey import ALL_ELEMENTS
from shared.domain.survey import QUESTION_KEYS, as_elements, grade, low_elements
from shared.reporting.reading import ReportRows, ServiceRow, SurveyRow
from shared.reporting.survey_figures import SurveyFigures, compute_survey, grade_of

DAY = date(2026, 11, 23)


def figures(*answers: dict[str, int]) -> SurveyFigures:
    rows = ReportRows("TST", "Test", ZoneInfo("Asia/Jakarta"), DAY, DAY,
                      services={1: ServiceRow(1, "JHT", "Jaminan Hari Tua", "Old age", 900, 300)},
                      counters={1: 1}, officers={7: "Ani"})
    at = datetime(2026, 11, 23, 3, tzinfo=UTC)
    rows.survey_responses = [SurveyRow(1, 1, 7, at, dict(a), "") for a in answers]
    return compute_survey(rows, served=len(answers))


def test_the_config_names_the_same_nine_elements_as_the_domain() -> None:
    assert tuple(ALL_ELEMENTS) == QUESTION_KEYS and len(QUESTION_KEYS) == 9


def test_nine_elements_two_respondents() -> None:
    first = dict(zip(QUESTION_KEYS, (4, 4, 3, 3, 4, 4, 4, 2, 3), strict=True))
    second = dict(zip(QUESTION_KEYS, (3, 4, 2, 4, 4, 3, 4, 2, 3), strict=True))
    survey = figures(first, second)
    means = [q.mean for q in survey.questions]
    # NRR per element: U1 3.5, U2 4, U3 2.5, U4 3.5, U5 4, U6 3.5, U7 4, U8 2, U9 3.
    assert means == [3.5, 4.0, 2.5, 3.5, 4.0, 3.5, 4.0, 2.0, 3.0]
    # NRR tertimbang = NRR x 1/9, summed: 30/9 = 3.3333; IKM = 3.3333 x 25 = 83.33 (B, Baik).
    assert survey.index == pytest.approx(30 / 9 * 25)
    assert survey.index is not None and round(survey.index, 2) == 83.33
    assert grade_of(survey.index) == ("B", "Baik")
    assert [q.code for q in survey.questions] == [f"U{n}" for n in range(1, 10)]
    assert survey.by_officer[0].index == pytest.approx(survey.index)


def test_a_subset_branch_weighs_its_elements_one_third_each() -> None:
    # Three elements asked, three respondents.
    survey = figures({"speed": 2, "conduct": 4, "facilities": 3},
                     {"speed": 1, "conduct": 4, "facilities": 3},
                     {"speed": 3, "conduct": 3, "facilities": 3})
    # NRR: speed 6/3 = 2, conduct 11/3, facilities 3; x 1/3 each: 2/3 + 11/9 + 1 = 26/9.
    # IKM = 26/9 x 25 = 72.22: C (Kurang baik), 65.00-76.60.
    assert survey.index == pytest.approx(26 / 9 * 25)
    assert grade_of(survey.index) == ("C", "Kurang baik")
    assert [q.key for q in survey.questions if q.mean is None] == [
        "requirements", "procedure", "cost", "product", "competence", "complaints"]


def test_old_five_question_answers_are_still_reported_as_their_elements() -> None:
    old = {"requirements": 4, "procedure": 3, "speed": 2, "staff": 4, "facilities": 1}
    assert as_elements(old) == {"requirements": 4, "procedure": 3, "speed": 2, "conduct": 4,
                                "facilities": 1}
    survey = figures(old, dict.fromkeys(QUESTION_KEYS, 4))
    by_key = {q.key: q for q in survey.questions}
    assert by_key["conduct"].answers == 2 and by_key["conduct"].mean == 4.0
    assert by_key["cost"].answers == 1 and by_key["cost"].mean == 4.0
    assert by_key["facilities"].ratings == (1, 0, 0, 1)
    # NRR: U1 4, U2 3.5, U3 3, U4 4, U5 4, U6 4, U7 4, U8 4, U9 2.5 = 33; 33/9 x 25 = 91.67.
    assert survey.index == pytest.approx(33 / 9 * 25)
    assert low_elements(old) == ("speed", "facilities")


@pytest.mark.parametrize(("index", "letter"), [
    (100.0, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.0, "C"),
    (64.99, "D"), (25.0, "D"),
])
def test_the_regulation_s_quality_cut_offs(index: float, letter: str) -> None:
    assert grade(index)[0] == letter
