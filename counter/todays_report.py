"""Today's report from the supervisor board: made off the GUI thread, saved as a file, opened
in the system's browser.

Today is the branch's business day, taken from the store's clock in the branch's time zone,
so it is the same day the kiosk numbers tickets by. The page is the one `antrean report`
writes; it is saved under the user's cache folder (one file per branch and day, replaced on
each request) because a browser opens a file more reliably than a data URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_path
from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from shiboken6 import isValid

from counter.link import StoreLink
from shared.reporting.figures import compute_report
from shared.reporting.page import render_html
from shared.reporting.reading import read_report_rows
from shared.store.unit_of_work import UnitOfWork


def default_reports_folder() -> Path:
    return user_cache_path("antrean", appauthor=False) / "reports"


def open_in_browser(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass(frozen=True)
class ReportDelivery:
    """Where a report is saved and how it is shown; tests record what would be opened."""

    folder: Path
    open_file: Callable[[Path], bool]


def system_delivery() -> ReportDelivery:
    return ReportDelivery(default_reports_folder(), open_in_browser)


def write_todays_report(uow: UnitOfWork, folder: Path) -> Path:
    """Runs on the worker: read today's rows, draw the page, save it; returns the file."""
    today = uow.local_now().date()
    rows = read_report_rows(uow.session.connection(), uow.branch_code, today, today)
    page = render_html(compute_report(rows))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"laporan-{uow.branch_code}-{today:%Y-%m-%d}.html"
    path.write_text(page, encoding="utf-8")
    return path


class TodaysReport(QObject):
    """One report at a time: `make()` starts it; `done` or `failed` says how it ended."""

    started = Signal()
    done = Signal(object, bool)  # the saved file, whether a browser was opened on it
    failed = Signal(str)

    def __init__(
        self, link: StoreLink, delivery: ReportDelivery, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.link = link
        self.delivery = delivery
        self.making = False

    @property
    def can_make(self) -> bool:
        return self.link.online and not self.making

    def make(self) -> bool:
        if not self.can_make:
            return False
        self.making = True
        self.started.emit()
        folder = self.delivery.folder
        self.link.fetch(lambda uow: write_todays_report(uow, folder), self._written, self._failed)
        return True

    # The supervisor may sign out while the report is made: the board is gone, and the
    # browser is not opened for whoever uses the terminal next.
    def _written(self, path: Path) -> None:
        if isValid(self):
            self.making = False
            self.done.emit(path, bool(self.delivery.open_file(path)))

    def _failed(self, error: BaseException) -> None:
        if isValid(self):
            self.making = False
            self.failed.emit(f"{type(error).__name__}: {error}")
