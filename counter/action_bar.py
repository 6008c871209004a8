"""One big button per action, each on its function key (the key is printed on the button)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

from counter.actions import FUNCTION_KEYS, Action
from shared.domain.states import CounterState
from shared.i18n import Translator

COLUMNS = 4


def function_key(number: int) -> QKeySequence:
    return QKeySequence(int(Qt.Key.Key_F1) + number - 1)


class ActionBar(QWidget):
    triggered = Signal(str)  # the Action's value

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.buttons: dict[Action, QPushButton] = {}
        self.shortcuts: dict[Action, QShortcut] = {}
        grid = QGridLayout(self)
        grid.setSpacing(8)
        for index, action in enumerate(Action):
            button = QPushButton()
            button.setObjectName(f"action_{action.value}")
            button.setProperty("role", "action")
            button.setMinimumHeight(64)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys go to the shortcuts, not focus
            button.clicked.connect(lambda _=False, a=action: self.triggered.emit(a.value))
            # A shortcut of its own (a button's would click it only after a 100 ms animation),
            # switched on and off with its button, so the keys obey the same rules.
            shortcut = QShortcut(function_key(FUNCTION_KEYS[action]), self)
            shortcut.activated.connect(lambda a=action: self.triggered.emit(a.value))
            self.shortcuts[action] = shortcut
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons[action] = button
        self.show_state(CounterState.OPEN, frozenset())

    def show_state(self, counter_state: str, enabled: frozenset[Action]) -> None:
        for action, button in self.buttons.items():
            key = FUNCTION_KEYS[action]
            name = self._tr(self.text_key(action, counter_state))
            why = self.why_off(action, counter_state, enabled)
            # Two lines whatever the state: a third would be cut on a 768-pixel-high screen.
            button.setText(f"F{key}\n{name}" + (f" · {why}" if why else ""))
            button.setToolTip(why)
            button.setAccessibleName(f"F{key} {name}")
            button.setAccessibleDescription(why)
            button.setEnabled(action in enabled)
            self.shortcuts[action].setEnabled(action in enabled)

    def why_off(self, action: Action, counter_state: str, enabled: frozenset[Action]) -> str:
        """A grey key that is not obvious says why: signing out waits for a closed counter."""
        if action != Action.LOG_OUT or action in enabled or not enabled:
            return ""
        if counter_state == CounterState.CLOSED:
            return ""
        return self._tr("counter.action.log_out_after_close")

    @staticmethod
    def text_key(action: Action, counter_state: str) -> str:
        if action == Action.PAUSE and counter_state == CounterState.PAUSED:
            return "counter.action.resume_counter"
        if action == Action.CLOSE and counter_state == CounterState.CLOSED:
            return "counter.action.open"
        return f"counter.action.{action.value}"
