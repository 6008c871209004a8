"""What the kiosk offers (shared/services/service_outlook.py) and its Qt model."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pytestqt.modeltest import ModelTester

from kiosk.offer_model import OfferRole, ServiceOfferModel
from shared.clock import ManualClock
from shared.config import WeeklyHours, parse_branch_config
from shared.domain.errors import IssuingClosed
from shared.i18n import Translator
from shared.services.counters import open_counter
from shared.services.issuing import Admission, issue_ticket, wait_quantile
from shared.services.service_outlook import BranchOutlook, branch_outlook, hidden_at_kiosk
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from tests.conftest import Staff
from tests.kiosk.conftest import BOTH_STORES, KIOSK_BRANCH
from tests.support.actions import run
from tests.support.branches import JAKARTA


def offer_at(store: Store, clock: ManualClock, hour: int, minute: int = 0) -> BranchOutlook:
    clock.set(clock.now().astimezone(JAKARTA).replace(hour=hour, minute=minute))
    return run(store, branch_outlook)


@BOTH_STORES
def test_in_the_morning_everything_is_offered(kiosk_store: Store, clock: ManualClock) -> None:
    offer = offer_at(kiosk_store, clock, 8, 5)
    assert [s.code for s in offer.services] == ["JHT", "JKM", "RESET"]  # the config's order
    assert all(s.available for s in offer.services)
    jht = offer.service("JHT")
    assert jht is not None and jht.documents_id == ("KTP", "Kartu peserta BPJS Ketenagakerjaan")
    assert jht.wait is not None and jht.waiting == 0
    # RESET stops issuing at 08:30: the screen must be refreshed then, with no event.
    assert offer.next_change_at == datetime(2026, 11, 23, 8, 30, tzinfo=JAKARTA)


def test_what_issue_ticket_refuses_the_offer_refuses_too(
    kiosk_store: Store, clock: ManualClock
) -> None:
    for _ in range(3):
        run(kiosk_store, issue_ticket, "RESET")
    offer = offer_at(kiosk_store, clock, 8, 10)
    reset = offer.service("RESET")
    assert reset is not None and (reset.unavailable, reset.earliest, reset.waiting) == (
        "full", datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA), 3
    )
    with pytest.raises(IssuingClosed) as refusal:
        run(kiosk_store, issue_ticket, "RESET")
    assert refusal.value.reason == "full"


def long_jkm_queue(
    store: Store, staff: Staff, clock: ManualClock, hour: int, waiting: int = 6
) -> None:
    """From `hour`, one counter on JKM (20 minutes a visit) and `waiting` visitors: hours of
    work. (The counter opens then: one open all day without calling would be taken as away.)"""
    clock.set(clock.now().astimezone(JAKARTA).replace(hour=hour))
    run(store, open_counter, 3, staff.ani)
    for _ in range(waiting):
        run(store, issue_ticket, "JKM", admission=Admission.ANY_HOUR)


def test_closed_and_capacity(kiosk_store: Store, clock: ManualClock, staff: Staff) -> None:
    long_jkm_queue(kiosk_store, staff, clock, 14)
    offer = offer_at(kiosk_store, clock, 14, 0)
    reset = offer.service("RESET")
    assert reset is not None and reset.unavailable == "closed"
    assert reset.issuing_hours is not None
    jkm = offer.service("JKM")
    assert jkm is not None and (jkm.unavailable, jkm.waiting) == ("capacity", 6)
    assert jkm.earliest == datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA)
    # A priority visitor goes before those six, and can still be served today.
    urgent = offer.service("JKM", priority=True)
    assert urgent is not None and urgent.available and urgent.waiting == 0
    clock.advance(timedelta(days=5))  # Saturday: no issuing hours at all today
    saturday = run(kiosk_store, branch_outlook).service("JHT")
    assert saturday is not None and saturday.unavailable == "closed"
    assert saturday.issuing_hours is None


def test_the_capacity_moment_is_a_change(
    kiosk_store: Store, clock: ManualClock, staff: Staff
) -> None:
    long_jkm_queue(kiosk_store, staff, clock, 13, waiting=2)
    offer = offer_at(kiosk_store, clock, 13, 0)
    jkm = offer.service("JKM")
    assert jkm is not None and jkm.available and jkm.wait is not None
    latest = datetime(2026, 11, 23, 14, 50, tzinfo=JAKARTA)  # closing minus the margin
    assert offer.next_change_at is not None
    share = parse_branch_config(KIOSK_BRANCH).queue.capacity_wait_share
    assert offer.next_change_at <= latest - timedelta(seconds=wait_quantile(jkm.wait, share))


def test_hidden_services(kiosk_store: Store) -> None:
    offer = run(kiosk_store, branch_outlook, {"JKM"})
    assert [s.code for s in offer.services] == ["JHT", "RESET"]
    config = parse_branch_config(KIOSK_BRANCH)
    services = [
        config.services[0].model_copy(update={"code": "A", "issuing_hours": None}),
        config.services[0].model_copy(update={
            "code": "B", "issuing_hours": WeeklyHours.model_validate({"mon": ["08:00", "08:30"]})
        }),
        # `issuing_hours = {}` in TOML: no day at all
        config.services[0].model_copy(
            update={"code": "WAWANCARA", "issuing_hours": WeeklyHours()}
        ),
    ]
    assert hidden_at_kiosk(config.model_copy(update={"services": services})) == {"WAWANCARA"}


def test_a_service_without_issuing_days_is_reached_only_by_transfer(
    store: Store, clock: ManualClock
) -> None:
    interview_only = KIOSK_BRANCH.replace(
        'name_en = "JKM claim"\n', 'name_en = "JKM claim"\nissuing_hours = {}\n', 1
    )
    config = parse_branch_config(interview_only, "kiosk-branch.toml")
    apply_branch_config(store, config)
    hidden = hidden_at_kiosk(config)
    assert [s.code for s in run(store, branch_outlook, hidden).services] == ["JHT", "RESET"]
    with pytest.raises(IssuingClosed):  # and the engine agrees: no number at any kiosk
        run(store, issue_ticket, "JKM")


def test_the_model_passes_the_model_tester(
    qtmodeltester: ModelTester, kiosk_store: Store
) -> None:
    tr = Translator("id")
    model = ServiceOfferModel(tr)
    qtmodeltester.check(model)
    model.set_offer(run(kiosk_store, branch_outlook))
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    first = model.index(0)
    assert model.data(first) == "Klaim JHT"
    assert model.data(first, OfferRole.CODE) == "JHT"
    assert model.data(first, OfferRole.STATUS_TEXT).startswith("Tidak ada yang menunggu")
    tr.language = "en"
    model.language_changed()
    assert model.data(first) == "JHT claim"
    assert b"status_text" in model.roleNames().values()
    priority = ServiceOfferModel(tr, priority=True)
    priority.set_offer(run(kiosk_store, branch_outlook))
    qtmodeltester.check(priority)
    assert priority.rowCount() == 2  # RESET has no priority queue
