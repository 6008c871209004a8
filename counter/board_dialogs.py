"""The supervisor's questions: which services a counter serves (in order), and cancelling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.desk_dialogs import FormDialog
from counter.wording import service_name
from shared.i18n import Translator
from shared.services.desk import ServiceChoice

CODE_ROLE = int(Qt.ItemDataRole.UserRole)


class ServicesDialog(FormDialog):
    """Tick the services the counter serves; their order is the order of preference."""

    def __init__(
        self,
        tr: Translator,
        number: int,
        current: tuple[str, ...],
        services: tuple[ServiceChoice, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, tr("counter.services.title", number=number), parent)
        self.list = QListWidget()
        by_code = {s.code: s for s in services}
        ordered = [by_code[c] for c in current if c in by_code]
        ordered += [s for s in services if s.code not in current]
        for service in ordered:
            item = QListWidgetItem(f"{service.code} · {service_name(tr, service)}")
            item.setData(CODE_ROLE, service.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = service.code in current
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.up = QPushButton(tr("counter.services.up"))
        self.down = QPushButton(tr("counter.services.down"))
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down.clicked.connect(lambda: self.move_selected(1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.up)
        buttons.addWidget(self.down)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list)
        row.addLayout(buttons)
        self.form.addRow(row)
        self.list.itemChanged.connect(lambda _item: self.update_ok())
        self.list.setCurrentRow(0)
        self.update_ok()

    def move_selected(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def codes(self) -> list[str]:
        items = [self.list.item(i) for i in range(self.list.count())]
        return [
            str(item.data(CODE_ROLE))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def complete(self) -> bool:
        return bool(self.codes())
