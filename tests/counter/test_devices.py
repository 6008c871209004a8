"""The counter app with its serial devices: keypad keys act, the LED display follows, and a
missing device shows a banner while the officer works on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial
from pytestqt.qtbot import QtBot

from counter.devices import CounterDevices
from shared.devices.settings import KeypadSettings, LedDisplaySettings
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from tests.counter.conftest import Terminal
from tests.support.actions import run
from tests.support.fake_printer_process import SocatPtyPair

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def display_pair() -> Iterator[SocatPtyPair]:
    with SocatPtyPair() as pair:
        yield pair


@pytest.fixture
def keypad_pair() -> Iterator[SocatPtyPair]:
    with SocatPtyPair() as pair:
        yield pair


def test_keypad_and_led_display_at_the_counter(
    qtbot: QtBot,
    sqlite_store: Store,
    make_terminal: Callable[..., Terminal],
    display_pair: SocatPtyPair,
    keypad_pair: SocatPtyPair,
) -> None:
    devices = CounterDevices(
        LedDisplaySettings(port=display_pair.near, retry_seconds=0.05),
        KeypadSettings(port=keypad_pair.near, retry_seconds=0.05),
    )
    t = make_terminal(sqlite_store, devices=devices)
    devices.start()
    try:
        with (
            serial.Serial(display_pair.far, timeout=5) as display,
            serial.Serial(keypad_pair.far, timeout=5) as keypad,
        ):
            t.sign_in("ani", 1)

            def calls() -> int:
                view = t.desk.view
                return view.current.call_count if view and view.current else 0

            run(sqlite_store, issue_ticket, "JHT")
            t.desk.refresh()
            keypad.write(b"1")  # call next
            qtbot.waitUntil(lambda: t.current() == "A001", timeout=5000)
            assert display.read_until(b"\n") == b"A001 -> 1\r\n"
            keypad.write(b"2")  # recall: the display shows (and flashes) the number again
            qtbot.waitUntil(lambda: calls() == 2, timeout=5000)
            assert display.read_until(b"\n") == b"A001 -> 1\r\n"
            keypad.write(b"3")  # start
            qtbot.waitUntil(
                lambda: (
                    t.desk.view is not None
                    and t.desk.view.current is not None
                    and t.desk.view.current.state == "serving"
                ),
                timeout=5000,
            )
            keypad.write(b"2")  # recall: not allowed while serving, so nothing happens
            keypad.write(b"4")  # done, as "completed"
            qtbot.waitUntil(lambda: t.current() is None, timeout=5000)
            view = t.desk.view
            assert view is not None and view.figures is not None and view.figures.served == 1
        assert not t.window.banners.devices.isVisible()
    finally:
        devices.stop()


def test_a_missing_display_shows_a_banner_and_the_counter_still_works(
    qtbot: QtBot,
    sqlite_store: Store,
    make_terminal: Callable[..., Terminal],
    tmp_path: Path,
) -> None:
    absent = tmp_path / "ttyLED"
    devices = CounterDevices(LedDisplaySettings(port=str(absent), retry_seconds=0.05), None)
    t = make_terminal(sqlite_store, devices=devices)
    devices.start()
    try:
        banner = t.window.banners.devices
        qtbot.waitUntil(banner.isVisible, timeout=5000)
        assert banner.text().startswith("Papan nomor LED tidak tersambung")
        assert str(absent) in banner.text()
        t.sign_in("ani", 1)
        run(sqlite_store, issue_ticket, "JHT")
        t.desk.refresh()
        assert t.desk.call_next()
        assert t.current() == "A001"
        with SocatPtyPair() as pair, serial.Serial(pair.far, timeout=5) as display:
            absent.symlink_to(pair.near)  # plugged in
            qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
            assert display.read_until(b"\n") == b"A001 -> 1\r\n"
    finally:
        devices.stop()
