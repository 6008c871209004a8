"""The display's item models: named roles, in-place updates, checked by qtmodeltester."""

from __future__ import annotations

from datetime import UTC, datetime, time

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from display.calls_model import KEPT_CALLS, LastCallsModel
from display.counters_model import CountersModel
from display.waits_model import ServiceWaitsModel
from shared.estimation.window import WaitEstimate
from shared.services.call_board import CounterNow, RecentCall
from shared.services.service_outlook import ServiceOutlook

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def desk(number: int, state: str = "open", label: str | None = None) -> CounterNow:
    return CounterNow(number, f"Loket {number}", state, "", label, "called" if label else None)


def call(event_id: int, label: str, counter: int = 1, recall: bool = False) -> RecentCall:
    return RecentCall(event_id, recall, label, "JHT", counter, f"Loket {counter}", AT)


def service(service_id: int, waiting: int, low: float = 600, high: float = 1500) -> ServiceOutlook:
    wait = WaitEstimate((low + high) / 2, low, high, 2)
    return ServiceOutlook(
        service_id=service_id, code=f"S{service_id}", prefix=chr(64 + service_id),
        name_id=f"Layanan {service_id}", name_en=f"Service {service_id}", priority=False,
        waiting=waiting, priority_allowed=True, wait=wait, issuing="open", earliest=None,
        quota_left=None, issuing_hours=(time(8), time(15)),
    )  # fmt: skip


def test_counters_model(qtmodeltester: ModelTester) -> None:
    model = CountersModel()
    model.set_counters([desk(1, label="A001"), desk(2, "closed"), desk(3, "paused")])
    qtmodeltester.check(model)
    assert model.rowCount() == 2  # nobody should walk up to a closed counter
    assert [model.value(r, "number") for r in range(2)] == [1, 3]
    assert model.value(0, "ticket") == "A001"
    assert model.value(1, "state") == "paused"
    assert b"ticketState" in model.roleNames().values()


def test_a_changed_counter_is_updated_in_place(qtbot: QtBot) -> None:
    model = CountersModel()
    model.set_counters([desk(1), desk(2)])
    with (
        qtbot.waitSignal(model.dataChanged) as changed,
        qtbot.assertNotEmitted(model.modelReset),
    ):
        model.set_counters([desk(1), desk(2, label="B004")])
    assert changed.args[0].row() == 1
    with qtbot.waitSignal(model.modelReset):
        model.set_counters([desk(1), desk(2), desk(3)])
    assert model.rowCount() == 3


def test_last_calls_model(qtmodeltester: ModelTester) -> None:
    model = LastCallsModel()
    model.set_calls([call(5, "A002", 2), call(4, "A001", 1, recall=True), call(3, "A001")])
    qtmodeltester.check(model)
    # A ticket called again is listed once, at its latest call.
    assert [model.value(r, "ticket") for r in range(model.rowCount())] == ["A002", "A001"]
    assert model.value(1, "recall") is True
    assert model.value(0, "counterName") == "Loket 2"
    model.set_calls([call(n, f"A{n:03d}") for n in range(20, 0, -1)])
    assert model.rowCount() == KEPT_CALLS


def test_service_waits_model(qtmodeltester: ModelTester) -> None:
    model = ServiceWaitsModel()
    model.set_rows([service(1, 4), service(2, 0, 0, 200)])
    qtmodeltester.check(model)
    assert model.value(0, "waitText") == "10–25 menit"
    assert model.value(0, "waitTextEn") == "10–25 min"
    assert (model.value(0, "lowMinutes"), model.value(0, "highMinutes")) == (10, 25)
    assert model.value(1, "waitText") == "< 3 menit"
    assert model.value(0, "waiting") == 4
    assert "Layanan 1" in model.data(model.index(0, 0))
