"""Banners across the top: the store is out of reach, or a counter device is missing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shared.devices.port import DeviceStatus
from shared.i18n import Translator


def _banner(name: str, tone: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("tone", tone)
    label.setWordWrap(True)
    label.hide()
    return label


class Banners(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.connection = _banner("connectionBanner", "error")
        self.devices = _banner("deviceBanner", "warning")
        self._problems: dict[str, DeviceStatus] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.connection)
        layout.addWidget(self.devices)

    def show_connection(self, online: bool, pending: str | None) -> None:
        if online:
            self.connection.hide()
            return
        text = self._tr("connection.lost") + " " + self._tr("counter.banner.disabled")
        if pending:
            action = self._tr(f"counter.pending.{pending}")
            text += " " + self._tr("counter.banner.pending", action=action)
        self.connection.setText(text)
        self.connection.show()

    def show_device(self, status: DeviceStatus) -> None:
        if status.ok:
            self._problems.pop(status.device, None)
        else:
            self._problems[status.device] = status
        lines = [
            self._tr(
                "counter.banner.device",
                device=self._tr(f"counter.device.{problem.device}"),
                detail=problem.detail,
            )
            for problem in self._problems.values()
        ]
        self.devices.setText("\n".join(lines))
        self.devices.setVisible(bool(lines))
