"""Pure rules: booking codes, NIK and phone checks, the survey index, slot capacity."""

from __future__ import annotations

import pytest

from shared.domain.booking import (
    CODE_ALPHABET,
    CODE_LENGTH,
    BookingRefused,
    check_nik,
    check_phone,
    format_code,
    is_code_shaped,
    new_booking_code,
    normalise_code,
)
from shared.domain.survey import (
    QUESTION_KEYS,
    SurveyRefused,
    check_answers,
    grade,
    satisfaction_index,
)
from shared.domain.text import has_unprintable, printable
from shared.planning.booking_capacity import DeskTime, open_seconds, slot_capacity


def test_codes_are_random_typeable_and_read_back_however_written() -> None:
    codes = {new_booking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(is_code_shaped(c) for c in codes)
    assert not set("01ILO") & set(CODE_ALPHABET)
    code = next(iter(codes))
    for written in (format_code(code).lower(), f" {code[:3]} {code[3:]} ",
                    f"http://localhost:8080/b/{code}", f"https://x.id/b/{format_code(code)}/"):
        assert normalise_code(written) == code
    assert not is_code_shaped("ABCDE") and len(code) == CODE_LENGTH


@pytest.mark.parametrize(
    ("written", "stored"),
    [("0812-3456-7890", "+6281234567890"), ("+62 812 3456 7890", "+6281234567890"),
     ("6285712345678", "+6285712345678")],
)
def test_phone_numbers_are_kept_in_one_form(written: str, stored: str) -> None:
    assert check_phone(written) == stored


@pytest.mark.parametrize(
    "written",
    ["٠٨١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic digits: the regex \d matches them, a phone cannot
     "０８１２３４５６７８９０",  # full-width digits
     "0812\x003456789", "0212345678",  # a NUL byte; a Jakarta landline, not a mobile
     "0801234567", "081234", "08123456789012"],  # no operator digit; too short; too long
)
def test_phone_numbers_are_ascii_indonesian_mobiles(written: str) -> None:
    with pytest.raises(BookingRefused) as refused:
        check_phone(written)
    assert refused.value.reason == "phone"


@pytest.mark.parametrize(
    "nik",
    ["3604011203850001",  # Banten, born 12 March 1985
     "3604015507900002",  # a woman's: the day of birth plus 40 (15 July 1990)
     "9104012902000001",  # Papua; 29 February (2000 was a leap year)
     "3604-0112-0385-0001"],  # written in groups
)
def test_a_well_formed_nik_is_taken(nik: str) -> None:
    assert check_nik(nik) == nik.replace("-", "")


@pytest.mark.parametrize(
    "nik",
    ["9999999999999999",  # no province 99, no day 99
     "0004011203850001",  # no province 00
     "3600011203850001", "3604001203850001",  # regency or district 00
     "3604013203850001", "3604011213850001",  # day 32, month 13
     "3604017203850001",  # a woman's day past 71
     "3604010000000001",  # no birth date at all
     "3604011203850000",  # serial 0000
     "٣٦٠٤٠١١٢٠٣٨٥٠٠٠١",  # the right digits, in Arabic-Indic script
     "36040112038500\x0001"],
)
def test_a_nik_without_the_structure_of_one_is_refused(nik: str) -> None:
    with pytest.raises(BookingRefused) as refused:
        check_nik(nik)
    assert refused.value.reason == "nik"


@pytest.mark.parametrize("answer", [True, "4.0", 4.0, None, 5])
def test_a_survey_answer_is_a_whole_number_from_one_to_four(answer: object) -> None:
    with pytest.raises(SurveyRefused):
        check_answers(dict.fromkeys(QUESTION_KEYS, 4) | {"speed": answer}, "")


def test_a_survey_comment_may_break_lines_but_hold_no_control_characters() -> None:
    answers = dict.fromkeys(QUESTION_KEYS, 3)
    assert check_answers(answers, "Cepat.\nPetugas ramah.\tTerima kasih") == answers
    for comment in ("bagus\x00", "bagus\x1b[2J", "bagus\ud800"):
        with pytest.raises(SurveyRefused, match="control characters"):
            check_answers(answers, comment)


def test_unprintable_text_is_found_and_can_be_dropped() -> None:
    assert not has_unprintable("Anjungan 1 — kertas habis")
    assert has_unprintable("a\x00b") and has_unprintable("a\nb")
    assert not has_unprintable("a\nb", multiline=True)
    assert has_unprintable("\ud800", multiline=True)
    assert printable("kertas\x00 habis\r\n\ud800") == "kertas habis  "


def test_satisfaction_index_and_grade_follow_the_regulation() -> None:
    assert satisfaction_index(3.2) == pytest.approx(80.0)
    assert grade(80.0) == ("B", "Baik")
    assert grade(88.31) == ("A", "Sangat baik")
    assert grade(76.60) == ("C", "Kurang baik")
    assert grade(50.0) == ("D", "Tidak baik")


def test_slot_capacity_splits_shared_counters_and_weights_by_history() -> None:
    alone, shared = DeskTime(1, None), DeskTime(2, None)
    # 30 minutes, 10-minute visits: 3 + 1.5 = 4.5 visits; 40 % kept for walk-ins -> 2.7 -> 2.
    assert slot_capacity([alone, shared], 0, 1800, 600, 0.4) == 2
    assert slot_capacity([alone], 0, 1800, 600, 0.0) == 3
    # Open half of the first quarter hour and never in the second.
    half = DeskTime(1, [0.5, 0.0])
    assert open_seconds(half, 0, 1800) == 450
    assert slot_capacity([half], 0, 1800, 150, 0.0) == 3
    with pytest.raises(ValueError):
        slot_capacity([alone], 0, 1800, 0, 0.5)

