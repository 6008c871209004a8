"""Every kiosk screen read by a screen reader: the window and each control have a name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.flow import Screen
from kiosk.look import Orientation
from shared.printing.printers import VirtualPrinter
from tests.kiosk.conftest import Kiosk_, KioskFactory
from tests.support.accessibility import Found, controls, unnamed


def _screens(kiosk: Kiosk_, png: bytes) -> list[tuple[str, Callable[[], None]]]:
    flow, window = kiosk.flow, kiosk.window

    def offer() -> None:
        window.message.show_reservation_offer(lambda tr: "Penuh", lambda tr: "Ambil jadwal")
        flow.show(Screen.MESSAGE)

    def refusal() -> None:
        flow.refused.emit(lambda tr: "Tutup")
        flow.show(Screen.MESSAGE)

    def booked() -> None:
        window.message.show_reservation(lambda tr: "Kode jadwal ABC", png)
        flow.show(Screen.MESSAGE)

    return [
        ("home", flow.go_home),
        ("priority", flow.go_priority),
        ("documents", lambda: kiosk.tap_service("JHT")),
        ("result with the ticket's picture", lambda: kiosk.tap_service("JKM")),
        ("busy", lambda: flow.show(Screen.BUSY)),
        ("refusal", refusal),
        ("reservation offer", offer),
        ("reservation booked", booked),
        ("check-in", lambda: flow.go_check_in("")),
        ("pin", lambda: flow.show(Screen.PIN)),
        ("maintenance", lambda: flow.show(Screen.MAINTENANCE)),
    ]


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_screen_names_every_control(
    make_kiosk: KioskFactory, tmp_path: Path, orientation: Orientation, language: str
) -> None:
    kiosk = make_kiosk(printer=VirtualPrinter(tmp_path / "tickets", 80), orientation=orientation)
    if language != "id":
        kiosk.tap(kiosk.window.language)
    kiosk.tap_service("JKM")  # a slip's picture for the booking screen
    png = next((tmp_path / "tickets").glob("*.png")).read_bytes()
    missing: dict[str, list[Found]] = {}
    walked: dict[str, int] = {}
    for name, show in _screens(kiosk, png):
        kiosk.flow.busy = False
        if name not in ("result with the ticket's picture",):
            kiosk.flow.go_home()
        if language != "id" and kiosk.flow.tr_.language == "id":
            kiosk.flow.set_language("en")
        show()
        found = controls(kiosk.window)
        walked[name] = len(found)
        if gaps := unnamed(kiosk.window):
            missing[name] = gaps
    assert missing == {}
    # The walk reached the controls that were unnamed before: fields, picture, window.
    assert all(count > 1 for count in walked.values()), walked


def test_the_walk_finds_the_fields_and_the_picture_by_their_names(
    make_kiosk: KioskFactory, tmp_path: Path
) -> None:
    kiosk = make_kiosk(printer=VirtualPrinter(tmp_path / "tickets", 80))
    [window] = controls(kiosk.window)[:1]
    assert window.name == f"Anjungan antrean {kiosk.settings.branch_name}"
    kiosk.flow.go_check_in("")
    assert any(f.role == "EditableText" and f.name == "Kode booking"
               for f in controls(kiosk.window))
    kiosk.flow.show(Screen.PIN)
    assert any(f.role == "EditableText" and f.name == "PIN" for f in controls(kiosk.window))
    kiosk.flow.go_home()
    kiosk.tap_service("JKM")
    assert any(f.role == "Graphic" and f.name == "Gambar tiket B001"
               for f in controls(kiosk.window))


def test_an_unnamed_field_is_caught(make_kiosk: KioskFactory) -> None:
    """The walk can fail: a field without its name is reported."""
    kiosk = make_kiosk()
    kiosk.flow.go_check_in("")
    kiosk.window.check_in.code.setAccessibleName("")
    gaps = unnamed(kiosk.window)
    assert [found.role for found in gaps] == ["EditableText"]
