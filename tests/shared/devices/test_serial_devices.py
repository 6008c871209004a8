"""The LED display feed and the caller keypad on real pseudo-terminals (socat pty pairs):
the bytes on the wire, a Modbus slave's answers, and devices missing or unplugged."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from shared.devices import modbus
from shared.devices.display_feed import DisplayFeed
from shared.devices.keypad import KeyDecoder, KeypadReader
from shared.devices.number_display import ModbusNumeric, Shown, TextTemplate
from shared.devices.port import DeviceStatus, SerialLine
from tests.support.fake_printer_process import SocatPtyPair

pytestmark = pytest.mark.timeout(60)
WAIT = 5.0
RETRY = 0.05


@pytest.fixture
def ptys() -> Iterator[SocatPtyPair]:
    with SocatPtyPair() as pair:
        yield pair


def far_end(path: str) -> serial.Serial:
    return serial.Serial(path, 9600, timeout=WAIT)


def read_line(port: serial.Serial) -> bytes:
    return port.read_until(b"\n")


def next_status(statuses: queue.Queue[DeviceStatus]) -> DeviceStatus:
    return statuses.get(timeout=WAIT)


def back_in_service(statuses: queue.Queue[DeviceStatus]) -> DeviceStatus:
    """The first good status once a device is plugged in again. Until the new link appears,
    a retry may still find the port gone, with another message: those come first."""
    status = next_status(statuses)
    while not status.ok:
        assert status.problem in ("io_error", "missing"), status
        status = next_status(statuses)
    return status


def test_text_display_shows_each_call(ptys: SocatPtyPair) -> None:
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    protocol = TextTemplate("{label} -> {counter}\r\n", "--- -> {counter}\r\n")
    feed = DisplayFeed(ptys.near, SerialLine(ptys.near).open, protocol, statuses.put, RETRY)
    with far_end(ptys.far) as display:
        feed.start()
        try:
            assert next_status(statuses).ok
            feed.show(Shown(3, "A012", "JHT"))
            assert read_line(display) == b"A012 -> 3\r\n"
            feed.show(Shown(3))
            assert read_line(display) == b"--- -> 3\r\n"
            feed.show(Shown(3, "B004", "JKM"))
            assert read_line(display) == b"B004 -> 3\r\n"
        finally:
            feed.stop()


class ModbusSlave:
    """A numeric display on the far end: reads each frame, answers as a slave does."""

    def __init__(self, path: str, answer: bool = True) -> None:
        self.port = far_end(path)
        self.answer = answer
        self.frames: queue.Queue[bytes] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self.port.timeout = 0.1
        while not self._stop.is_set():
            head = self.port.read(7)
            if len(head) < 7:
                continue
            length = 8 if head[1] == 0x06 else 9 + head[6]
            frame = head + self.port.read(length - 7)
            self.frames.put(frame)
            if self.answer:
                # Written here from the spec, not with the module under test.
                reply = frame if frame[1] == 0x06 else modbus.with_crc(frame[:6])
                self.port.write(reply)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(WAIT)
        self.port.close()


def test_modbus_display_receives_checked_frames(ptys: SocatPtyPair) -> None:
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    slave = ModbusSlave(ptys.far)
    protocol = ModbusNumeric(unit=1, number_register=1, prefix_register=0)
    # A generous wait for each answer: a loaded machine may be slow to carry it, and timing
    # out is another test's subject.
    feed = DisplayFeed(
        ptys.near, SerialLine(ptys.near).open, protocol, statuses.put, RETRY, WAIT
    )
    feed.start()
    try:
        assert next_status(statuses).ok
        feed.show(Shown(1, "A012"))
        assert slave.frames.get(timeout=WAIT) == bytes.fromhex(
            "01 10 00 00 00 02 04 00 41 00 0C A3 BE"
        )
        feed.show(Shown(1, "B007"))
        frame = slave.frames.get(timeout=WAIT)
        assert frame[7:11] == b"\x00\x42\x00\x07"
        feed.show(Shown(1, "C001"))  # sent only once B007's answer was taken
        assert slave.frames.get(timeout=WAIT)[7:11] == b"\x00\x43\x00\x01"
        assert statuses.empty()  # every answer checked: no problem reported
    finally:
        feed.stop()
        slave.close()


def test_a_modbus_display_that_does_not_answer_is_reported_and_retried(
    ptys: SocatPtyPair,
) -> None:
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    slave = ModbusSlave(ptys.far, answer=False)
    feed = DisplayFeed(
        ptys.near, SerialLine(ptys.near).open, ModbusNumeric(unit=2), statuses.put, RETRY, 0.2
    )
    feed.start()
    try:
        assert next_status(statuses).ok
        feed.show(Shown(1, "A001"))
        problem = next_status(statuses)
        assert (problem.problem, problem.device) == ("no_answer", "display")
        assert "Modbus unit 2" in problem.detail
        slave.answer = True  # the display wakes up: the same number is sent again
        assert next_status(statuses).ok
        frames = [slave.frames.get(timeout=WAIT) for _ in range(2)]
        assert frames[0] == frames[-1] == modbus.write_single_register(2, 0, 1)
    finally:
        feed.stop()
        slave.close()


def test_a_missing_display_is_reported_then_used_when_plugged_in(
    tmp_path: Path, ptys: SocatPtyPair
) -> None:
    device = tmp_path / "ttyLED"  # not there yet
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    feed = DisplayFeed(
        str(device), SerialLine(str(device)).open, TextTemplate("{label}\n"), statuses.put, RETRY
    )
    feed.start()
    try:
        problem = next_status(statuses)
        assert (problem.problem, problem.ok) == ("missing", False)
        assert str(device) in problem.detail
        feed.show(Shown(1, "A001"))  # called while unplugged: shown once it is back
        with far_end(ptys.far) as display:
            device.symlink_to(ptys.near)
            assert next_status(statuses).ok
            assert read_line(display) == b"A001\n"
    finally:
        feed.stop()


def test_an_unplugged_display_is_reported_and_retried(tmp_path: Path) -> None:
    device = tmp_path / "ttyLED"
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    feed = DisplayFeed(
        str(device), SerialLine(str(device)).open, TextTemplate("{label}\n"), statuses.put, RETRY
    )
    with SocatPtyPair() as first:
        device.symlink_to(first.near)
        feed.start()
        assert next_status(statuses).ok
        with far_end(first.far) as display:
            feed.show(Shown(1, "A001"))
            assert read_line(display) == b"A001\n"
    try:
        feed.show(Shown(1, "A002"))  # the cable is out
        assert next_status(statuses).problem in ("io_error", "missing")
        device.unlink()
        with SocatPtyPair() as second, far_end(second.far) as display:
            device.symlink_to(second.near)
            assert back_in_service(statuses).ok
            assert read_line(display) == b"A002\n"
    finally:
        feed.stop()


def test_keypad_keys_become_actions(ptys: SocatPtyPair) -> None:
    actions: queue.Queue[str] = queue.Queue()
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    reader = KeypadReader(
        ptys.near,
        SerialLine(ptys.near, timeout=0.1).open,
        KeyDecoder({b"1": "call_next", b"4": "finish"}),
        actions.put,
        statuses.put,
        RETRY,
    )
    reader.start()
    try:
        assert next_status(statuses).ok
        with far_end(ptys.far) as keypad:
            keypad.write(b"1")
            assert actions.get(timeout=WAIT) == "call_next"
            keypad.write(b"94")
            assert actions.get(timeout=WAIT) == "finish"
        assert actions.empty()
    finally:
        reader.stop()


def test_an_unplugged_keypad_is_reported_and_reopened(tmp_path: Path) -> None:
    device = tmp_path / "ttyKEY"
    actions: queue.Queue[str] = queue.Queue()
    statuses: queue.Queue[DeviceStatus] = queue.Queue()
    reader = KeypadReader(
        str(device),
        SerialLine(str(device), timeout=0.1).open,
        KeyDecoder({b"1": "call_next"}),
        actions.put,
        statuses.put,
        RETRY,
    )
    reader.start()
    try:
        assert next_status(statuses).problem == "missing"
        with SocatPtyPair() as pair:
            device.symlink_to(pair.near)
            assert next_status(statuses).ok
        # socat has gone: the open port fails, and the keypad is reported again.
        assert next_status(statuses).problem in ("io_error", "missing")
        device.unlink()
        with SocatPtyPair() as pair, far_end(pair.far) as keypad:
            device.symlink_to(pair.near)
            assert back_in_service(statuses).ok
            keypad.write(b"1")
            assert actions.get(timeout=WAIT) == "call_next"
    finally:
        reader.stop()
