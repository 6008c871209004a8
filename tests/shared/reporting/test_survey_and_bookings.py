"""Survey (SKM) and booking figures of a day built by hand through the real services."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shared.clock import ManualClock
from shared.config.survey import SurveySettings
from shared.domain.survey import HIDDEN_NUMBER, hide_numbers
from shared.reporting.building import build_report
from shared.reporting.export import export_csv
from shared.reporting.figures import Report, compute_report
from shared.reporting.page import render_html
from shared.reporting.reading import read_report_rows
from shared.reporting.survey_figures import grade_of
from shared.services import counters, serving
from shared.services.bookings import book, cancel_booking, check_in_booking
from shared.services.issuing import issue_ticket
from shared.services.setup import apply_branch_config
from shared.services.survey import answer_survey
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import called_next, run
from tests.support.branches import JAKARTA, small_branch

MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)
PHONE = "0812 3456 7890"
SCRIPT = "Cepat <script>alert(1)</script> & ramah"
# A branch asking a subset of five elements (U1, U2, U3, U7, U9); the answers of three visits:
A001 = (4, 4, 3, 4, 4)  # JHT at counter 1 by Ani
A002 = (3, 3, 2, 4, 3)  # JHT at counter 2 by Budi
B001 = (2, 3, 1, 3, 2)  # JKM at counter 2 by Budi
KEYS = ("requirements", "procedure", "speed", "conduct", "facilities")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def nik(n: int) -> str:
    return f"36040112038{n:05d}"


@dataclass
class Day:
    store: Store
    report: Report


@pytest.fixture
def day(store: Store, staff: Staff, clock: ManualClock) -> Day:
    apply_branch_config(store, small_branch().model_copy(
        update={"survey": SurveySettings(elements=list(KEYS))}))
    # Monday 08:00: four bookings for Monday (one cancelled at once), one for Tuesday.
    on_time = run(store, book, "JHT", MONDAY, at(MONDAY, 9), nik(1), PHONE)
    run(store, book, "JHT", MONDAY, at(MONDAY, 9, 30), nik(2), PHONE)  # never checked in
    cancelled = run(store, book, "JHT", MONDAY, at(MONDAY, 10), nik(3), PHONE)
    run(store, cancel_booking, cancelled.code)
    run(store, book, "JHT", MONDAY, at(MONDAY, 14), nik(4), PHONE)  # still to come at 11:00
    run(store, book, "JHT", TUESDAY, at(TUESDAY, 9), nik(1), PHONE)
    run(store, counters.open_counter, 1, staff.ani)
    run(store, counters.open_counter, 2, staff.budi)
    tokens = {}
    for label, code in (("A001", "JHT"), ("A002", "JHT"), ("B001", "JKM")):
        tokens[label] = run(store, issue_ticket, code).token
    assert called_next(store, 1, staff.ani).label == "A001"
    run(store, serving.start, 1, staff.ani)
    assert called_next(store, 2, staff.budi).label == "A002"
    run(store, serving.start, 2, staff.budi)
    clock.set(at(MONDAY, 8, 10))
    run(store, serving.finish, 1, staff.ani)
    run(store, serving.finish, 2, staff.budi)
    assert called_next(store, 2, staff.budi).label == "B001"
    run(store, serving.start, 2, staff.budi)
    clock.set(at(MONDAY, 8, 20))
    run(store, serving.finish, 2, staff.budi)
    clock.set(at(MONDAY, 8, 59))
    booked = run(store, check_in_booking, on_time.code, kiosk="K1")
    clock.set(at(MONDAY, 9))
    assert called_next(store, 1, staff.ani).label == booked.label
    run(store, serving.start, 1, staff.ani)
    clock.set(at(MONDAY, 9, 10))
    run(store, serving.finish, 1, staff.ani)  # four visits served, one of them booked
    comments = {"A001": SCRIPT, "A002": f"Tolong hubungi saya {PHONE}", "B001": ""}
    for minute, (label, ratings) in enumerate(
        (("A001", A001), ("A002", A002), ("B001", B001)), start=1
    ):
        clock.set(at(MONDAY, 9, 10 + minute))
        run(store, answer_survey, tokens[label], dict(zip(KEYS, ratings, strict=True)),
            comments[label])
    clock.set(at(MONDAY, 11))
    return Day(store, build_report(store, "TST", MONDAY, MONDAY))


def test_per_question_means_index_and_grade(day: Day) -> None:
    survey = day.report.survey
    assert (survey.responses, survey.served, survey.response_rate) == (3, 4, 0.75)
    by_key = {q.key: q for q in survey.questions}
    # All nine are listed; the four this branch does not ask have no answers and no mean.
    assert [q.key for q in survey.questions if q.answers] == list(KEYS)
    assert by_key["cost"].mean is None
    # Means by hand: requirements (4+3+2)/3, procedure (4+3+3)/3, speed (3+2+1)/3,
    # conduct (4+4+3)/3, facilities (4+3+2)/3.
    expected = {"requirements": 3.0, "procedure": 10 / 3, "speed": 2.0, "conduct": 11 / 3,
                "facilities": 3.0}
    for key, mean in expected.items():
        assert by_key[key].answers == 3
        assert by_key[key].mean == pytest.approx(mean)
        assert by_key[key].index == pytest.approx(mean * 25)
    assert by_key["speed"].ratings == (1, 1, 1, 0)  # one each of 1, 2 and 3; no 4
    assert by_key["conduct"].ratings == (0, 0, 1, 2)
    # 75.00 C, 83.33 B, 50.00 D, 91.67 A
    graded = ("requirements", "procedure", "speed", "conduct")
    assert [grade_of(by_key[k].index) for k in graded] == [
        ("C", "Kurang baik"), ("B", "Baik"), ("D", "Tidak baik"), ("A", "Sangat baik")]
    # Overall: NRR tertimbang, each element weighing 1/5:
    # 3 × 0.2 + 10/3 × 0.2 + 2 × 0.2 + 11/3 × 0.2 + 3 × 0.2 = 3.0, times 25 -> 75.00.
    assert survey.index == pytest.approx(75.0)
    assert grade_of(survey.index) == ("C", "Kurang baik")


def test_index_per_service_counter_and_officer(day: Day) -> None:
    survey = day.report.survey
    # JHT: A001 and A002, question means 3.5, 3.5, 2.5, 4, 3.5 -> 3.4 -> 85 (B).
    # JKM: B001 alone, (2+3+1+3+2)/5 = 2.2 -> 55 (D).
    assert [(s.name, s.responses) for s in survey.by_service] == [
        ("JHT — Klaim JHT", 2), ("JKM — Klaim JKM", 1)]
    assert [s.index for s in survey.by_service] == pytest.approx([85.0, 55.0])
    # Counter 2 (Budi): A002 and B001, question means 2.5, 3, 1.5, 3.5, 2.5 -> 2.6 -> 65,
    # the lowest C; counter 1 (Ani): A001, 19/5 = 3.8 -> 95 (A).
    assert [(s.name, s.responses) for s in survey.by_counter] == [("Loket 2", 2), ("Loket 1", 1)]
    assert [s.index for s in survey.by_counter] == pytest.approx([65.0, 95.0])
    assert grade_of(survey.by_counter[0].index) == ("C", "Kurang baik")
    assert [(s.name, s.responses) for s in survey.by_officer] == [("Budi", 2), ("Ani", 1)]
    assert [s.index for s in survey.by_officer] == pytest.approx([65.0, 95.0])


def test_latest_comments_newest_first_without_numbers(day: Day) -> None:
    survey = day.report.survey
    assert survey.comment_count == 2  # B001 left none
    assert [(c.answered_on, c.service, c.text) for c in survey.comments] == [
        (MONDAY, "JHT", f"Tolong hubungi saya {HIDDEN_NUMBER}"),
        (MONDAY, "JHT", SCRIPT),
    ]


def test_bookings_made_used_cancelled_and_lapsed(day: Day) -> None:
    total = day.report.bookings.total
    assert (total.made, total.checked_in, total.cancelled, total.not_used, total.to_come) == (
        4, 1, 1, 1, 1)
    assert (total.served, total.served_booked, total.booked_share) == (4, 1, 0.25)
    (jht,) = day.report.bookings.by_service  # JKM had no bookings
    assert (jht.code, jht.made, jht.served, jht.served_booked) == ("JHT", 4, 3, 1)
    assert jht.booked_share == pytest.approx(1 / 3)


def test_a_booking_lapses_when_its_check_in_time_is_over(day: Day) -> None:
    # The 09:30 slot ends at 10:00 and can be checked in until 10:15 (15 minutes late).
    with day.store.engine.connect() as connection:
        until = read_report_rows(connection, "TST", MONDAY, MONDAY, at(MONDAY, 10, 15))
        after = read_report_rows(
            connection, "TST", MONDAY, MONDAY, at(MONDAY, 10, 15) + timedelta(seconds=1))
    assert (compute_report(until).bookings.total.not_used,
            compute_report(until).bookings.total.to_come) == (0, 2)
    assert (compute_report(after).bookings.total.not_used,
            compute_report(after).bookings.total.to_come) == (1, 1)


def test_another_day_has_its_own_bookings_and_no_answers(day: Day) -> None:
    tuesday = build_report(day.store, "TST", TUESDAY, TUESDAY)
    assert tuesday.survey.responses == 0 and tuesday.survey.index is None
    assert (tuesday.bookings.total.made, tuesday.bookings.total.to_come) == (1, 1)
    page = render_html(tuesday)
    assert "Tidak ada jawaban survei pada rentang ini" in page
    assert "No survey answers in this range" in page
    assert "Booking dibuat" in page


def test_the_page_shows_the_survey_and_escapes_comments(day: Day) -> None:
    page = render_html(day.report)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", page)
    assert "Survei kepuasan masyarakat (SKM)" in text
    assert "Tidak ada jawaban survei" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ramah" in text
    assert "<script" not in text
    assert "75.00" in text and "C (Kurang baik)" in text
    assert "Komentar terbaru (2 dari 2)" in text
    assert '<img alt="share of each rating per question" src="data:image/png;base64,' in page
    # Nothing of a visitor: neither the phone number booked with nor the NIK digits.
    digits = re.sub(r"\D", "", text)
    assert re.sub(r"\D", "", PHONE) not in digits
    assert not any(nik(n) in digits for n in range(1, 5))
    assert "Dilayani lewat booking" in text and "25%" in text


def test_csv_tables_of_the_survey_and_bookings(day: Day, tmp_path: Path) -> None:
    written = {p.name for p in export_csv(day.report, tmp_path)}
    assert {"survey_questions.csv", "survey_groups.csv", "bookings.csv"} <= written

    def table(name: str) -> list[dict[str, str]]:
        with (tmp_path / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    questions = {row["question"]: row for row in table("survey_questions.csv")}
    speed = questions["speed"]
    assert (speed["answers"], speed["rated_1"], speed["rated_4"], speed["grade"]) == (
        "3", "1", "0", "D")
    assert float(speed["ikm"]) == 50.0
    assert float(questions["ALL"]["ikm"]) == pytest.approx(75.0)
    groups = [(r["group"], r["name"], r["responses"], r["grade"])
              for r in table("survey_groups.csv")]
    assert ("counter", "Loket 2", "2", "C") in groups and ("officer", "Ani", "1", "A") in groups
    bookings = {row["service"]: row for row in table("bookings.csv")}
    assert set(bookings) == {"JHT", "ALL"}
    all_ = bookings["ALL"]
    assert [all_[k] for k in ("made", "checked_in", "cancelled", "not_used", "to_come",
                              "served", "served_booked")] == ["4", "1", "1", "1", "1", "4", "1"]


def test_long_numbers_are_hidden_but_short_ones_stay() -> None:
    assert hide_numbers("NIK 3604011203850001, hp +62 812-3456-7890") == (
        f"NIK {HIDDEN_NUMBER}, hp {HIDDEN_NUMBER}")
    kept = "Antre 45 menit pada 23-11-2026, loket 2"
    assert hide_numbers(kept) == kept


def test_the_grade_follows_the_index_as_shown() -> None:
    assert grade_of(None) is None
    assert grade_of(88.306) == ("A", "Sangat baik")  # shown as 88.31
    assert grade_of(88.304) == ("B", "Baik")  # shown as 88.30
    assert grade_of(64.999) == ("C", "Kurang baik")  # shown as 65.00
    assert grade_of(64.994) == ("D", "Tidak baik")  # shown as 64.99
