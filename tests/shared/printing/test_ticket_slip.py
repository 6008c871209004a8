from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.shared.printing.slips import ISSUED_AT, a_slip


def test_indonesian_wording_comes_first_and_reads_naturally() -> None:
    slip = a_slip()
    assert slip.words.queue_number == "Nomor antrean"
    assert slip.people_ahead_line() == "Orang di depan Anda: 5"
    assert slip.window_line() == "Perkiraan dipanggil: 09:40–10:05"
    assert slip.words.scan_for_status == "Pindai untuk status & survei"
    assert slip.words.bring_documents == "Bawa dokumen:"
    assert slip.words.priority == "Prioritas"
    assert slip.issued_line() == "Senin, 3 Maret 2025 09:12"


def test_english_wording() -> None:
    slip = a_slip(language="en", people_ahead=0)
    assert slip.words.queue_number == "Queue number"
    assert slip.people_ahead_line() == "People ahead of you: 0"
    assert slip.window_line() == "Estimated call: 09:40–10:05"
    assert slip.words.scan_for_status == "Scan for status & survey"
    assert slip.words.bring_documents == "Bring documents:"
    assert slip.words.priority == "Priority"
    assert slip.issued_line() == "Monday, 3 March 2025 09:12"


def test_window_is_shown_in_the_slips_local_time() -> None:
    utc_start = datetime(2025, 3, 3, 2, 40, tzinfo=UTC)
    slip = a_slip(window=(utc_start, utc_start + timedelta(minutes=25)))
    assert slip.window_line() == "Perkiraan dipanggil: 09:40–10:05"


def test_no_window_gives_no_line() -> None:
    assert a_slip(window=None).window_line() is None


@pytest.mark.parametrize(
    "changes",
    [
        {"language": "jv"},
        {"label": "  "},
        {"people_ahead": -1},
        {"issued_at": ISSUED_AT.replace(tzinfo=None)},
        {"window": (ISSUED_AT.replace(hour=11), ISSUED_AT.replace(hour=10))},
        {"window": (ISSUED_AT.replace(tzinfo=None), ISSUED_AT.replace(tzinfo=None))},
    ],
)
def test_impossible_slips_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        a_slip(**changes)
