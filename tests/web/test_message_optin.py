"""The opt-in to messages on the phone pages, through HTTP: the block, the VAPID key, a Web Push
subscription posted as the browser gives it, a mobile number by the plain form, stopping, a
booking's reminders, and what is refused. (The browser side: test_push_browser.py.)"""

from __future__ import annotations

import gzip
import json
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from shared.config.notifying import WebPushSettings
from shared.notifying.channels.vapid_keys import generate_vapid_key_pair
from shared.services import calling, counters, serving
from shared.services.bookings import book
from shared.services.issuing import Admission, issue_ticket
from shared.services.setup import apply_branch_config
from shared.store.database import Store
from shared.store.models import NotificationSubscription, OutboxMessage
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import MONDAY_0800
from tests.web.conftest import messaging_branch
from web.context import OPTINS_PER_HOUR

E164 = "+6281234567890"
NIK = "3604011203850001"
# A subscription as PushSubscription.toJSON() gives it: endpoint and the browser's keys.
PUSH = {"endpoint": "https://fcm.googleapis.com/fcm/send/dXNlcjEyMzQ1Njc4OTA",
        "expirationTime": None,
        "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQs4b2cyTzVqkMtK_5ovvXTw"
                           "9mN0BxfuYEv6wgRDyVWQPM",
                 "auth": "tBHItJI5svbpez7KI4CCXg"}}
PAGE_BUDGET_BYTES = 12_000  # the status page with the opt-in, before compression


def issued(store: Store) -> str:
    return run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token


def subscriptions(store: Store) -> list[tuple[str, str, str | None]]:
    """(channel, address, purged?) of every subscription, read as the owner may."""
    with UnitOfWork(store, "TST") as uow:
        rows = uow.session.scalars(select(NotificationSubscription)
                                   .order_by(NotificationSubscription.id))
        return [(r.channel, r.address, "purged" if r.purged_at else None) for r in rows]


def test_the_status_page_offers_push_and_a_number_with_plain_consent(
    client: TestClient, store: Store, public_key: str
) -> None:
    token = issued(store)
    page = client.get(f"/t/{token}")
    html = page.text
    assert page.status_code == 200 and 'id="optin"' in html
    assert "Kabari saya di HP" in html
    assert "Kami akan mengirim pesan tentang antrean ini saja" in html  # message.consent
    assert "Nomor Anda hanya disimpan selama kunjungan" in html  # message.consent_phone
    # The push button waits hidden for optin.js, which shows it where the browser can push.
    assert re.search(r'<div id="push" hidden data-key="/api/push/key\?lang=id" '
                     rf'data-subscribe="/api/tickets/{token}/push\?lang=id"', html)
    assert f'action="/t/{token}/messages?lang=id"' in html
    assert '<input type="hidden" name="channel" value="sms">' in html  # the only number way
    assert '<script src="/static/optin.js" defer></script>' in html
    english = client.get(f"/t/{token}?lang=en").text
    assert "Tell me on my phone" in english and "We will send messages about this queue" in english
    assert "Your number is kept only while this visit or booking lasts" in english


def test_the_page_stays_light(client: TestClient, store: Store, public_key: str) -> None:
    html = client.get(f"/t/{issued(store)}").content
    script = client.get("/static/optin.js").content
    worker = client.get("/sw.js").content
    assert len(html) < PAGE_BUDGET_BYTES and len(gzip.compress(html)) < 4_000
    assert len(script) < 3_000 and len(worker) < 2_000


def test_the_key_is_the_branch_vapid_public_key(
    client: TestClient, store: Store, public_key: str
) -> None:
    answer = client.get("/api/push/key")
    assert answer.status_code == 200 and answer.json() == {"public_key": public_key}
    # 65 bytes: an uncompressed P-256 point, as pushManager.subscribe wants it.
    assert len(public_key) == 87 and re.fullmatch(r"[A-Za-z0-9_-]+", public_key)


def test_without_web_push_there_is_no_key_and_no_push_button(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    config = messaging_branch(tmp_path / "none.pem")
    channels = config.channels.model_copy(update={"web_push": WebPushSettings()})
    apply_branch_config(store, config.model_copy(update={"channels": channels}))
    answer = client.get("/api/push/key")
    assert answer.status_code == 404 and answer.json()["error"] == "disabled"
    html = client.get(f"/t/{issued(store)}").text
    assert 'id="push"' not in html and 'name="number"' in html
    assert "<details open>" in html  # the number is the only way: not folded away


def test_a_branch_without_channels_shows_no_opt_in(client: TestClient, store: Store) -> None:
    html = client.get(f"/t/{issued(store)}").text
    assert 'id="optin"' not in html and "optin.js" not in html


def test_the_browser_subscription_is_stored_for_the_ticket(
    client: TestClient, store: Store, public_key: str
) -> None:
    token = issued(store)
    answer = client.post(f"/api/tickets/{token}/push?lang=en", content=json.dumps(PUSH),
                         headers={"content-type": "application/json"})
    assert answer.status_code == 201 and answer.json()["channel"] == "webpush"
    [(channel, address, purged)] = subscriptions(store)
    assert channel == "webpush" and purged is None
    assert json.loads(address) == {"endpoint": PUSH["endpoint"], "keys": PUSH["keys"]}
    html = client.get(f"/t/{token}").text
    assert "Kabar dikirim lewat notifikasi browser." in html
    assert 'id="push"' not in html  # switched on already
    assert f'href="/t/{token}/messages/stop?lang=id"' in html


@pytest.mark.parametrize("body", [
    "{}", "not json", json.dumps({"endpoint": "ftp://push.example/x", "keys": PUSH["keys"]}),
    json.dumps({"endpoint": PUSH["endpoint"], "keys": {"p256dh": "short"}}),
])
def test_a_broken_browser_subscription_is_refused(
    client: TestClient, store: Store, public_key: str, body: str
) -> None:
    answer = client.post(f"/api/tickets/{issued(store)}/push", content=body)
    assert answer.status_code == 400 and answer.json()["error"] == "notify_bad_push"
    assert subscriptions(store) == []


def test_a_push_for_an_unknown_ticket_is_not_found(
    client: TestClient, store: Store, public_key: str
) -> None:
    answer = client.post("/api/tickets/nosuchtoken/push", content=json.dumps(PUSH))
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"


@pytest.mark.parametrize("typed", ["0856 7711 2233", "0856-7711-2233", "+62 856 7711 2233",
                                   "6285677112233", "+6285677112233", " (0856) 7711.2233 "])
def test_an_indonesian_number_in_any_common_form_is_kept_in_e164(
    client: TestClient, store: Store, public_key: str, typed: str
) -> None:
    token = issued(store)
    answer = client.post(f"/t/{token}/messages", data={"number": typed, "channel": "sms"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/t/{token}?lang=id#optin"
    assert subscriptions(store) == [("sms", "+6285677112233", None)]
    html = client.get(f"/t/{token}").text
    assert "Kabar dikirim lewat SMS." in html
    assert "7711" not in html  # the number is never shown back


@pytest.mark.parametrize("typed", ["", "12345", "0812", "abc", "0812 3456 7890 1234 5678",
                                   "021 555 1234x", "08１２３４５６７８９０"])
def test_a_bad_number_is_refused_plainly_in_both_languages(
    client: TestClient, store: Store, public_key: str, typed: str
) -> None:
    token = issued(store)
    answer = client.post(f"/t/{token}/messages", data={"number": typed, "channel": "sms"})
    assert answer.status_code == 400
    assert ("Nomor HP tidak dikenali. Tulis nomor Indonesia seperti 0812 3456 7890"
            in answer.text)
    assert 'aria-invalid="true" aria-describedby="number-error"' in answer.text
    assert "<details open>" in answer.text
    english = client.post(f"/t/{token}/messages?lang=en", data={"number": typed,
                                                                "channel": "sms"})
    assert english.status_code == 400
    assert "This mobile number is not recognised. Write an Indonesian number" in english.text
    assert subscriptions(store) == []


def test_the_typed_number_is_shown_again_with_its_error(
    client: TestClient, store: Store, public_key: str
) -> None:
    answer = client.post(f"/t/{issued(store)}/messages", data={"number": "0812 34",
                                                                "channel": "sms"})
    assert 'value="0812 34"' in answer.text


def test_a_channel_the_branch_has_not_set_up_is_refused(
    client: TestClient, store: Store, public_key: str
) -> None:
    answer = client.post(f"/t/{issued(store)}/messages",
                         data={"number": "081234567890", "channel": "whatsapp"})
    assert answer.status_code == 403 and subscriptions(store) == []


def test_whatsapp_and_sms_are_offered_side_by_side(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    generate_vapid_key_pair(tmp_path / "vapid.pem")
    apply_branch_config(store, messaging_branch(tmp_path / "vapid.pem", whatsapp=True))
    token = issued(store)
    html = client.get(f"/t/{token}").text
    assert '<input type="radio" name="channel" value="sms" checked> SMS' in html
    assert '<input type="radio" name="channel" value="whatsapp"> WhatsApp' in html
    client.post(f"/t/{token}/messages", data={"number": "081234567890", "channel": "whatsapp"})
    assert subscriptions(store) == [("whatsapp", E164, None)]


def test_stopping_erases_the_number_at_once(
    client: TestClient, store: Store, public_key: str
) -> None:
    token = issued(store)
    client.post(f"/t/{token}/messages", data={"number": "081234567890", "channel": "sms"})
    client.post(f"/api/tickets/{token}/push", content=json.dumps(PUSH))
    confirm = client.get(f"/t/{token}/messages/stop")
    assert confirm.status_code == 200 and "Berhenti menerima kabar?" in confirm.text
    assert "Tidak ada lagi pesan tentang nomor antrean A001" in confirm.text
    assert len(subscriptions(store)) == 2  # looking is not stopping
    stopped = client.post(f"/t/{token}/messages/stop")
    assert stopped.status_code == 200 and "Kabar dihentikan" in stopped.text
    assert subscriptions(store) == [("sms", "", "purged"), ("webpush", "", "purged")]
    html = client.get(f"/t/{token}").text
    assert "Kabar dikirim lewat" not in html and 'name="number"' in html
    assert "Tidak ada kabar yang sedang aktif" in client.get(f"/t/{token}/messages/stop").text


def test_a_visit_that_is_over_offers_nothing(
    client: TestClient, store: Store, staff: Staff, public_key: str
) -> None:
    token = issued(store)
    run(store, counters.open_counter, 1, staff.ani)
    run(store, calling.call_next, 1, staff.ani)
    assert 'id="optin"' in client.get(f"/t/{token}").text  # called: still worth a message
    run(store, serving.start, 1, staff.ani)
    run(store, serving.finish, 1, staff.ani)
    assert 'id="optin"' not in client.get(f"/t/{token}").text
    late = client.post(f"/t/{token}/messages", data={"number": "081234567890",
                                                      "channel": "sms"})
    assert late.status_code == 409 and subscriptions(store) == []


def test_a_booking_gets_its_reminders_by_number_and_can_stop_them(
    client: TestClient, store: Store, public_key: str
) -> None:
    tuesday = (MONDAY_0800 + timedelta(days=1)).date()
    start = MONDAY_0800.replace(hour=9) + timedelta(days=1)
    made = run(store, book, "JHT", tuesday, start, NIK, "081299998888")
    page = client.get(f"/b/{made.code}").text
    assert "Kami ingatkan reservasi ini malam sebelumnya" in page
    assert f'action="/b/{made.code}/messages?lang=id"' in page
    answer = client.post(f"/b/{made.code}/messages", data={"number": "0812 3456 7890",
                                                             "channel": "sms"})
    assert answer.status_code == 303 and subscriptions(store) == [("sms", E164, None)]
    with UnitOfWork(store, "TST") as uow:
        kinds = sorted(uow.session.scalars(select(OutboxMessage.kind)))
    assert kinds == ["reminder_evening", "reminder_hour"]
    assert "Kabar dikirim lewat SMS." in client.get(f"/b/{made.code}").text
    confirm = client.get(f"/b/{made.code}/messages/stop").text
    assert "Tidak ada lagi pesan tentang reservasi" in confirm
    client.post(f"/b/{made.code}/messages/stop")
    assert subscriptions(store) == [("sms", "", "purged")]
    bad = client.post(f"/b/{made.code}/messages?lang=en", data={"number": "12",
                                                                 "channel": "sms"})
    assert bad.status_code == 400 and "This mobile number is not recognised" in bad.text


def test_opt_ins_are_limited_per_visitor(
    client: TestClient, store: Store, public_key: str
) -> None:
    token = issued(store)
    for _ in range(OPTINS_PER_HOUR):
        client.post(f"/t/{token}/messages", data={"number": "12", "channel": "sms"})
    answer = client.post(f"/t/{token}/messages", data={"number": "081234567890",
                                                        "channel": "sms"})
    assert answer.status_code == 429 and subscriptions(store) == []


def test_the_number_never_reaches_the_log(
    client: TestClient, store: Store, public_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    token = issued(store)
    with caplog.at_level(logging.DEBUG):
        client.post(f"/t/{token}/messages", data={"number": "0856 7711 2233",
                                                  "channel": "sms"})
        client.post(f"/t/{token}/messages", data={"number": "0856 77",
                                                  "channel": "sms"})
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("web"))
    assert "POST /t/{token}/messages 303" in logged and "POST /t/{token}/messages 400" in logged
    assert "7711" not in logged and token not in logged


def test_the_service_worker_is_served_from_the_root(client: TestClient) -> None:
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    assert 'addEventListener("push"' in answer.text
    assert 'addEventListener("notificationclick"' in answer.text
    assert 'addEventListener("fetch"' not in answer.text  # pages load as without it
