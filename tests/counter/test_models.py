"""Every list of the counter app is a well-behaved Qt item model with named roles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.modeltest import ModelTester

from counter.board_models import AlertsModel, CounterBoardModel, DemandModel, MissedModel
from counter.queue_models import HeldTicketsModel, WaitingQueueModel
from shared.estimation.window import WaitEstimate
from shared.i18n import Language, Translator
from shared.printing.problems import HEALTH_STATES
from shared.services.demand import ServiceDemand
from shared.services.desk import HeldTicket, QueuedTicket, ServiceChoice
from shared.services.snapshot import CounterLine, KioskLine
from shared.services.supervision import BoardCounter, MissedTicket

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Jakarta")
JHT = ServiceChoice("JHT", "A", "Klaim JHT", "JHT claim")
JKM = ServiceChoice("JKM", "B", "Klaim JKM", "JKM claim")


def roles(model: QAbstractItemModel) -> set[bytes]:
    return {bytes(name.data()) for name in model.roleNames().values()}


def test_waiting_queue_model(qtmodeltester: ModelTester) -> None:
    tr = Translator("id")
    model = WaitingQueueModel(tr, lambda: NOW)
    rows = [
        QueuedTicket("A004", JHT, True, None, NOW - timedelta(minutes=3)),
        QueuedTicket("B001", JKM, False, NOW, NOW - timedelta(minutes=75)),
    ]
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert {b"label", b"serviceCode", b"priority", b"dueAt", b"queuedAt"} <= roles(model)
    texts = [[model.data(model.index(r, c)) for c in range(4)] for r in range(2)]
    assert texts == [
        ["A004", "Klaim JHT", "3 mnt", "prioritas"],
        ["B001", "Klaim JKM", "1 j 15 mnt", "antrean online"],
    ]
    assert model.data(model.index(1, 0), model.role("serviceCode")) == "JKM"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nomor"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    model.set_rows([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_held_tickets_model(qtmodeltester: ModelTester) -> None:
    model = HeldTicketsModel(Translator("en"), lambda: NOW)
    model.set_rows([HeldTicket("A002", JHT, NOW - timedelta(seconds=30))])
    qtmodeltester.check(model)
    assert [model.data(model.index(0, c)) for c in range(3)] == ["A002", "JHT claim", "< 1 min"]
    assert b"heldSince" in roles(model)


def test_board_models(qtmodeltester: ModelTester) -> None:
    tr = Translator("id")
    line = CounterLine(1, 2, "Loket 2", "paused", NOW, "Sholat", "Budi", None, None, ("JHT",))
    counters = CounterBoardModel(tr, lambda: 90.0)
    idle = CounterLine(2, 3, "Loket 3", "open", NOW, "", "Ani", None, None, ("JKM",))
    counters.set_rows([BoardCounter(line, None), BoardCounter(idle, 150.0)])
    qtmodeltester.check(counters)
    assert counters.data(counters.index(0, 1)) == "istirahat: Sholat"
    assert counters.data(counters.index(1, 4)) == "4 mnt"  # 150 s at the read, 90 s since
    assert counters.data(counters.index(0, 0), counters.role("number")) == 2

    demand = DemandModel(tr, ZONE)
    wait = WaitEstimate(900.0, 600.0, 1500.0, 2)
    demand.set_rows(
        [
            ServiceDemand(
                "JHT",
                "Klaim JHT",
                "JHT claim",
                4,
                2,
                6,
                700.0,
                wait,
                NOW + timedelta(hours=1),
                0,
                NOW + timedelta(hours=5),
                3,
                1,
            ),
            ServiceDemand(
                "JKM",
                "Klaim JKM",
                "JKM claim",
                2,
                0,
                1,
                1200.0,
                None,
                None,
                2,
                NOW + timedelta(hours=5),
                1,
                1,
            ),
        ]
    )
    qtmodeltester.check(demand)
    assert demand.data(demand.index(0, 1)) == "Kurang 1 loket"
    assert demand.data(demand.index(0, 5)) == "10–25 mnt"
    assert demand.data(demand.index(0, 6)) == "11:00"
    assert demand.data(demand.index(1, 1)) == "Melewati jam tutup (2 tak terjangkau)"
    assert demand.data(demand.index(1, 5)) == "tidak terlayani hari ini"

    missed = MissedModel(tr, ZONE)
    missed.set_rows([MissedTicket("A003", "JHT", NOW, NOW + timedelta(minutes=30))])
    qtmodeltester.check(missed)
    assert [missed.data(missed.index(0, c)) for c in range(4)] == ["A003", "JHT", "10:00", "10:30"]

    alerts = AlertsModel(tr, ZONE)
    alerts.set_rows([KioskLine("Anjungan 1", "offline", "", True, NOW)])
    qtmodeltester.check(alerts)
    assert alerts.data(alerts.index(0, 1)) == "printer offline atau tutupnya terbuka"
    assert {b"kiosk", b"printerState", b"accepting"} <= roles(alerts)


@pytest.mark.parametrize(
    ("language", "state", "detail"),
    [
        ("id", "printer menolak sambungan · tidak menerima pengunjung",
         "Printer menolak sambungan. Pastikan printer menyala dan tidak dipakai perangkat lain."
         " — printer 10.0.0.9:9100: Connection refused"),
        ("en", "printer refused the connection · not taking visitors",
         "The printer refused the connection. Make sure it is on and not in use elsewhere."
         " — printer 10.0.0.9:9100: Connection refused"),
    ],
)
def test_printer_alerts_are_in_the_officers_language(
    qtmodeltester: ModelTester, language: Language, state: str, detail: str
) -> None:
    alerts = AlertsModel(Translator(language), ZONE)
    stored = "printer 10.0.0.9:9100: Connection refused"  # what the kiosk stores: one line
    alerts.set_rows([KioskLine("Anjungan 1", "refused", stored, False, NOW)])
    qtmodeltester.check(alerts)
    assert [alerts.data(alerts.index(0, column)) for column in (1, 2)] == [state, detail]


def test_every_printer_state_a_kiosk_stores_is_worded(qtmodeltester: ModelTester) -> None:
    alerts = AlertsModel(Translator("id"), ZONE)
    alerts.set_rows([KioskLine("K", state, "", True, NOW) for state in HEALTH_STATES])
    words = [alerts.data(alerts.index(row, 1)) for row in range(len(HEALTH_STATES))]
    assert not set(words) & set(HEALTH_STATES)  # none left as a raw state
