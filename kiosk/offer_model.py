"""The services on offer as a Qt list model (one for the normal, one for the priority path)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from kiosk import wording
from shared.i18n import Translator
from shared.services.service_outlook import BranchOutlook, ServiceOutlook

Index = QModelIndex | QPersistentModelIndex


class OfferRole(IntEnum):
    CODE = Qt.ItemDataRole.UserRole + 1
    PREFIX = Qt.ItemDataRole.UserRole + 2
    AVAILABLE = Qt.ItemDataRole.UserRole + 3
    WAITING = Qt.ItemDataRole.UserRole + 4
    STATUS_TEXT = Qt.ItemDataRole.UserRole + 5  # waiting and wait, or why not and until when
    PRIORITY_ALLOWED = Qt.ItemDataRole.UserRole + 6
    OFFER = Qt.ItemDataRole.UserRole + 7


class ServiceOfferModel(QAbstractListModel):
    """One row per service the kiosk shows; texts in the translator's current language."""

    def __init__(self, tr: Translator, priority: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self.priority = priority  # the offer as a priority visitor sees it
        self._services: tuple[ServiceOutlook, ...] = ()
        self._at: datetime | None = None

    def set_offer(self, offer: BranchOutlook) -> None:
        self.beginResetModel()
        self._services = offer.priority_services if self.priority else offer.services
        self._at = offer.at
        self.endResetModel()

    def language_changed(self) -> None:
        if self._services:
            last = self.index(len(self._services) - 1)
            self.dataChanged.emit(self.index(0), last, [Qt.ItemDataRole.DisplayRole,
                                                        OfferRole.STATUS_TEXT])

    def offer(self, code: str) -> ServiceOutlook | None:
        return next((s for s in self._services if s.code == code), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._services)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._services):
            return None
        service = self._services[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return wording.service_name(self._tr, service)
        if role == OfferRole.CODE:
            return service.code
        if role == OfferRole.PREFIX:
            return service.prefix
        if role == OfferRole.AVAILABLE:
            return service.available
        if role == OfferRole.WAITING:
            return service.waiting
        if role == OfferRole.STATUS_TEXT:
            return self._status_text(service)
        if role == OfferRole.PRIORITY_ALLOWED:
            return service.priority_allowed
        if role == OfferRole.OFFER:
            return service
        return None

    def _status_text(self, service: ServiceOutlook) -> str:
        if service.available or self._at is None:
            waiting = wording.waiting_text(self._tr, service.waiting)
            return f"{waiting} · {wording.wait_text(self._tr, service.wait, short=True)}"
        return wording.unavailable_text(self._tr, service, self._at)

    def roleNames(self) -> dict[int, QByteArray]:
        names: dict[int, QByteArray] = {
            role: QByteArray(role.name.lower().encode()) for role in OfferRole
        }
        return {Qt.ItemDataRole.DisplayRole: QByteArray(b"display"), **names}
