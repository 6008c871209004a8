"""The supervisor board's lists: counters, demand per service, missed visitors, alerts."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject

from counter.table_model import Column, Role, RowTableModel
from counter.wording import clock_time, counter_state, duration
from shared.i18n import Translator
from shared.printing.problems import staff_advice, state_words
from shared.services.demand import ServiceDemand
from shared.services.snapshot import KioskLine
from shared.services.supervision import BoardCounter, MissedTicket


def _name(tr: Translator, name_id: str, name_en: str) -> str:
    return name_en if tr.language == "en" else name_id


class CounterBoardModel(RowTableModel[BoardCounter]):
    """`elapsed()` is the time since the board was read: idle times keep running."""

    def __init__(
        self, tr: Translator, elapsed: Callable[[], float], parent: QObject | None = None
    ) -> None:
        def idle(c: BoardCounter) -> str:
            return "" if c.idle_seconds is None else duration(tr, c.idle_seconds + elapsed())

        def current(c: BoardCounter) -> str:
            if c.line.current_label is None:
                return ""
            return f"{c.line.current_label} ({tr('counter.ticket.' + str(c.line.current_state))})"

        def state(c: BoardCounter) -> str:
            text = counter_state(tr, c.line.state)
            return f"{text}: {c.line.pause_reason}" if c.line.pause_reason else text

        super().__init__(
            [
                Column(tr("counter.board.counter"), lambda c: c.line.name),
                Column(tr("counter.board.state"), state),
                Column(tr("counter.board.officer"), lambda c: c.line.officer_name or ""),
                Column(tr("counter.board.current"), current),
                Column(tr("counter.board.idle"), idle),
                Column(tr("counter.board.services"), lambda c: ", ".join(c.line.service_codes)),
            ],
            [
                Role("number", lambda c: c.line.number),
                Role("state", lambda c: c.line.state),
                Role("officer", lambda c: c.line.officer_name),
                Role("currentLabel", lambda c: c.line.current_label),
                Role("idleSeconds", lambda c: c.idle_seconds),
                Role("serviceCodes", lambda c: list(c.line.service_codes)),
            ],
            parent,
        )


class DemandModel(RowTableModel[ServiceDemand]):
    """Per service: the queue, the counters on it, and whether today's work fits the day."""

    def __init__(self, tr: Translator, zone: ZoneInfo, parent: QObject | None = None) -> None:
        def new_visitor(d: ServiceDemand) -> str:
            if d.new_visitor is None:
                return tr("counter.demand.not_today")
            low, _, high = d.new_visitor.minutes
            return tr("counter.demand.minutes_range", low=low, high=high)

        def promise(d: ServiceDemand) -> str:
            rate = d.promise.rate
            if rate is None:
                return "–"
            return tr("counter.demand.promise_rate", percent=round(100 * rate),
                      count=d.promise.decided)

        def needed(d: ServiceDemand) -> str:
            return "–" if d.counters_needed is None else str(d.counters_needed)

        def warning(d: ServiceDemand) -> str:
            if d.runs_past_closing:
                return tr("counter.demand.past_closing", count=d.unserved)
            if d.counters_open == 0 and d.waiting:
                return tr("counter.demand.no_counter")
            if d.counters_needed is not None and d.counters_needed > d.counters_open:
                return tr("counter.demand.short", count=d.counters_needed - d.counters_open)
            return ""

        super().__init__(
            [
                Column(
                    tr("counter.demand.service"),
                    lambda d: d.code,
                    lambda d: _name(tr, d.name_id, d.name_en),
                ),
                Column(tr("counter.demand.warning"), warning),
                Column(tr("counter.demand.waiting"), lambda d: str(d.waiting)),
                Column(tr("counter.demand.open"), lambda d: str(d.counters_open)),
                Column(tr("counter.demand.arrivals"), lambda d: str(d.arrivals_last_hour)),
                Column(tr("counter.demand.new_visitor"), new_visitor),
                Column(tr("counter.demand.done_at"), lambda d: clock_time(d.queue_done_at, zone)),
                Column(tr("counter.demand.needed"), needed),
                Column(tr("counter.demand.to_clear"), lambda d: str(d.counters_to_clear)),
                Column(tr("counter.demand.promise"), promise),
            ],
            [
                Role("code", lambda d: d.code),
                Role("name", lambda d: _name(tr, d.name_id, d.name_en)),
                Role("runsPastClosing", lambda d: d.runs_past_closing),
                Role("countersNeeded", lambda d: d.counters_needed),
                Role("countersOpen", lambda d: d.counters_open),
                Role("warning", warning),
                Role("promiseKept", lambda d: d.promise.rate),
            ],
            parent,
        )


class MissedModel(RowTableModel[MissedTicket]):
    def __init__(self, tr: Translator, zone: ZoneInfo, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(tr("counter.queue.number"), lambda m: m.label),
                Column(tr("counter.queue.service"), lambda m: m.service_code),
                Column(tr("counter.missed.at"), lambda m: clock_time(m.no_show_at, zone)),
                Column(tr("counter.missed.until"), lambda m: clock_time(m.reinstate_until, zone)),
            ],
            [Role("label", lambda m: m.label), Role("until", lambda m: m.reinstate_until)],
            parent,
        )


class AlertsModel(RowTableModel[KioskLine]):
    def __init__(self, tr: Translator, zone: ZoneInfo, parent: QObject | None = None) -> None:
        def state(k: KioskLine) -> str:
            text = printer_state_words(tr, k.printer_state)
            return text if k.accepting else f"{text} · {tr('counter.alerts.not_accepting')}"

        def detail(k: KioskLine) -> str:
            # The advice in the officer's language, then the stored printer, port and cause.
            advice = staff_advice(k.printer_state, tr.language)
            return " — ".join(part for part in (advice, k.detail) if part)

        super().__init__(
            [
                Column(tr("counter.alerts.kiosk"), lambda k: k.name),
                Column(tr("counter.alerts.printer"), state),
                Column(tr("counter.alerts.detail"), detail),
                Column(tr("counter.alerts.since"), lambda k: clock_time(k.updated_at, zone)),
            ],
            [
                Role("kiosk", lambda k: k.name),
                Role("printerState", lambda k: k.printer_state),
                Role("accepting", lambda k: k.accepting),
            ],
            parent,
        )


def printer_state_words(tr: Translator, state: str) -> str:
    """A kiosk's printer state in the officer's language."""
    return state_words(state, tr.language)
