"""A list model over immutable rows, with named roles, updated in place on each refresh.

When a refresh keeps the same rows in the same order (the usual case: one counter's ticket
changed) only the changed rows are announced with `dataChanged`, so views repaint little and
nothing is rebuilt; a new set of rows resets the model.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

FIRST_ROLE = int(Qt.ItemDataRole.UserRole) + 1


class RowsModel(QAbstractListModel, Generic[Row]):
    """Subclasses list their roles once: (name, how to read it from a row)."""

    ROLES: Sequence[tuple[str, Callable[[Any], Any]]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._readers = {FIRST_ROLE + n: read for n, (_, read) in enumerate(self.ROLES)}
        self._names = {FIRST_ROLE + n: name for n, (name, _) in enumerate(self.ROLES)}

    @classmethod
    def role(cls, name: str) -> int:
        for n, (role_name, _) in enumerate(cls.ROLES):
            if role_name == name:
                return FIRST_ROLE + n
        raise KeyError(f"{cls.__name__} has no role {name!r}")

    def key(self, row: Row) -> Hashable:
        """What makes a row the same row across refreshes."""
        return id(row)

    def display_text(self, row: Row) -> str:
        return str(row)

    # -- Qt model API ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display_text(row)
        reader = self._readers.get(role)
        return reader(row) if reader is not None else None

    def roleNames(self) -> dict[int, QByteArray]:
        names = {int(Qt.ItemDataRole.DisplayRole): QByteArray(b"display")}
        names.update({role: QByteArray(name.encode()) for role, name in self._names.items()})
        return names

    # -- for the app -----------------------------------------------------------------------
    def rows(self) -> list[Row]:
        return list(self._rows)

    def value(self, row: int, name: str) -> Any:
        return self.data(self.index(row, 0), self.role(name))

    def set_rows(self, rows: Iterable[Row]) -> None:
        new = list(rows)
        if [self.key(r) for r in new] != [self.key(r) for r in self._rows]:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()
            return
        for n, (old_row, new_row) in enumerate(zip(self._rows, new, strict=True)):
            if old_row != new_row:
                self._rows[n] = new_row
                self.dataChanged.emit(self.index(n, 0), self.index(n, 0))
