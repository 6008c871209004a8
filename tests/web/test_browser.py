"""End to end on a phone-sized headless Chromium: the web service on a real HTTP server over
the test store, while counters and a kiosk act on the same store in the test's thread.

Playwright's sync API and pytest-qt share the main thread without trouble here: each waits
only inside its own calls, and no test needs both to wait at the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from kiosk.screens import Screen
from shared.domain.survey import QUESTIONS
from shared.services import calling, counters, serving
from shared.services.bookings import StoreBookingDesk
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.services.views import TicketView
from shared.store.database import Store
from shared.store.models import Booking, SurveyResponse, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.kiosk import conftest as kiosk_fixtures
from tests.kiosk.test_check_in import type_on_screen

T = TypeVar("T")

WAIT_MS = 10_000  # a change reaches the page in well under a second; this is the give-up time
NIK = "3604011203850001"
PHONE = "081234567890"

expect.set_options(timeout=WAIT_MS)

# The kiosk's own fixtures, for the visitor who checks a booking in at a real kiosk.
kiosk_store = kiosk_fixtures.kiosk_store
make_kiosk = kiosk_fixtures.make_kiosk
shared_printer = kiosk_fixtures.shared_printer


@pytest.fixture
def phone(chromium: Browser, web_address: str) -> Iterator[Page]:
    """A visitor's phone: a fresh browser profile the size of a cheap Android phone."""
    context = chromium.new_context(
        base_url=web_address, viewport={"width": 360, "height": 740}, locale="id-ID"
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    yield page
    context.close()  # before the server stops: the status page's event stream ends with it


def act(store: Store, action: Callable[[UnitOfWork], T]) -> T:
    """One service call as an app makes it: its own transaction."""
    return attempt(store, "TST", action)


def walk_in(store: Store, service: str = "JHT") -> TicketView:
    return act(store, lambda uow: issue_ticket(uow, service, kiosk="lobi-1"))


def open_counter(store: Store, number: int, officer: int) -> None:
    act(store, lambda uow: counters.open_counter(uow, number, officer))


def call_next(store: Store, number: int, officer: int) -> TicketView | None:
    return act(store, lambda uow: calling.call_next(uow, number, officer))


def test_the_status_page_follows_the_queue_without_reloading(
    store: Store, staff: Staff, phone: Page
) -> None:
    walk_in(store)  # A001, ahead of ours
    mine = walk_in(store)
    phone.goto(f"/t/{mine.token}")
    live = phone.locator("#live")
    expect(phone.locator(".number")).to_have_text(mine.label)
    expect(live).to_contain_text("1 orang di depan Anda")
    expect(live).to_contain_text("Menunggu dipanggil")
    expect(phone.locator("#conn")).to_have_text("Halaman ini diperbarui otomatis.")
    # A mark on this document: a reloaded page would not have it.
    phone.evaluate("window.firstLoad = true")

    open_counter(store, 1, staff.ani)
    open_counter(store, 2, staff.budi)
    first = call_next(store, 1, staff.ani)
    assert first is not None and first.label != mine.label
    expect(live).to_contain_text("Anda berikutnya")

    called = call_next(store, 2, staff.budi)
    assert called is not None and called.label == mine.label
    expect(live.locator(".called")).to_contain_text("Dipanggil! Silakan menuju Loket 2")
    expect(live).to_contain_text("Panggilan ke-1 dari 3")
    expect(live).not_to_contain_text("Menunggu dipanggil")
    assert phone.evaluate("window.firstLoad") is True
    assert phone.url.endswith(f"/t/{mine.token}")


def test_the_survey_is_answered_once(store: Store, staff: Staff, phone: Page) -> None:
    visit = walk_in(store)
    open_counter(store, 1, staff.ani)
    call_next(store, 1, staff.ani)
    act(store, lambda uow: serving.start(uow, 1, staff.ani))
    act(store, lambda uow: serving.finish(uow, 1, staff.ani))

    phone.goto(f"/t/{visit.token}")
    expect(phone.locator("#live")).to_contain_text("Layanan selesai")
    phone.get_by_role("link", name="Beri penilaian layanan kami").click()
    expect(phone.locator("h1")).to_have_text("Survei kepuasan masyarakat")
    for question, rating in zip(QUESTIONS, "434324342", strict=True):
        phone.locator(f"input[name='{question.key}'][value='{rating}']").check()
    phone.locator("#comment").fill("Petugas ramah, ruang tunggu panas.")
    phone.get_by_role("button", name="Kirim penilaian").click()
    expect(phone.locator(".card.ok")).to_contain_text("Terima kasih! Penilaian Anda")

    survey = f"/t/{visit.token}/survey"
    again = phone.goto(survey)
    assert again is not None and again.status == 409
    expect(phone.locator(".card.error")).to_contain_text("Kunjungan ini sudah dinilai")
    expect(phone.locator("form")).to_have_count(0)
    posted = phone.request.post(survey, form={q.key: "1" for q in QUESTIONS})
    assert posted.status == 409 and "sudah dinilai" in posted.text()

    with UnitOfWork(store, "TST") as uow:
        answers = list(uow.session.scalars(
            select(SurveyResponse.answers).where(SurveyResponse.ticket_id == visit.id)
        ))
    assert answers == [{"requirements": 4, "procedure": 3, "speed": 4, "cost": 3, "product": 2,
                        "competence": 4, "conduct": 3, "complaints": 4, "facilities": 2}]


def test_a_booking_made_on_the_phone_is_checked_in_at_the_kiosk_and_called_at_its_time(
    store: Store, staff: Staff, phone: Page, make_kiosk: kiosk_fixtures.KioskFactory
) -> None:
    walk_in(store)  # A001 came first; the booking is called before it once its slot is due
    phone.goto("/")
    phone.get_by_role("link", name="Pesan antrean online").click()
    phone.get_by_role("link", name="Klaim JHT").click()
    expect(phone.locator("h1")).to_have_text("Klaim JHT")
    phone.get_by_role("link", name="Sen 23 Nov").click()
    expect(phone.locator(".days a.on")).to_have_text("Sen 23 Nov")
    phone.locator("input[name=time][value='09:00']").check()
    phone.locator("#nik").fill(NIK)
    phone.locator("#phone").fill(PHONE)
    phone.get_by_role("button", name="Pesan", exact=True).click()

    expect(phone).to_have_url(re.compile(r"/b/[A-Z0-9]{10}\?lang=id$"))
    expect(phone.locator(".big")).to_have_text("Senin, 23 November 2026, pukul 09:00–09:30")
    code = phone.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    booking_page = phone.url

    kiosk = make_kiosk(bookings=StoreBookingDesk())
    kiosk.tap(kiosk.window.home.checkin)
    type_on_screen(kiosk, code.replace("-", ""))
    kiosk.tap(kiosk.window.check_in.submit_button)
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.RESULT, timeout=WAIT_MS)
    [booked] = [t for t in kiosk.tickets() if t.due_at is not None]
    assert booked.label == "A002"

    phone.goto(booking_page)
    expect(phone.locator("main")).to_contain_text(f"Sudah check-in: nomor antrean {booked.label}")
    phone.get_by_role("link", name="Lihat antrean").click()
    expect(phone.locator(".number")).to_have_text(booked.label)
    expect(phone.locator("#live")).to_contain_text("Menunggu dipanggil")

    kiosk.move_clock_to(9, 0)
    open_counter(store, 1, staff.ani)
    called = call_next(store, 1, staff.ani)
    assert called is not None and called.label == booked.label
    expect(phone.locator("#live .called")).to_contain_text("Dipanggil! Silakan menuju Loket 1")
    with UnitOfWork(store, "TST") as uow:
        first_walk_in = uow.session.scalar(select(Ticket.state).where(Ticket.label == "A001"))
    assert first_walk_in == "waiting"


def test_a_malformed_nik_is_refused_and_the_form_kept(store: Store, phone: Page) -> None:
    phone.goto("/book/JHT")
    phone.locator("input[name=time][value='09:30']").check()
    phone.locator("#nik").fill("3604-0112-0385")  # twelve digits
    phone.locator("#phone").fill(PHONE)
    with phone.expect_response(lambda r: r.request.method == "POST") as answer:
        phone.get_by_role("button", name="Pesan", exact=True).click()

    assert answer.value.status == 400
    expect(phone.get_by_role("alert")).to_contain_text("NIK harus 16 angka")
    expect(phone.locator("#nik")).to_have_value("3604-0112-0385")
    expect(phone.locator("#phone")).to_have_value(PHONE)
    expect(phone.locator("input[name=time][value='09:30']")).to_be_checked()
    expect(phone).to_have_url(re.compile(r"/book/JHT\?lang=id$"))
    with UnitOfWork(store, "TST") as uow:
        assert uow.session.scalar(select(func.count()).select_from(Booking)) == 0
