"""The kiosk's optional "Kirim kabar ke HP?" after the print: a number typed on the digit pad
reaches the same opt-in as the phone page; one tap skips it; the print never waits for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from kiosk.flow import Screen
from shared.config import parse_branch_config
from shared.config.notifying import ChannelSettings, SmsGatewaySettings
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from shared.store.models import NotificationSubscription
from shared.store.unit_of_work import UnitOfWork
from tests.kiosk.conftest import KIOSK_BRANCH, Kiosk_, KioskFactory

Printed = Callable[[], list[bytes]]


@pytest.fixture
def sms_kiosk(kiosk_store: Store, make_kiosk: KioskFactory) -> Kiosk_:
    """A kiosk at a branch that sends SMS through a gateway."""
    config = parse_branch_config(KIOSK_BRANCH, "kiosk-branch.toml")
    sms = SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/messages")
    apply_branch_config(kiosk_store, config.model_copy(
        update={"channels": ChannelSettings(sms_gateway=sms)}))
    return make_kiosk()


def numbers(store: Store) -> list[tuple[int | None, str, str]]:
    with UnitOfWork(store, "TST") as uow:
        rows = uow.session.scalars(select(NotificationSubscription))
        return [(row.ticket_id, row.channel, row.address) for row in rows]


def type_number(kiosk: Kiosk_, digits: str) -> None:
    for digit in digits:
        kiosk.tap(kiosk.window.phone.keyboard.keys[digit])


def test_the_number_is_offered_after_the_print_and_reaches_the_opt_in(
    sms_kiosk: Kiosk_, printed: Printed
) -> None:
    kiosk, window = sms_kiosk, sms_kiosk.window
    kiosk.tap_service("JKM")
    assert kiosk.flow.screen is Screen.RESULT and len(printed()) == 1  # printed first
    assert window.result.phone_button.isVisible()
    assert window.result.phone_button.text() == "Kirim kabar ke HP?"
    kiosk.tap(window.result.phone_button)
    assert kiosk.flow.screen is Screen.PHONE
    assert not kiosk.flow.result_timer.isActive()  # the idle time takes over
    assert "Nomor Anda hanya disimpan selama kunjungan" in window.phone.consent.text()
    type_number(kiosk, "081234567890")
    assert window.phone.number.text() == "081234567890"
    kiosk.tap(window.phone.send_button)
    assert window.phone.message.text() == "Terima kasih. Kabar antrean akan dikirim lewat SMS."
    [ticket] = kiosk.tickets()
    assert numbers(kiosk.store) == [(ticket.id, "sms", "+6281234567890")]
    assert window.phone.number.text() == ""  # not left on a public screen
    assert not window.phone.keyboard.isVisible() and not window.phone.number.isVisible()
    assert window.phone.skip_button.text() == "Selesai"
    kiosk.tap(window.phone.skip_button)
    assert kiosk.flow.screen is Screen.HOME
    kiosk.tap_service("JKM")  # the next visitor gets the pad back
    kiosk.tap(window.result.phone_button)
    assert window.phone.keyboard.isVisible() and window.phone.send_button.text() == "Kirim"


def test_a_wrong_number_is_said_plainly_and_kept_for_correcting(sms_kiosk: Kiosk_) -> None:
    kiosk, phone = sms_kiosk, sms_kiosk.window.phone
    kiosk.tap_service("JKM")
    kiosk.tap(kiosk.window.result.phone_button)
    kiosk.tap(phone.send_button)
    assert phone.message.text() == "Ketik nomor HP dulu, atau tekan Lewati."
    type_number(kiosk, "0812")
    kiosk.tap(phone.send_button)
    assert phone.message.text() == "Nomor HP tidak dikenali. Contoh: 0812 3456 7890."
    assert phone.number.text() == "0812" and numbers(kiosk.store) == []
    kiosk.tap(kiosk.window.language)
    assert phone.message.text() == ("This mobile number is not recognised. "
                                    "For example 0812 3456 7890.")
    assert phone.skip_button.text() == "Skip"


def test_one_tap_skips_it(sms_kiosk: Kiosk_, printed: Printed) -> None:
    kiosk = sms_kiosk
    kiosk.tap_service("JKM")
    kiosk.tap(kiosk.window.result.phone_button)
    kiosk.tap(kiosk.window.phone.skip_button)
    assert kiosk.flow.screen is Screen.HOME
    assert numbers(kiosk.store) == [] and len(printed()) == 1


def test_a_visitor_who_walks_away_from_it_is_sent_home(
    kiosk_store: Store, make_kiosk: KioskFactory
) -> None:
    config = parse_branch_config(KIOSK_BRANCH, "kiosk-branch.toml")
    sms = SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/messages")
    apply_branch_config(kiosk_store, config.model_copy(
        update={"channels": ChannelSettings(sms_gateway=sms)}))
    kiosk = make_kiosk(idle_ms=50)
    kiosk.tap_service("JKM")
    kiosk.tap(kiosk.window.result.phone_button)
    type_number(kiosk, "0812")
    kiosk.qtbot.waitUntil(lambda: kiosk.flow.screen is Screen.HOME, timeout=5000)
    assert numbers(kiosk.store) == []


def test_without_a_way_to_a_number_it_is_not_offered(kiosk: Kiosk_) -> None:
    kiosk.tap_service("JKM")
    assert kiosk.flow.screen is Screen.RESULT
    assert not kiosk.window.result.phone_button.isVisible()
