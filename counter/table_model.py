"""A table model over immutable rows, with named roles, that the counter's lists share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
FIRST_ROLE = int(Qt.ItemDataRole.UserRole) + 1


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    tip: Callable[[Row], str] | None = None  # a tooltip, for what a short text abbreviates


@dataclass(frozen=True)
class Role(Generic[Row]):
    name: str  # the QML-style role name, e.g. "label"
    value: Callable[[Row], Any]


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are replaced whole on each refresh: the lists are short and read in one go."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        roles: Sequence[Role[Row]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._roles = {FIRST_ROLE + i: role for i, role in enumerate(roles)}
        self._rows: list[Row] = []

    # -- what the views ask ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tip is not None:
            return column.tip(row)
        if role in self._roles:
            return self._roles[role].value(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({key: QByteArray(role.name.encode()) for key, role in self._roles.items()})
        return names

    # -- what the screens do ---------------------------------------------------------------
    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Row:
        return self._rows[index]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def role(self, name: str) -> int:
        """The role number for a role name, e.g. `model.role("label")`."""
        for key, role in self._roles.items():
            if role.name == name:
                return key
        raise KeyError(name)

    def refresh_texts(self) -> None:
        """Texts that depend on the time were redrawn by the caller's clock: repaint them."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._columns) - 1),
                [Qt.ItemDataRole.DisplayRole],
            )
