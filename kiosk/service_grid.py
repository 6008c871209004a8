"""Large service buttons laid out from a services model: name, queue and wait, or why not."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.look import GREEN, GREY, INK, NEUTRAL, REFUSAL, Look
from kiosk.offer_model import OfferRole


class ServiceButton(QPushButton):
    """A whole card is one button; its labels let touches through to it."""

    def __init__(self, look: Look, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.look = look
        self.code = ""
        self.available = True
        self.setObjectName("serviceButton")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Cards share the screen's height: more room for a two-line name or reason.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        # Landscape has the height of three 170 px rows only without the title and the back
        # button (the priority screen cut its fifth tile): the rows share what is there.
        self.setMinimumHeight(look.px(170 if look.portrait else 120))
        self.prefix = QLabel()
        self.prefix.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prefix.setFixedWidth(look.px(120))
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        texts = QVBoxLayout()
        texts.setSpacing(look.px(6))
        texts.addStretch(1)
        texts.addWidget(self.name)
        texts.addWidget(self.status)
        texts.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(look.px(24), look.px(12), look.px(28), look.px(12))
        row.setSpacing(look.px(24))
        row.addWidget(self.prefix)
        row.addLayout(texts, 1)
        for label in (self.prefix, self.name, self.status):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_service(
        self, code: str, prefix: str, name: str, status: str, available: bool
    ) -> None:
        self.code = code
        self.available = available
        self.prefix.setText(prefix)
        self.name.setText(name)
        self.status.setText(status)
        self.setAccessibleName(f"{name}. {status}")
        self._style()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            self._style()  # a kiosk that issues nothing shows no green buttons

    def _style(self) -> None:
        look = self.look
        if not self.isEnabled():
            back, fore, note = GREY, NEUTRAL, NEUTRAL
        elif self.available:
            back, fore, note = GREEN, "white", "white"
        else:
            back, fore, note = GREY, INK, REFUSAL
        self.setStyleSheet(
            f"QPushButton#serviceButton {{ background: {back}; border: none;"
            f" border-radius: {look.px(22)}px; }}"
            f"QPushButton#serviceButton:pressed {{ background: {INK}; }}"
        )
        self.prefix.setStyleSheet(
            look.text_css(84, fore, bold=True)
            + f"border: {look.px(5)}px solid {fore}; border-radius: {look.px(20)}px;"
        )
        name_size, status_size = (44, 30) if look.portrait else (38, 27)
        self.name.setStyleSheet(look.text_css(name_size, fore, bold=True))
        self.status.setStyleSheet(look.text_css(status_size, note, bold=not self.available))


class ServiceGrid(QWidget):
    """`chosen(code)` when a service is tapped, available or not (the screen explains)."""

    chosen = Signal(str)

    def __init__(self, model: QAbstractItemModel, look: Look, columns: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.look = look
        self.columns = columns
        self.buttons: list[ServiceButton] = []
        self.layout_ = QGridLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(look.px(26))
        for signal in (model.modelReset, model.dataChanged, model.rowsInserted,
                       model.rowsRemoved, model.layoutChanged):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        count = self.model.rowCount()
        if count != len(self.buttons):
            self._rebuild(count)
        for row, button in enumerate(self.buttons):
            index = self.model.index(row, 0)
            button.show_service(
                str(self.model.data(index, OfferRole.CODE)),
                str(self.model.data(index, OfferRole.PREFIX)),
                str(self.model.data(index, Qt.ItemDataRole.DisplayRole)),
                str(self.model.data(index, OfferRole.STATUS_TEXT)),
                bool(self.model.data(index, OfferRole.AVAILABLE)),
            )

    def button(self, code: str) -> ServiceButton:
        return next(b for b in self.buttons if b.code == code)

    def _rebuild(self, count: int) -> None:
        for button in self.buttons:
            self.layout_.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for row in range(count):
            button = ServiceButton(self.look, self)
            button.clicked.connect(lambda _=False, b=button: self.chosen.emit(b.code))
            self.layout_.addWidget(button, row // self.columns, row % self.columns)
            self.buttons.append(button)
        rows = max(1, -(-count // self.columns))
        for row in range(rows):
            self.layout_.setRowStretch(row, 1)
