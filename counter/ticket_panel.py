"""The current ticket, large: number, service, how long the visitor waited, calls so far."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from counter.wording import duration, service_name, stopwatch
from shared.domain.states import CounterState, TicketState
from shared.i18n import Translator
from shared.services.desk import DeskView


def _label(object_name: str) -> QLabel:
    # Sizes and colours come from the style sheet (counter/style.py), by object name.
    label = QLabel()
    label.setObjectName(object_name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class TicketPanel(QFrame):
    def __init__(
        self, tr: Translator, now: Callable[[], datetime], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ticketPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._tr = tr
        self._now = now
        self._view: DeskView | None = None
        # The visitor this counter just finished with (label, last state): the idle screen
        # names them, so "no number called" never follows a visit.
        self.finished: tuple[str, str] | None = None
        self.status = _label("ticketStatus")
        self.number = _label("ticketNumber")
        self.service = _label("ticketService")
        self.calls = _label("ticketCalls")
        self.waited = _label("ticketWaited")
        self.running = _label("ticketRunning")
        self.note = _label("ticketNote")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for label in (
            self.status,
            self.number,
            self.service,
            self.calls,
            self.waited,
            self.running,
            self.note,
        ):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_view(self, view: DeskView | None) -> None:
        before = self._view.current if self._view else None
        now = view.current if view else None
        if now is not None:
            self.finished = None
        elif before is not None:
            self.finished = (before.label, before.state)
        self._view = view
        self.tick()

    def tick(self) -> None:
        """Redraw the running times (called every second by the page's clock)."""
        tr, view = self._tr, self._view
        current = view.current if view else None
        for label in (self.calls, self.waited, self.running, self.note):
            label.clear()
        if view is None or current is None:
            self.number.hide()
            self.service.clear()
            self.status.setText(self._idle_text(view))
            if view is not None and view.state == CounterState.OPEN:
                if view.queue:
                    self.calls.setText(tr("counter.ticket.next_hint", label=view.queue[0].label))
                elif not view.waiting_total:
                    self.calls.setText(tr("counter.ticket.nobody_waiting"))
            self._restyle("idle")
            return
        self.number.show()
        self.number.setText(current.label)
        self.service.setText(service_name(tr, current.service))
        now = self._now()
        if current.state == TicketState.CALLED:
            self.status.setText(tr("counter.ticket.called"))
            self.running.setText(
                tr(
                    "counter.ticket.since_called",
                    duration=stopwatch((now - current.called_at).total_seconds()),
                )
            )
            tone = "called"
        else:
            self.status.setText(tr("counter.ticket.serving"))
            since = current.started_at or current.called_at
            self.running.setText(
                tr("counter.ticket.serving_for", duration=stopwatch((now - since).total_seconds()))
            )
            tone = "serving"
        if current.priority:
            self.status.setText(self.status.text() + " · " + tr("counter.ticket.priority"))
        self.calls.setText(
            tr("counter.ticket.calls", count=current.call_count, limit=view.max_calls)
        )
        self.waited.setText(
            tr("counter.ticket.waited", duration=duration(tr, current.waited_seconds))
        )
        if current.transfer_note:
            self.note.setText(tr("counter.ticket.transfer_note", note=current.transfer_note))
        self._restyle(tone)

    def _idle_text(self, view: DeskView | None) -> str:
        tr = self._tr
        if view is None:
            return ""
        if view.state == CounterState.CLOSED:
            return tr("counter.desk.closed")
        if view.state == CounterState.PAUSED:
            return tr("counter.desk.paused", reason=view.pause_reason)
        if self.finished is not None:
            label, state = self.finished
            key = "served" if state == TicketState.SERVING else "left"
            return tr(f"counter.ticket.after_{key}", label=label)
        return tr("counter.ticket.none")

    def _restyle(self, tone: str) -> None:
        # Colours follow the "tone" property (see counter/style.py); a changed property only
        # shows once the widget is polished again.
        for widget in (self, self.status):
            if widget.property("tone") != tone:
                widget.setProperty("tone", tone)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
