"""The few questions an action asks first: outcome, where to transfer, which number, why."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
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


def _question(text: str) -> QLabel:
    """The question in the dialog itself, not only in a title bar a kiosk-mode WM may hide."""
    label = QLabel(text)
    label.setObjectName("dialogQuestion")
    label.setWordWrap(True)
    return label


class ChoiceDialog(QDialog):
    """A question and numbered answers: 1, 2, 3 … on the keyboard (or a click), Esc cancels.
    Styled by the counter's style sheet, which a dialog with a parent inherits."""

    def __init__(
        self,
        tr: Translator,
        question: str,
        choices: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choiceDialog")
        self.setWindowTitle(question)
        self.setAccessibleName(question)
        self.chosen: str | None = None
        self.question = _question(question)
        self.buttons: dict[str, QPushButton] = {}
        self.order: list[str] = []
        row = QHBoxLayout()
        for number, (value, text) in enumerate(choices, start=1):
            button = QPushButton(f"{number}  {text}")
            button.setObjectName(f"choice_{value}")
            button.setAccessibleName(text)
            button.setAccessibleDescription(tr("counter.dialog.key", number=number))
            # Wide enough for its words in the style sheet's bold 16 px, which Qt only applies
            # once shown (too late for the first size, which cut "Dokumen belum lengkap").
            font = QFont(button.font())
            font.setPixelSize(16)
            font.setBold(True)
            wide = QFontMetrics(font).horizontalAdvance(button.text()) + 48
            button.setMinimumSize(max(180, wide), 72)
            button.clicked.connect(lambda _=False, v=value: self.choose(v))
            row.addWidget(button)
            self.buttons[value] = button
            self.order.append(value)
        cancel = QPushButton(tr("counter.dialog.cancel_esc"))
        cancel.setObjectName("choiceCancel")
        cancel.setProperty("tone", "quiet")
        cancel.clicked.connect(self.reject)
        self.cancel_button = cancel
        hint = QLabel(tr("counter.dialog.keys_hint", last=len(choices)))
        hint.setObjectName("dialogHint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(cancel)
        layout.addLayout(bottom)

    def choose(self, value: str) -> None:
        self.chosen = value
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= len(self.order):
            self.choose(self.order[int(text) - 1])
            return
        super().keyPressEvent(event)  # Esc rejects, Enter presses the default answer


class FormDialog(QDialog):
    """The question on top, fields below it, OK/Cancel last; OK stays off until `complete()`
    says so."""

    def __init__(self, tr: Translator, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(480)
        self.question = _question(title)
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
        layout.addWidget(self.question)
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


class FinishDialog(ChoiceDialog):
    """One answer per outcome; Enter (or 1) picks "completed", the usual case."""

    def __init__(self, tr: Translator, label: str, parent: QWidget | None = None) -> None:
        choices = [(o.value, tr(f"counter.outcome.{o.value}")) for o in Outcome]
        super().__init__(tr, tr("counter.finish.title", label=label), choices, parent)
        for value, button in self.buttons.items():
            button.setObjectName(f"outcome_{value}")
        self.buttons[Outcome.COMPLETED.value].setDefault(True)

    @property
    def outcome(self) -> str:
        return self.chosen or Outcome.COMPLETED.value


class NoShowDialog(ChoiceDialog):
    """Marking a visitor absent after one call is easy to do by mistake (F5 sits under F1):
    it asks first, and offers the recall instead."""

    RECALL = "recall"
    NO_SHOW = "no_show"

    def __init__(
        self, tr: Translator, label: str, may_recall: bool, parent: QWidget | None = None
    ) -> None:
        choices = [(self.NO_SHOW, tr("counter.no_show.confirm"))]
        if may_recall:
            choices.append((self.RECALL, tr("counter.no_show.recall")))
        super().__init__(tr, tr("counter.no_show.title", label=label), choices, parent)
        # Enter must not mark anyone absent: the safe answer is the default.
        safe = self.buttons[self.RECALL] if may_recall else self.cancel_button
        safe.setDefault(True)
        safe.setFocus()


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
        # The typed part of the list is a field of its own for a screen reader.
        self.number.setAccessibleName(tr("counter.call_number.number"))
        line = self.number.lineEdit()
        if line is not None:
            line.setAccessibleName(tr("counter.call_number.number"))
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
