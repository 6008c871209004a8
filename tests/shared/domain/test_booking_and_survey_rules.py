"""Pure rules: booking codes, NIK and phone checks, the survey index, slot capacity."""

from __future__ import annotations

import pytest

from shared.domain.booking import (
    CODE_ALPHABET,
    CODE_LENGTH,
    check_phone,
    format_code,
    is_code_shaped,
    new_booking_code,
    normalise_code,
)
from shared.domain.survey import grade, satisfaction_index
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

