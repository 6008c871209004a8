"""Sign in: officer id, PIN, and the counter this machine stands at (remembered)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter.link import StoreLink
from counter.wording import counter_state
from shared.domain.errors import AuthenticationFailed, DomainError
from shared.domain.states import Role
from shared.i18n import Translator, explain
from shared.services.counters import open_counter
from shared.services.officers import OfficerView, authenticate
from shared.services.snapshot import Snapshot, live_snapshot
from shared.store.unit_of_work import UnitOfWork

NO_COUNTER = 0  # the combo box's data for "no counter: supervisor board only"


class LoginPage(QWidget):
    logged_in = Signal(object, int)  # OfficerView, counter number (0: none)

    def __init__(
        self,
        tr: Translator,
        link: StoreLink,
        preselect: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.link = link
        self.preselect = preselect
        self.officer = QLineEdit()
        self.officer.setObjectName("officerId")
        self.officer.setMaxLength(32)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(128)
        self.counter = QComboBox()
        self.counter.setObjectName("counterChoice")
        self.submit_button = QPushButton(tr("counter.login.submit"))
        self.submit_button.setObjectName("signIn")
        self.submit_button.setDefault(True)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)

        card = QFrame()
        card.setObjectName("loginCard")
        card.setMaximumWidth(560)
        inner = QVBoxLayout(card)
        title = QLabel(tr("counter.login.title"))
        title.setObjectName("loginTitle")
        inner.addWidget(title)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(tr("counter.login.officer"), self.officer)
        form.addRow(tr("counter.login.pin"), self.pin)
        form.addRow(tr("counter.login.counter"), self.counter)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addWidget(self.submit_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.submit_button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.officer.returnPressed.connect(self.pin.setFocus)
        link.online_changed.connect(self._back_online)
        link.busy_changed.connect(lambda busy: self.submit_button.setEnabled(not busy))

    def _back_online(self, online: bool) -> None:
        if online:
            self.refresh()

    def refresh(self) -> None:
        self.link.read(live_snapshot, self._show_counters)

    def _show_counters(self, snapshot: Snapshot) -> None:
        tr = self.tr_
        chosen = self.counter.currentData() if self.counter.count() else self.preselect
        self.counter.clear()
        for line in snapshot.counters:
            who = f" – {line.officer_name}" if line.officer_name else ""
            services = ", ".join(line.service_codes)
            self.counter.addItem(
                f"{line.name} ({services}) · {counter_state(tr, line.state)}{who}", line.number
            )
        self.counter.addItem(tr("counter.login.board_only"), NO_COUNTER)
        index = self.counter.findData(chosen) if chosen is not None else -1
        self.counter.setCurrentIndex(max(index, 0))

    def clear(self) -> None:
        self.pin.clear()
        self.message.clear()

    def submit(self) -> None:
        tr = self.tr_
        login, secret = self.officer.text().strip(), self.pin.text()
        number = int(self.counter.currentData() or NO_COUNTER)
        if not login or not secret:
            self.message.setText(tr("counter.login.missing"))
            return

        def work(uow: UnitOfWork, _request_id: str) -> Any:
            try:
                officer = authenticate(uow, login, secret)
            except AuthenticationFailed as failed:
                if failed.key != "wrong_pin":
                    raise  # a pause or a lockout: `refused` says how long
                return None
            if number != NO_COUNTER:
                open_counter(uow, number, officer.id)  # a repeat finds it open under them
            return officer

        def done(officer: OfficerView | None) -> None:
            self.pin.clear()
            if officer is None:
                self.message.setText(tr("counter.login.failed"))
            elif number == NO_COUNTER and not officer.role.at_least(Role.SUPERVISOR):
                self.message.setText(tr("counter.login.pick_counter"))
            else:
                self.message.clear()
                self.logged_in.emit(officer, number)

        def refused(error: DomainError) -> None:
            self.message.setText(tr("counter.refused", detail=explain(tr, error)))

        if not self.link.act("log_in", work, done, refused):
            self.message.setText(tr("counter.not_sent"))
