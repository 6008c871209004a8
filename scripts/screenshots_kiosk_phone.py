"""Render the kiosk's optional number step into docs/screenshots/kiosk-<screen>-1080x1920.png.

    .venv/bin/python -m scripts.screenshots_kiosk_phone

The demo morning of scripts/screenshots_kiosk.py, with SMS through an HTTP gateway switched on,
on the portrait kiosk (offscreen Qt):

- result-messages: the printed ticket, with "Kirim kabar ke HP?" under it
- phone:           the number typed on the digit pad, the consent beneath
- phone-refused:   a number too short: what is wrong, the number kept
- phone-saved:     the number kept; only "Selesai" is left
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.booking import NoBookingDesk
from kiosk.desk import TicketDesk
from kiosk.flow import KioskFlow
from kiosk.look import SIZES, look_for
from kiosk.offer_model import ServiceOfferModel
from kiosk.settings import KioskOptions, read_kiosk_settings
from kiosk.window import KioskWindow
from scripts.screenshots_kiosk import BRANCH, BRANCH_TOML, MONDAY, OUT, ROOT, demo_morning
from shared.clock import ManualClock
from shared.config import parse_branch_config
from shared.config.notifying import ChannelSettings, SmsGatewaySettings
from shared.i18n import Translator
from shared.printing.printers import VirtualPrinter
from shared.qt.operations import ImmediateRunner
from shared.services.runner import attempt
from shared.services.setup import apply_branch_config
from shared.store.database import create_store_engine, open_store
from shared.store.schema import upgrade_database


def render(folder: Path) -> list[Path]:
    clock = ManualClock(MONDAY)
    url = f"sqlite:///{folder / 'kiosk-phone.db'}"
    upgrade_database(create_store_engine(url))
    store = open_store(url, clock=clock)
    config = parse_branch_config(BRANCH_TOML, "demo-branch.toml")
    sms = SmsGatewaySettings(enabled=True, url="http://127.0.0.1:9/sms")
    apply_branch_config(store, config.model_copy(
        update={"channels": ChannelSettings(sms_gateway=sms)}))
    demo_morning(store, clock)
    settings = attempt(store, BRANCH, lambda uow: read_kiosk_settings(
        uow, KioskOptions("lobi-1", hidden_services=frozenset({"WAWANCARA"}))))
    tr = Translator("id")
    desk = TicketDesk(store, settings, VirtualPrinter(folder / "tickets", 80), NoBookingDesk())
    flow = KioskFlow(desk, ImmediateRunner(), settings, tr)
    width, height = SIZES["portrait"]
    window = KioskWindow(flow, ServiceOfferModel(tr), look_for("portrait", width, height),
                         wall_clock=clock.now)
    window.setFixedSize(width, height)
    window.show()
    flow.start()
    saved: list[Path] = []

    def shot(name: str) -> None:
        window.show_time()
        QApplication.processEvents()
        path = OUT / f"kiosk-{name}-{width}x{height}.png"
        window.grab().save(str(path))
        saved.append(path)

    def type_number(digits: str) -> None:
        for digit in digits:
            window.phone.keyboard.keys[digit].click()

    flow.choose_service("JKM")
    flow.take_ticket()
    shot("result-messages")
    window.result.phone_button.click()
    type_number("0812")
    window.phone.send_button.click()
    shot("phone-refused")
    type_number("34567890")
    window.phone.message.hide()
    shot("phone")
    window.phone.send_button.click()
    shot("phone-saved")
    flow.stop()
    window.close()
    store.dispose()
    return saved


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as folder:
        for path in render(Path(folder)):
            print(path.relative_to(ROOT))
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
