"""The officer's screen: the current ticket, the action keys, the queue, held tickets, my day."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from counter.action_bar import ActionBar
from counter.actions import Action
from counter.desk import Desk
from counter.desk_dialogs import (
    FinishDialog,
    NoShowDialog,
    NumberReasonDialog,
    PauseDialog,
    ResumeHeldDialog,
    TransferDialog,
    open_dialog,
)
from counter.queue_models import HeldTicketsModel, WaitingQueueModel
from counter.ticket_panel import TicketPanel
from counter.wording import counter_state, duration
from shared.domain.states import CounterState
from shared.i18n import Translator, explain

TICK_MILLISECONDS = 1000


def _table(model: WaitingQueueModel | HeldTicketsModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class DeskPage(QWidget):
    log_out_requested = Signal()

    def __init__(self, tr: Translator, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.desk = desk
        self.dialog: QDialog | None = None  # the question an action is asking, if any
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # back here after every dialog
        self.title = QLabel()
        self.title.setObjectName("deskTitle")
        self.message = QLabel()
        self.message.setObjectName("deskMessage")
        self.message.setWordWrap(True)
        self.panel = TicketPanel(tr, desk.now)
        self.actions_bar = ActionBar(tr)
        self.queue = WaitingQueueModel(tr, desk.now, self)
        self.held = HeldTicketsModel(tr, desk.now, self)
        self.queue_box = QGroupBox()
        QVBoxLayout(self.queue_box).addWidget(_table(self.queue, "queueTable"))
        self.held_box = QGroupBox()
        QVBoxLayout(self.held_box).addWidget(_table(self.held, "heldTable"))
        self.figures = QLabel()
        self.figures.setObjectName("figures")
        self.figures.setWordWrap(True)

        grid = QGridLayout(self)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.panel, 1, 0)
        side = QVBoxLayout()
        side.addWidget(self.queue_box, 3)
        side.addWidget(self.held_box, 1)
        side.addWidget(self.figures)
        grid.addLayout(side, 1, 1, 2, 1)
        grid.addWidget(self.message, 2, 0)
        grid.addWidget(self.actions_bar, 3, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(1, 1)

        self.actions_bar.triggered.connect(lambda value: self.trigger(Action(value)))
        desk.view_changed.connect(self.show_desk)
        desk.refused.connect(
            lambda error: self.say(tr("counter.refused", detail=explain(tr, error)), error=True)
        )
        desk.nobody_waiting.connect(lambda: self.say(tr("counter.nobody_waiting")))
        desk.link.failed.connect(self._failed)  # the link outlives this page
        self._clock = QTimer(self)
        self._clock.setInterval(TICK_MILLISECONDS)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self.show_desk()

    # -- showing ---------------------------------------------------------------------------
    def show_desk(self) -> None:
        tr, view = self.tr_, self.desk.view
        state = view.state if view else CounterState.CLOSED
        self.actions_bar.show_state(state, self.desk.enabled())
        self.panel.show_view(view)
        if view is None:
            return
        who = view.officer_name or "–"
        self.title.setText(f"{view.counter_name} · {who} · {counter_state(tr, view.state)}")
        if view.state != CounterState.CLOSED and view.officer_id != self.desk.officer.id:
            self.say(tr("counter.desk.not_yours", name=who), error=True)
        self.queue.set_rows(view.queue)
        self.held.set_rows(view.held)
        self.queue_box.setTitle(tr("counter.queue.title", count=view.waiting_total))
        self.held_box.setTitle(tr("counter.held.title", count=len(view.held)))
        figures = view.figures
        if figures is not None:
            self.figures.setText(
                tr(
                    "counter.figures.line",
                    served=figures.served,
                    median=duration(tr, figures.median_service_seconds),
                    no_shows=figures.no_shows,
                    transferred=figures.transferred,
                )
            )

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("tone", "error" if error else "info")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _failed(self, detail: str) -> None:
        self.say(self.tr_("counter.error.unexpected", detail=detail), error=True)

    def _tick(self) -> None:
        self.panel.tick()
        self.queue.refresh_texts()
        self.held.refresh_texts()

    # -- acting ----------------------------------------------------------------------------
    def trigger(self, action: Action) -> None:
        """A button or its function key (or the keypad): act, or ask first."""
        if action not in self.desk.enabled() or self.dialog is not None:
            return
        self.say("")
        desk, view, tr = self.desk, self.desk.view, self.tr_
        assert view is not None  # nothing is enabled before the first read
        label = view.current.label if view.current else ""
        if action == Action.FINISH:
            finish = FinishDialog(tr, label, self)
            self._ask(finish, lambda: desk.finish(finish.outcome))
        elif action == Action.TRANSFER:
            here = view.current.service.code if view.current else ""
            targets = tuple(s for s in view.all_services if s.code != here)
            transfer = TransferDialog(tr, label, targets, self)
            self._ask(transfer, lambda: desk.transfer(*transfer.values()))
        elif action == Action.CALL_NUMBER:
            call = NumberReasonDialog(
                tr,
                tr("counter.call_number.title"),
                tr("counter.call_number.reason"),
                [t.label for t in view.queue],
                self,
            )
            self._ask(call, lambda: desk.call_number(*call.values()))
        elif action == Action.RESUME_HELD:
            resume = ResumeHeldDialog(tr, self.held, self)
            self._ask(resume, lambda: desk.resume_held(resume.label()))
        elif action == Action.PAUSE and view.state == CounterState.OPEN:
            pause = PauseDialog(tr, tr("counter.pause.title"), self)
            self._ask(pause, lambda: desk.pause(pause.reason()))
        elif action == Action.NO_SHOW and view.current and view.current.call_count < 2:
            # Absent after a single call is too easy a slip: only after a recall, or asked.
            may_recall = view.current.call_count < view.max_calls
            absent = NoShowDialog(tr, label, may_recall, self)
            self._ask(
                absent,
                lambda: desk.no_show() if absent.chosen == NoShowDialog.NO_SHOW else desk.recall(),
            )
        elif action == Action.LOG_OUT:
            self.log_out_requested.emit()
        else:
            self._act_now(action)

    def _act_now(self, action: Action) -> None:
        desk, state = self.desk, self.desk.view.state if self.desk.view else ""
        simple = {
            Action.CALL_NEXT: desk.call_next,
            Action.RECALL: desk.recall,
            Action.START: desk.start,
            Action.NO_SHOW: desk.no_show,
            Action.HOLD: desk.hold,
            Action.PAUSE: desk.resume_counter,  # only reached when paused
            Action.CLOSE: desk.open_counter if state == CounterState.CLOSED else desk.close_counter,
        }
        simple[action]()

    def _ask(self, dialog: QDialog, then: Callable[[], bool]) -> None:
        self.dialog = dialog

        def sent() -> None:
            if not then():
                self.say(self.tr_("counter.not_sent"), error=True)

        def closed() -> None:
            self.dialog = None
            self.take_keys()

        open_dialog(dialog, sent, closed)

    def take_keys(self) -> None:
        """The function keys work in the active window only: a closed dialog hands it back."""
        window = self.window()
        window.raise_()
        window.activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
