"""`antrean roster add/list/remove` as a user types it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from shared.cli.main import main
from shared.cli.status import _with_alerts, render
from shared.clock import CLOCK_ENV, ManualClock
from shared.services import counters
from shared.services.issuing import issue_ticket
from shared.services.runner import attempt
from shared.store.database import Store
from tests.conftest import Staff
from tests.support.actions import run
from tests.support.branches import SMALL_BRANCH
from tests.support.clocks import MONDAY_0900


@pytest.fixture(autouse=True)
def commands_run_at_a_chosen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLOCK_ENV, MONDAY_0900.isoformat())


def test_roster_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "branch.toml"
    config.write_text(SMALL_BRANCH, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", url, "init", "--config", str(config)]) == 0
    assert main(["--database", url, "roster", "add", "2", "09:00", "12:00", "--reason",
                 "training", "--note", "pelatihan JMO"]) == 0
    assert main(["--database", url, "roster", "add", "3", "11:30", "13:00", "--day",
                 "2026-11-27", "--reason", "prayer"]) == 0
    capsys.readouterr()
    assert main(["--database", url, "roster", "list"]) == 0
    today = capsys.readouterr().out
    assert "pelatihan JMO" in today and "09:00" in today and "prayer" not in today
    assert main(["--database", url, "roster", "list", "--days", "7"]) == 0
    assert "prayer" in capsys.readouterr().out
    # An absence ending before it starts is refused with a message.
    assert main(["--database", url, "roster", "add", "1", "12:00", "11:00"]) != 0
    assert main(["--database", url, "roster", "remove", "1"]) == 0
    capsys.readouterr()
    assert main(["--database", url, "roster", "list"]) == 0
    assert "pelatihan" not in capsys.readouterr().out
    assert main(["--database", url, "roster", "remove", "1"]) != 0


def test_status_shows_the_supervisors_alerts(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    run(store, counters.open_counter, 1, staff.ani)
    for _ in range(5):
        run(store, issue_ticket, "JHT")
    clock.advance(timedelta(minutes=25))
    console = Console(record=True, width=160)
    console.print(render(*attempt(store, "TST", _with_alerts, read_only=True)))
    text = console.export_text()
    assert "! Loket 1 belum memanggil selama 25 menit; 5 orang menunggu layanannya" in text


def test_plan_reports_where_the_roster_falls_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "branch.toml"
    config.write_text(SMALL_BRANCH, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", url, "init", "--config", str(config)]) == 0
    # JHT is served by counters 1, 2 and 3; counter 2 is in training 09:00-12:00.
    assert main(["--database", url, "roster", "add", "2", "09:00", "12:00", "--reason",
                 "training"]) == 0
    forecast = tmp_path / "forecast.csv"
    forecast.write_text("hour,service,arrivals,mean_service_minutes\n"
                        + "".join(f"{h},JHT,20,6\n" for h in range(8, 13)))
    capsys.readouterr()
    assert main(["--database", url, "plan", "--forecast", str(forecast), "--plot",
                 str(tmp_path / "plan.png"), "--day", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "Roster 2026-11-23: short by 1 counter for JHT 09:00–12:00" in out
    assert out.count("short by") == 1
