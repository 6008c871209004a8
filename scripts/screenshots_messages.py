"""Render the opt-in to messages and the survey into docs/screenshots/web-<page>-390x844.png.

    .venv/bin/python -m scripts.screenshots_messages

The demo Monday morning of scripts/screenshots_web.py, with the branch's channels switched on
(Web Push with a throw-away VAPID key, SMS through an HTTP gateway, WhatsApp), photographed by
Debian's headless Chromium at a common phone's size (390×844 CSS pixels, drawn at 2×):

- optin:            a waiting ticket's page with the opt-in (notifications, or a number)
- optin-number-error: a number typed wrong: the refusal in plain words, the number kept
- optin-english:    the same page in English
- push-received:    notifications switched on, then a push delivered to the service worker
                    (through DevTools: this machine has no push service) shown in the page
- survey-nine:      a finished visit's survey: the nine elements of Permenpan RB 14/2017
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from scripts.screenshots_web import OUT, ROOT, Morning
from shared.config.notifying import (
    ChannelSettings,
    SmsGatewaySettings,
    WebPushSettings,
    WhatsAppSettings,
)
from shared.notifying.channels.vapid_keys import generate_vapid_key_pair
from shared.reporting.pdf import find_chromium
from shared.services.setup import apply_branch_config
from tests.support.browser import launch_chromium
from tests.support.web_server import serve
from web.app import create_app

WIDTH, HEIGHT = 390, 844
# pushManager.subscribe needs the browser vendor's push service; this stands in for that one
# call with a subscription of the same shape (see tests/web/test_push_browser.py).
NO_PUSH_SERVICE = """
PushManager.prototype.subscribe = function () {
  var json = {endpoint: "https://fcm.googleapis.com/fcm/send/ZGVtbw",
              keys: {p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQs4b2cyTzVqkMtK_5ovvXTw" +
                             "9mN0BxfuYEv6wgRDyVWQPM",
                     auth: "tBHItJI5svbpez7KI4CCXg"}};
  return Promise.resolve({endpoint: json.endpoint, toJSON: function () { return json; }});
};
"""


def shoot(page: Page, name: str, full: bool = True) -> Path:
    path = OUT / f"web-{name}-{WIDTH}x{HEIGHT}.png"
    page.mouse.move(0, 0)
    page.screenshot(path=str(path), full_page=full)
    return path


def switch_channels_on(morning: Morning, key_file: Path) -> None:
    generate_vapid_key_pair(key_file)
    channels = ChannelSettings(
        web_push=WebPushSettings(enabled=True, private_key_file=str(key_file),
                                 subject="mailto:layanan@example.go.id"),
        sms_gateway=SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/sms"),
        whatsapp=WhatsAppSettings(enabled=True, phone_number_id="106540352242922"),
    )
    morning.config = morning.config.model_copy(update={"channels": channels})
    apply_branch_config(morning.store, morning.config)


def photograph(page: Page, morning: Morning, address: str) -> list[Path]:
    saved = []
    mine = morning.last_jht
    assert mine is not None
    page.goto(f"/t/{mine.token}")
    expect(page.get_by_role("button", name="Nyalakan notifikasi di browser ini")).to_be_visible()
    page.get_by_text("Atau lewat nomor HP").click()
    saved.append(shoot(page, "optin"))
    page.get_by_label("Nomor HP").fill("0812 345")
    page.get_by_role("button", name="Kirim kabar ke nomor ini").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.locator("#optin").scroll_into_view_if_needed()
    saved.append(shoot(page, "optin-number-error"))
    page.goto(f"/t/{mine.token}?lang=en")
    page.get_by_text("Or by phone number").click()
    saved.append(shoot(page, "optin-english"))

    devtools = page.context.new_cdp_session(page)
    registrations: list[dict[str, object]] = []
    devtools.on("ServiceWorker.workerRegistrationUpdated",
                lambda event: registrations.extend(event["registrations"]))
    devtools.send("ServiceWorker.enable")
    page.goto(f"/t/{mine.token}")
    page.get_by_role("button", name="Nyalakan notifikasi di browser ini").click()
    expect(page.locator("#push p")).to_have_text(
        "Notifikasi aktif. Anda akan dikabari di browser ini.")
    live = [r for r in registrations if not r["isDeleted"]]
    # The message the notify worker would send now: the page's own figures.
    shown = page.locator("#live").inner_text()
    ahead = re.search(r"(\d+) orang di depan", shown)
    window = re.search(r"\d\d:\d\d–\d\d:\d\d", shown)
    assert ahead is not None and window is not None, shown
    message = {"title": f"Giliran {mine.label} hampir tiba",
               "text": f"Nomor {mine.label}: tinggal {ahead.group(1)} orang di depan Anda. "
                       f"Perkiraan dipanggil {window.group(0)}. Silakan kembali ke ruang tunggu.",
               "url": f"{address}/t/{mine.token}"}
    devtools.send("ServiceWorker.deliverPushMessage", {
        "origin": f"{address}/", "registrationId": live[-1]["registrationId"],
        "data": json.dumps(message, ensure_ascii=False)})
    expect(page.locator("#pushed")).to_be_visible()
    saved.append(shoot(page, "push-received", full=False))

    done = morning.finished[0]
    page.goto(f"/t/{done.token}/survey")
    for key, rating in (("requirements", 4), ("procedure", 3), ("speed", 2), ("cost", 4),
                        ("product", 3), ("competence", 4), ("conduct", 4)):
        page.locator(f"input[name='{key}'][value='{rating}']").check()
    saved.append(shoot(page, "survey-nine"))
    return saved


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="web-shots-") as folder:
        morning = Morning(Path(folder))
        morning.run()
        switch_channels_on(morning, Path(folder) / "vapid.pem")
        app = create_app(morning.store, morning.config)
        with serve(app) as address, sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium)
            context = browser.new_context(
                base_url=address, viewport={"width": WIDTH, "height": HEIGHT},
                device_scale_factor=2, locale="id-ID",
            )
            context.grant_permissions(["notifications"], origin=address)
            context.add_init_script(NO_PUSH_SERVICE)
            context.set_default_timeout(10_000)
            try:
                saved = photograph(context.new_page(), morning, address)
            finally:
                context.close()
                browser.close()
        morning.store.dispose()
    for path in saved:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
