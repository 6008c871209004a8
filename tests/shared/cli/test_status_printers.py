"""`antrean status` lists the kiosks whose printer needs a hand, and only those."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console

from shared.cli.status import render
from shared.services.snapshot import KioskLine, Snapshot

AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def printed(kiosks: tuple[KioskLine, ...]) -> str:
    console = Console(width=200, record=True)
    console.print(render(Snapshot(AT, "TST", "Test", "Asia/Jakarta", (), (), kiosks)))
    return console.export_text()


def test_only_printers_that_need_a_hand_are_listed() -> None:
    text = printed(
        (
            KioskLine("USB kiosk", "unchecked", "", True, AT),
            KioskLine("Ready kiosk", "ready", "", True, AT),
            KioskLine("Dead kiosk", "refused", "printer 10.0.0.9:9100: Connection refused",
                      False, AT),
        )
    )
    assert (
        "Kiosk Dead kiosk: printer menolak sambungan (refused) "
        "printer 10.0.0.9:9100: Connection refused"
    ) in text  # the state in the officers' language, its code for the log
    assert "USB kiosk" not in text and "Ready kiosk" not in text
