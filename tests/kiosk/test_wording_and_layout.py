"""The kiosk's words (no midnight openings, no English "Check-in", a caption that is not a
button) and the service tiles fitting the screen at the kiosk's real sizes."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk import wording
from kiosk.look import GREEN, SIZES, Orientation, look_for
from kiosk.offer_model import OfferRole
from kiosk.screens.home import HomeScreen
from kiosk.screens.parts import KioskScreen
from kiosk.screens.priority import PriorityScreen
from shared.i18n import Translator
from tests.kiosk.conftest import Kiosk_

JAKARTA = ZoneInfo("Asia/Jakarta")
CATALOG = Path(__file__).resolve().parents[2] / "assets" / "translations" / "kiosk.toml"
NOW = datetime(2026, 11, 23, 22, 30, tzinfo=JAKARTA)  # a Monday evening


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (datetime(2026, 11, 24, 8, 0, tzinfo=JAKARTA), "besok pukul 08:00"),
        # Open round the clock (the demo): the next "opening" is a new day, not a time.
        (datetime(2026, 11, 24, 0, 0, tzinfo=JAKARTA), "besok"),
        (datetime(2026, 11, 30, 0, 0, tzinfo=JAKARTA), "Senin, 30 November"),
        (datetime(2026, 11, 30, 8, 0, tzinfo=JAKARTA), "Senin, 30 November pukul 08:00"),
    ],
)
def test_the_next_opening_in_words(at: datetime, expected: str) -> None:
    assert wording.moment_text(Translator("id"), at, NOW) == expected


def test_no_english_check_in_on_the_indonesian_kiosk() -> None:
    entries = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    texts = [
        entry["id"]
        for group in entries["kiosk"].values()
        for entry in (group.values() if "id" not in group else [group])
        if isinstance(entry, dict) and "id" in entry
    ]
    assert len(texts) > 50  # the walk reached the catalog's entries
    assert [t for t in texts if "check-in" in t.lower() or "check in" in t.lower()] == []


def test_take_your_ticket_is_a_caption_not_a_button(kiosk: Kiosk_) -> None:
    kiosk.tap_service("JKM")
    instruction = kiosk.window.result.instruction
    assert instruction.text() == "Tiket Anda keluar dari celah printer di bawah layar ini."
    css = instruction.styleSheet()
    assert "background: transparent" in css and f"color: {GREEN}" in css
    assert "border-radius" not in css and "▼" not in instruction.text()


def _offer_model(count: int) -> QStandardItemModel:
    """Services as the offer model gives them; long names and two-line reasons, the worst."""
    model = QStandardItemModel()
    for row in range(count):
        item = QStandardItem("Klaim Kecelakaan Kerja (JKK) dan Pensiun (JP)")
        prefix = chr(ord("A") + row)
        item.setData(prefix, OfferRole.CODE)
        item.setData(prefix, OfferRole.PREFIX)
        item.setData(row % 2 == 0, OfferRole.AVAILABLE)
        item.setData("Kuota hari ini sudah habis. Dapat diambil lagi besok pukul 08:00",
                     OfferRole.STATUS_TEXT)
        model.appendRow(item)
    return model


def _inside(outer: QRect, inner: QRect) -> bool:
    return outer.contains(inner.topLeft()) and outer.contains(inner.bottomRight())


@pytest.mark.parametrize("count", [5, 6])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("which", ["priority", "home"])
def test_every_tile_is_whole_at_real_size(
    qtbot: QtBot, orientation: Orientation, count: int, which: str
) -> None:
    width, height = SIZES[orientation]
    look = look_for(orientation, width, height)
    model = _offer_model(count)
    tr = Translator("id")
    screen: KioskScreen
    if which == "priority":
        screen = PriorityScreen(model, look, tr)
        below = screen.back_button
    else:
        screen = HomeScreen(model, look, tr)
        below = screen.priority
    # As the window holds it: under the header, in a stack, in a window of the screen's size.
    # (A screen sized on its own grows past its layout's minimum and hides the fault.)
    window = QWidget()
    column = QVBoxLayout(window)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    header = QLabel()
    header.setFixedHeight(look.px(130))
    stack = QStackedWidget()
    stack.addWidget(screen)
    column.addWidget(header)
    column.addWidget(stack, 1)
    qtbot.addWidget(window)
    window.setFixedSize(width, height)
    window.show()
    qtbot.waitExposed(window)
    area = screen.rect()
    bottom_edge = below.mapTo(screen, QPoint(0, 0)).y()
    grid = screen.grid
    assert len(grid.buttons) == count
    for button in grid.buttons:
        box = QRect(button.mapTo(screen, QPoint(0, 0)), button.size())
        assert _inside(area, box), (button.code, box, area)
        assert box.bottom() < bottom_edge, (button.code, box, bottom_edge)
        # Inside the grid too: a grid squeezed below its tiles' height clips the last row.
        assert _inside(grid.rect(), button.geometry()), (button.code, button.geometry())
        # Its texts fit in it too: nothing drawn past the card's rounded edge.
        for label in (button.name, button.status, button.prefix):
            assert _inside(button.rect(), QRect(label.mapTo(button, QPoint(0, 0)), label.size()))
    assert below.isVisible() and _inside(
        area, QRect(below.mapTo(screen, QPoint(0, 0)), below.size())
    )


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_the_touch_keyboard_fits_across_the_screen(
    make_kiosk: Callable[..., Kiosk_], orientation: Orientation
) -> None:
    kiosk = make_kiosk(orientation=orientation)
    kiosk.flow.go_check_in("")
    screen = kiosk.window.check_in
    kiosk.qtbot.waitUntil(screen.isVisible)
    # The tests' kiosk is half size: a window that needs more grows rather than cuts here.
    width = SIZES[orientation][0] // 2
    assert kiosk.window.minimumSizeHint().width() <= width
    assert kiosk.window.width() == width
    for key in screen.keyboard.keys.values():
        if key.isVisible():
            # Against the window: a screen wider than the window is cut with its keys.
            window = kiosk.window
            box = QRect(key.mapTo(window, QPoint(0, 0)), key.size())
            assert _inside(window.rect(), box), (key.text(), box, window.rect())
