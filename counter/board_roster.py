"""The supervisor board's roster (planned absences and breaks per counter) and its alerts
(silent counters, waits past target, windows at risk): models with named roles and the
dialog that adds an entry."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QObject, QTime
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QTimeEdit, QWidget

from counter.desk_dialogs import FormDialog
from counter.table_model import Column, Role, RowTableModel
from counter.wording import clock_time
from shared.i18n import Translator
from shared.services.alerts import Alert
from shared.services.roster import REASONS, RosterLine


class RosterModel(RowTableModel[RosterLine]):
    def __init__(self, tr: Translator, zone: ZoneInfo, parent: QObject | None = None) -> None:
        def day(r: RosterLine) -> str:
            return r.day.strftime("%d/%m")

        def hours(r: RosterLine) -> str:
            return f"{clock_time(r.starts_at, zone)}–{clock_time(r.ends_at, zone)}"

        super().__init__(
            [
                Column(tr("counter.roster.day"), day),
                Column(tr("counter.board.counter"), lambda r: r.counter_name),
                Column(tr("counter.roster.hours"), hours),
                Column(tr("counter.roster.reason"), lambda r: tr(f"counter.roster.{r.reason}")),
                Column(tr("counter.roster.note"), lambda r: r.note),
            ],
            [
                Role("entryId", lambda r: r.id),
                Role("counter", lambda r: r.counter_number),
                Role("day", lambda r: r.day.isoformat()),
                Role("startsAt", lambda r: r.starts_at),
                Role("endsAt", lambda r: r.ends_at),
                Role("reason", lambda r: r.reason),
                Role("note", lambda r: r.note),
            ],
            parent,
        )


def warning_text(tr: Translator, alert: Alert) -> str:
    return tr(
        f"counter.warning.{alert.kind}",
        number=alert.counter_number or 0,
        code=alert.service_code or "",
        minutes=alert.minutes,
        visitors=alert.visitors,
        limit=alert.limit,
    )


class WarningsModel(RowTableModel[Alert]):
    """What needs the supervisor now, one sentence each."""

    def __init__(self, tr: Translator, parent: QObject | None = None) -> None:
        super().__init__(
            [Column(tr("counter.warning.what"), lambda a: warning_text(tr, a))],
            [
                Role("kind", lambda a: a.kind),
                Role("counter", lambda a: a.counter_number),
                Role("service", lambda a: a.service_code),
                Role("minutes", lambda a: a.minutes),
                Role("visitors", lambda a: a.visitors),
            ],
            parent,
        )


class RosterDialog(FormDialog):
    """Counter, day, from, to, why: one planned absence or break."""

    def __init__(
        self,
        tr: Translator,
        counters: tuple[tuple[int, str], ...],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr, tr("counter.roster.add_title"), parent)
        self.counter = QComboBox()
        self.counter.setObjectName("rosterCounter")
        for number, name in counters:
            self.counter.addItem(name, number)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setObjectName("rosterDay")
        self.day.setMinimumDate(QDate(today.year, today.month, today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.start = QTimeEdit(QTime(12, 0))
        self.start.setObjectName("rosterStart")
        self.end = QTimeEdit(QTime(13, 0))
        self.end.setObjectName("rosterEnd")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(lambda _t: self.update_ok())
        self.reason = QComboBox()
        self.reason.setObjectName("rosterReason")
        for reason in REASONS:
            self.reason.addItem(tr(f"counter.roster.{reason}"), reason)
        self.note = QLineEdit()
        self.note.setObjectName("rosterNote")
        self.note.setMaxLength(200)
        self.form.addRow(tr("counter.board.counter"), self.counter)
        self.form.addRow(tr("counter.roster.day"), self.day)
        self.form.addRow(tr("counter.roster.from"), self.start)
        self.form.addRow(tr("counter.roster.to"), self.end)
        self.form.addRow(tr("counter.roster.reason"), self.reason)
        self.form.addRow(tr("counter.roster.note"), self.note)
        self.update_ok()

    def complete(self) -> bool:
        return self.counter.count() > 0 and self.end.time() > self.start.time()

    def values(self) -> tuple[int, date, time, time, str, str]:
        day = self.day.date()
        start, end = self.start.time(), self.end.time()
        return (
            int(self.counter.currentData()),
            date(day.year(), day.month(), day.day()),
            time(start.hour(), start.minute()),
            time(end.hour(), end.minute()),
            str(self.reason.currentData()),
            self.note.text(),
        )
