"""What a screen reader finds in a window: every visible control, and whether it has a name."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role

# What a visitor or an officer acts on, or must hear about (a picture is the ticket itself).
INTERACTIVE = frozenset({
    Role.Button, Role.EditableText, Role.ComboBox, Role.CheckBox, Role.RadioButton,
    Role.SpinBox, Role.Slider, Role.PageTab, Role.Graphic, Role.Dialog, Role.Window,
})


@dataclass(frozen=True)
class Found:
    role: str
    name: str
    widget: str  # class and object name, to find it in the code

    def __str__(self) -> str:
        return f"{self.role} {self.widget} named {self.name!r}"


def _describe(node: QAccessibleInterface) -> Found:
    target = node.object()
    where = f"{type(target).__name__}#{target.objectName()}" if target is not None else "?"
    return Found(node.role().name, node.text(QAccessible.Text.Name).strip(), where)


def controls(window: QWidget) -> list[Found]:
    """The window itself and every visible control under it, depth first."""
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None and root.isValid()
    found = [_describe(root)]
    stack = [root]
    while stack:
        node = stack.pop()
        for index in range(node.childCount()):
            child = node.child(index)
            if child is None or not child.isValid() or child.state().invisible:
                continue
            if child.role() in INTERACTIVE:
                found.append(_describe(child))
            stack.append(child)
    return found


def unnamed(window: QWidget) -> list[Found]:
    """What a screen reader would announce as just "button" or "edit"."""
    return [control for control in controls(window) if not control.name]
