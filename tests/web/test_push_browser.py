"""Web Push in a real headless Chromium: the opt-in registers the service worker, subscribes
with the branch's key and hands the subscription to the server; a push delivered to that
service worker is shown as a notification and in the open page.

What cannot run on a machine without the internet: Chromium gets a real subscription only from
its vendor's push service (FCM), so `pushManager.subscribe` fails here. One test lets it fail
and checks what the visitor is told; the others replace that one call by a stand-in that
returns a subscription of the same shape, and everything around it is real. The push itself
is delivered to the registered service worker through the DevTools protocol
(`ServiceWorker.deliverPushMessage`), as the push service would deliver it after decrypting:
the payload the Web Push channel encrypts (shared/notifying/channels/webpush.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, CDPSession, Page, expect
from sqlalchemy import select

from shared.services.issuing import Admission, issue_ticket
from shared.store.database import Store
from shared.store.models import NotificationSubscription
from shared.store.unit_of_work import UnitOfWork
from tests.support.actions import run

WAIT_MS = 10_000
FAKE_SUBSCRIPTION = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/c3RhbmQtaW4tZm9yLWZjbQ",
    "expirationTime": None,
    "keys": {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQs4b2cyTzVqkMtK_5ovvXTw9mN0B"
                       "xfuYEv6wgRDyVWQPM",
             "auth": "tBHItJI5svbpez7KI4CCXg"},
}
# In place of the one call that needs FCM: notes the key it was given, and answers with a
# subscription shaped as Chromium's (its toJSON is what the page posts).
NO_PUSH_SERVICE = """
window.subscribedWith = null;
PushManager.prototype.subscribe = function (options) {
  window.subscribedWith = Array.from(new Uint8Array(options.applicationServerKey));
  var json = SUBSCRIPTION;
  return Promise.resolve({ endpoint: json.endpoint, toJSON: function () { return json; } });
};
""".replace("SUBSCRIPTION", json.dumps(FAKE_SUBSCRIPTION))

expect.set_options(timeout=WAIT_MS)


def phone_context(chromium: Browser, address: str, allow: bool) -> Any:
    """A visitor's phone (390×844); `allow`: the visitor accepts the notification prompt."""
    context = chromium.new_context(base_url=address, viewport={"width": 390, "height": 844},
                                   locale="id-ID")
    if allow:
        context.grant_permissions(["notifications"], origin=address)
    context.set_default_timeout(WAIT_MS)
    return context


@pytest.fixture
def phone(chromium: Browser, web_address: str) -> Iterator[Page]:
    context = phone_context(chromium, web_address, allow=True)
    yield context.new_page()
    context.close()  # before the server stops: the status page's event stream ends with it


def issued(store: Store) -> str:
    return run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token


def stored_push_subscriptions(store: Store) -> list[dict[str, Any]]:
    with UnitOfWork(store, "TST") as uow:
        return [json.loads(address) for address in uow.session.scalars(
            select(NotificationSubscription.address)
            .where(NotificationSubscription.channel == "webpush"))]


def watch_registrations(phone: Page) -> tuple[CDPSession, list[dict[str, Any]]]:
    """The browser's service worker registrations, as DevTools reports them."""
    devtools = phone.context.new_cdp_session(phone)
    seen: list[dict[str, Any]] = []
    devtools.on("ServiceWorker.workerRegistrationUpdated",
                lambda event: seen.extend(event["registrations"]))
    devtools.send("ServiceWorker.enable")
    return devtools, seen


def test_a_push_reaches_the_service_worker_and_the_visitor_sees_it(
    store: Store, public_key: str, phone: Page, web_address: str
) -> None:
    token = issued(store)
    phone.add_init_script(NO_PUSH_SERVICE)
    devtools, registrations = watch_registrations(phone)
    phone.goto(f"/t/{token}")
    button = phone.get_by_role("button", name="Nyalakan notifikasi di browser ini")
    expect(button).to_be_visible()  # shown by optin.js: this browser can take pushes
    button.click()
    expect(phone.locator("#push p")).to_have_text(
        "Notifikasi aktif. Anda akan dikabari di browser ini.")
    expect(button).to_be_hidden()

    # The page subscribed with the branch's key and the server keeps what the browser gave.
    padded = public_key + "=" * (-len(public_key) % 4)
    assert phone.evaluate("window.subscribedWith") == list(base64.urlsafe_b64decode(padded))
    assert stored_push_subscriptions(store) == [
        {"endpoint": FAKE_SUBSCRIPTION["endpoint"], "keys": FAKE_SUBSCRIPTION["keys"]}]
    # DevTools reports each step of a registration; one registration it is.
    [registration] = {r["registrationId"]: r for r in registrations
                      if not r["isDeleted"]}.values()
    assert registration["scopeURL"] == f"{web_address}/"

    # What the Web Push channel sends for a call, as the browser has it once decrypted.
    message = {"title": "Nomor A001 dipanggil", "text": "Nomor A001 dipanggil — silakan ke "
               "Loket 3.", "url": f"{web_address}/t/{token}"}
    devtools.send("ServiceWorker.deliverPushMessage", {
        "origin": f"{web_address}/", "registrationId": registration["registrationId"],
        "data": json.dumps(message, ensure_ascii=False)})
    pushed = phone.locator("#pushed")
    expect(pushed).to_be_visible()
    expect(pushed).to_have_text("Nomor A001 dipanggil Nomor A001 dipanggil — silakan ke Loket 3.")
    shown = phone.evaluate("""navigator.serviceWorker.ready
        .then(function (r) { return r.getNotifications(); })
        .then(function (all) { return all.map(function (n) {
            return {title: n.title, body: n.body, url: n.data.url}; }); })""")
    assert shown == [{"title": message["title"], "body": message["text"],
                      "url": message["url"]}]


def test_without_a_push_service_the_visitor_is_pointed_to_a_number(
    store: Store, public_key: str, phone: Page
) -> None:
    phone.goto(f"/t/{issued(store)}")
    button = phone.get_by_role("button", name="Nyalakan notifikasi di browser ini")
    button.click()  # the real pushManager.subscribe: no FCM on this machine, so it fails
    note = phone.locator("#push p")
    expect(note).to_have_text("Browser ini tidak dapat menerima notifikasi saat ini. Coba "
                              "lagi nanti, atau pakai nomor HP di bawah.")
    expect(note).to_have_class("warn")
    expect(button).to_be_enabled()  # try again later
    assert stored_push_subscriptions(store) == []


def test_a_visitor_who_blocks_notifications_is_told_how_to_allow_them(
    store: Store, public_key: str, chromium: Browser, web_address: str
) -> None:
    context = phone_context(chromium, web_address, allow=False)
    try:
        phone = context.new_page()
        phone.goto(f"/t/{issued(store)}?lang=en")
        phone.get_by_role("button", name="Turn on notifications in this browser").click()
        expect(phone.locator("#push p")).to_have_text(
            "Notifications are blocked in this browser. Allow them in its settings, or use a "
            "phone number below.")
    finally:
        context.close()
    assert stored_push_subscriptions(store) == []


def test_a_number_typed_wrong_then_right(store: Store, public_key: str, phone: Page) -> None:
    phone.goto(f"/t/{issued(store)}")
    phone.get_by_text("Atau lewat nomor HP").click()
    phone.get_by_label("Nomor HP").fill("0812 345")
    phone.get_by_role("button", name="Kirim kabar ke nomor ini").click()
    expect(phone.get_by_role("alert")).to_have_text(
        "Nomor HP tidak dikenali. Tulis nomor Indonesia seperti 0812 3456 7890, "
        "62 812 3456 7890 atau +62 812 3456 7890.")
    field = phone.get_by_label("Nomor HP")
    expect(field).to_have_value("0812 345")
    expect(field).to_have_attribute("aria-invalid", "true")
    field.fill("0812 3456 7890")
    phone.get_by_role("button", name="Kirim kabar ke nomor ini").click()
    expect(phone.locator("#optin [role=status]")).to_have_text("Kabar dikirim lewat SMS.")
    phone.get_by_role("link", name="Berhenti menerima kabar").click()
    phone.get_by_role("button", name="Ya, berhenti").click()
    expect(phone.locator(".card.ok")).to_contain_text("Kabar dihentikan")


def test_a_browser_without_push_gets_the_number_form_open(
    store: Store, public_key: str, phone: Page
) -> None:
    phone.add_init_script("delete window.PushManager;")  # as Safari in a plain tab
    phone.goto(f"/t/{issued(store)}")
    expect(phone.get_by_label("Nomor HP")).to_be_visible()  # not folded away
    expect(phone.get_by_role("button", name="Nyalakan notifikasi di browser ini")).to_be_hidden()
