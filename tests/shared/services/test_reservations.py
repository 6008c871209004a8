"""Reservations for visitors turned away: the offer, the booking without a NIK, its slip."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from shared.domain.booking import BookingRefused, format_code
from shared.printing.layout import layout_reservation
from shared.printing.raster import render_reservation_image
from shared.printing.reservation import ReservationSlip
from shared.services.reservations import reservation_offer, reserve
from shared.store.database import Store
from shared.store.models import Booking, Branch
from tests.support.actions import run
from tests.support.branches import MONDAY_0800

TUESDAY_0800 = MONDAY_0800 + timedelta(days=1)


def test_the_offer_is_the_first_free_slot_after_today(store: Store) -> None:
    offer = run(store, reservation_offer, "JHT")
    assert offer is not None
    assert (offer.day, offer.slot_start) == (TUESDAY_0800.date(), TUESDAY_0800)
    assert offer.slot_end == TUESDAY_0800 + timedelta(minutes=30)


def test_no_offer_where_the_branch_takes_no_bookings(store: Store) -> None:
    with store.sessions() as session, session.begin():
        branch = session.scalars(select(Branch)).one()
        branch.settings = {**branch.settings, "booking": {"services": ["RESET"]}}
    assert run(store, reservation_offer, "JHT") is None
    assert run(store, reservation_offer, "RESET") is not None


def test_a_reservation_needs_no_nik_and_is_made_once_per_request(store: Store) -> None:
    first = run(store, reserve, "JHT", TUESDAY_0800, kiosk="lobi-1", request_id="r1")
    again = run(store, reserve, "JHT", TUESDAY_0800, kiosk="lobi-1", request_id="r1")
    other = run(store, reserve, "JHT", TUESDAY_0800, kiosk="lobi-1", request_id="r2")
    assert first.booking.code == again.booking.code != other.booking.code
    assert first.booking.nik_last4 == "" and first.booking.active
    assert first.link == f"http://localhost:8080/b/{first.booking.code}"
    with store.read_sessions() as session:
        assert len(session.scalars(select(Booking)).all()) == 2


def test_a_full_slot_is_refused(store: Store) -> None:
    offer = run(store, reservation_offer, "JHT")
    assert offer is not None
    taken = 0
    with pytest.raises(BookingRefused) as refused:
        for index in range(20):
            run(store, reserve, "JHT", offer.slot_start, kiosk="k", request_id=f"r{index}")
            taken += 1
    assert refused.value.reason == "full" and taken >= 1
    later = run(store, reservation_offer, "JHT")
    assert later is not None and later.slot_start > offer.slot_start  # the next slot then


def test_the_slip_carries_the_code_the_slot_and_the_qr(store: Store) -> None:
    made = run(store, reserve, "JHT", TUESDAY_0800, kiosk="lobi-1")
    booking = made.booking
    slip = ReservationSlip(
        branch_name="Kantor Cabang Uji", service_name=booking.service_name_id,
        code=format_code(booking.code), slot_start=booking.slot_start,
        slot_end=booking.slot_end, check_in_from=booking.check_in_from,
        check_in_until=booking.check_in_until, link=made.link, footer="", language="id",
    )  # fmt: skip
    assert slip.when_line() == "Selasa, 24 November 2026, pukul 08:00–08:30"
    assert slip.come_line().startswith("Datang dan pindai QR di kios pukul 07:00–08:45")
    job = layout_reservation(slip, 80)
    assert format_code(booking.code).encode() in job
    assert made.link.encode() in job  # the QR's content
    assert job.endswith(b"\x1dV\x01")  # partial cut
    assert render_reservation_image(slip, 58).width == 384
    with pytest.raises(ValueError, match="timezone-aware"):
        ReservationSlip("b", "s", "c", datetime(2026, 11, 24, 8), datetime(2026, 11, 24, 9),
                        datetime(2026, 11, 24, 7), datetime(2026, 11, 24, 9), "l", "", "id")
