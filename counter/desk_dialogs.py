"""The few questions an action asks first: outcome, where to transfer, which number, why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.queue_models import HeldTicketsModel
from counter.wording import service_name
from shared.domain.states import Outcome
from shared.i18n import Translator
from shared.services.desk import ServiceChoice

PAUSE_REASONS = ("break", "prayer", "leave")


def open_dialog(
    dialog: QDialog, on_accepted: Callable[[], None], on_closed: Callable[[], None]
) -> None:
    """Show a question without blocking the event loop (live updates keep coming)."""

    def finished(result: int) -> None:
        on_closed()
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted.value:
            on_accepted()

    dialog.finished.connect(finished)
    dialog.open()


class FormDialog(QDialog):
    """Fields above, OK/Cancel below; OK stays off until `complete()` says so."""

    def __init__(self, tr: Translator, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.form = QFormLayout()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("counter.dialog.ok"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            tr("counter.dialog.cancel")
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def complete(self) -> bool:
        return True

    def update_ok(self) -> None:
        self.ok_button.setEnabled(self.complete())

    def accept(self) -> None:
        if self.complete():
            super().accept()


class FinishDialog(QDialog):
    """One button per outcome; Enter picks "completed", the usual case."""

    def __init__(self, tr: Translator, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("counter.finish.title", label=label))
        self.outcome = Outcome.COMPLETED.value
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        for outcome in Outcome:
            button = QPushButton(tr(f"counter.outcome.{outcome.value}"))
            button.setObjectName(f"outcome_{outcome.value}")
            button.setMinimumSize(180, 72)
            button.clicked.connect(lambda _=False, o=outcome.value: self.choose(o))
            row.addWidget(button)
            self.buttons[outcome.value] = button
        self.buttons[Outcome.COMPLETED.value].setDefault(True)

    def choose(self, outcome: str) -> None:
        self.outcome = outcome
        self.accept()


class TransferDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        label: str,
        targets: tuple[ServiceChoice, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, tr("counter.transfer.title", label=label), parent)
        self.service = QComboBox()
        for choice in targets:
            self.service.addItem(f"{choice.prefix} · {service_name(tr, choice)}", choice.code)
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.form.addRow(tr("counter.transfer.service"), self.service)
        self.form.addRow(tr("counter.transfer.note"), self.note)
        self.update_ok()

    def complete(self) -> bool:
        return self.service.currentIndex() >= 0

    def values(self) -> tuple[str, str]:
        return str(self.service.currentData()), self.note.text().strip()


class NumberReasonDialog(FormDialog):
    """A ticket number (picked or typed) and a reason, required: it goes into the audit trail.
    Calling out of turn and cancelling both ask this."""

    def __init__(
        self,
        tr: Translator,
        title: str,
        reason_label: str,
        numbers: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, title, parent)
        self.number = QComboBox()
        self.number.setEditable(True)
        self.number.addItems(list(numbers))
        self.number.setCurrentIndex(-1)
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.form.addRow(tr("counter.call_number.number"), self.number)
        self.form.addRow(reason_label, self.reason)
        self.number.currentTextChanged.connect(self.update_ok)
        self.reason.textChanged.connect(self.update_ok)
        self.update_ok()

    def complete(self) -> bool:
        return bool(self.number.currentText().strip() and self.reason.text().strip())

    def values(self) -> tuple[str, str]:
        return self.number.currentText().strip().upper(), self.reason.text().strip()


class PauseDialog(FormDialog):
    """Break, prayer or leave, with optional details. The estimator reads the words: a pause
    for leave ("izin") is not expected back today, a break is."""

    def __init__(self, tr: Translator, title: str, parent: QWidget | None = None) -> None:
        super().__init__(tr, title, parent)
        self.kind = QComboBox()
        for kind in PAUSE_REASONS:
            self.kind.addItem(tr(f"counter.pause.{kind}"), kind)
        self.details = QLineEdit()
        self.details.setMaxLength(120)
        self.form.addRow(tr("counter.pause.kind"), self.kind)
        self.form.addRow(tr("counter.pause.details"), self.details)
        self.update_ok()

    def reason(self) -> str:
        # Stored in Indonesian whatever the screen's language, as the estimator reads it.
        kind = self.tr_.both(f"counter.pause.{self.kind.currentData()}")[0]
        details = self.details.text().strip()
        return f"{kind}: {details}" if details else kind


class ResumeHeldDialog(FormDialog):
    def __init__(
        self, tr: Translator, held: HeldTicketsModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr, tr("counter.resume.title"), parent)
        self.table = QTableView()
        self.table.setModel(held)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.form.addRow(QLabel(tr("counter.resume.pick")))
        self.form.addRow(self.table)
        if held.rowCount() > 0:
            self.table.selectRow(0)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_ok())
        self.table.doubleClicked.connect(lambda *_: self.accept())
        self.update_ok()

    def complete(self) -> bool:
        return bool(self.table.selectionModel().selectedRows())

    def label(self) -> str:
        row = self.table.selectionModel().selectedRows()[0].row()
        model = self.table.model()
        assert isinstance(model, HeldTicketsModel)
        return model.row(row).label
