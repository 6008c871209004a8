"""The counter's serial devices, seen from the GUI thread: statuses and keys as Qt signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from shared.devices.display_feed import DisplayFeed
from shared.devices.keypad import KeyDecoder, KeypadReader
from shared.devices.number_display import Shown, display_protocol
from shared.devices.port import SerialLine
from shared.devices.settings import KeypadSettings, LedDisplaySettings
from shared.services.desk import DeskView


class CounterDevices(QObject):
    # Emitted from the devices' own threads; Qt queues them to the GUI thread's receivers.
    status_changed = Signal(object)  # DeviceStatus
    key_pressed = Signal(str)  # a KEYPAD_ACTIONS name

    def __init__(
        self,
        display: LedDisplaySettings | None,
        keypad: KeypadSettings | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.display: DisplayFeed | None = None
        self.keypad: KeypadReader | None = None
        if display is not None:
            line = SerialLine(display.port, display.baudrate)
            self.display = DisplayFeed(
                display.port,
                line.open,
                display_protocol(display),
                self.status_changed.emit,
                display.retry_seconds,
                display.answer_timeout_seconds,
            )
        if keypad is not None:
            line = SerialLine(keypad.port, keypad.baudrate, timeout=0.2)
            self.keypad = KeypadReader(
                keypad.port,
                line.open,
                KeyDecoder(keypad.key_bytes(), keypad.terminator.encode("latin-1")),
                self.key_pressed.emit,
                self.status_changed.emit,
                keypad.retry_seconds,
            )

    def start(self) -> CounterDevices:
        for device in (self.display, self.keypad):
            if device is not None:
                device.start()
        return self

    def stop(self) -> None:
        for device in (self.display, self.keypad):
            if device is not None:
                device.stop()

    def show_desk(self, view: DeskView | None) -> None:
        """The display shows the number called to this counter, or nothing."""
        if self.display is None or view is None:
            return
        current = view.current
        self.display.show(
            Shown(
                view.counter_number,
                current.label if current else None,
                current.service.code if current else "",
                current.call_count if current else 0,
            )
        )
