"""The admin command line, run as a user would: exit codes and messages."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.cli.demo import seed_demo, step
from shared.cli.main import main
from shared.clock import CLOCK_ENV, ManualClock
from shared.services.issuing import Admission, issue_ticket
from shared.services.snapshot import live_snapshot
from shared.store.database import Store, open_store
from shared.store.models import SurveyResponse, Ticket
from tests.support.actions import run
from tests.support.branches import SMALL_BRANCH
from tests.support.clocks import MONDAY_0900, environment_at

# slow: commands in child processes
pytestmark = [pytest.mark.usefixtures("cheap_password_hashing"), pytest.mark.slow]


@pytest.fixture(autouse=True)
def commands_run_at_a_chosen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in this process open their stores at the test's time too."""
    monkeypatch.setenv(CLOCK_ENV, MONDAY_0900.isoformat())


def antrean(*args: str, stdin: str = "") -> tuple[int, str, str]:
    """Run the real console script in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=environment_at(),
    )
    return result.returncode, result.stdout, result.stderr


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "branch.toml"
    path.write_text(SMALL_BRANCH, encoding="utf-8")
    return path


def test_help_lists_every_command() -> None:
    code, out, _ = antrean("--help")
    assert code == 0
    for command in ["init", "officer", "status", "demo-data", "demo", "report", "web"]:
        assert command in out


def test_init_then_reinit_updates_services_and_keeps_tickets(
    tmp_path: Path, config_file: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", url, "init", "--config", str(config_file)]) == 0
    store = open_store(url, clock=ManualClock(MONDAY_0900))
    assert run(store, issue_ticket, "JHT").label == "A001"
    changed = SMALL_BRANCH.replace('name_en = "JHT claim"', 'name_en = "Old-age savings claim"')
    changed = changed.replace('[[counters]]\nnumber = 4\nservices = ["RESET"]\n', "")
    changed = changed.replace('services = ["JKM", "JHT"]', 'services = ["JKM", "JHT", "RESET"]')
    config_file.write_text(changed, encoding="utf-8")
    code, out, _ = antrean("--database", url, "init", "--config", str(config_file))
    assert code == 0
    assert "services updated: JHT" in out and "counters retired: 4" in out
    snapshot = run(store, live_snapshot)
    assert snapshot.service("JHT").waiting == 1
    assert [c.number for c in snapshot.counters] == [1, 2, 3]
    assert run(store, issue_ticket, "JHT").label == "A002"
    store.dispose()


def test_bad_config_names_file_and_key_and_changes_nothing(
    tmp_path: Path, config_file: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", url, "init", "--config", str(config_file)]) == 0
    config_file.write_text(SMALL_BRANCH.replace('prefix = "B"', 'prefix = "A"'), encoding="utf-8")
    code, _, err = antrean("--database", url, "init", "--config", str(config_file))
    assert code == 2
    assert "branch.toml" in err and "prefix" in err
    store = open_store(url, clock=ManualClock(MONDAY_0900))
    assert run(store, live_snapshot).service("JKM").prefix == "B"
    store.dispose()


def test_officer_add_list_passwd_and_wrong_input(tmp_path: Path, config_file: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    base = ["--database", url]
    assert antrean(*base, "init", "--config", str(config_file))[0] == 0
    code, out, _ = antrean(
        *base, "officer", "add", "ani", "--name", "Ani", "--pin-stdin", stdin="4821\n"
    )
    assert code == 0 and "added" in out
    code, _, err = antrean(
        *base, "officer", "add", "ani", "--name", "Ani 2", "--pin-stdin", stdin="4821\n"
    )
    assert code == 2 and "taken" in err
    code, _, err = antrean(
        *base, "officer", "add", "x", "--name", "N" * 10_000, "--pin-stdin", stdin="4821\n"
    )
    assert code == 2 and "too long" in err
    code, _, err = antrean(
        *base, "officer", "add", "bo", "--name", "Bo", "--pin-stdin", stdin="12\n"
    )
    assert code == 2 and "at least 4" in err
    assert antrean(*base, "officer", "passwd", "ani", "--pin-stdin", stdin="9999\n")[0] == 0
    code, out, _ = antrean(*base, "officer", "list")
    assert code == 0 and "ani" in out and "Ani" in out and "Bo" not in out


def test_status_once_and_missing_branch(tmp_path: Path, config_file: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    code, _, err = antrean("--database", url, "status", "--once")
    assert code != 0 and ("antrean init" in err or "no such table" in err)
    assert main(["--database", url, "init", "--config", str(config_file)]) == 0
    code, text, _ = antrean("--database", url, "status", "--once")
    assert code == 0 and "Klaim JHT" in text and "Kantor Cabang Uji" in text


def test_plan_from_a_forecast_file_and_from_history(tmp_path: Path, config_file: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["--database", url, "init", "--config", str(config_file)]) == 0
    forecast = tmp_path / "forecast.csv"
    forecast.write_text("hour,service,arrivals,mean_service_minutes\n8,JHT,100,3\n")
    plot = tmp_path / "plan.png"
    code, out, _ = antrean(
        "--database",
        url,
        "plan",
        "--forecast",
        str(forecast),
        "--target-wait",
        "0.3333333",
        "--plot",
        str(plot),
    )
    # 100 an hour at 3 minutes is 5 Erlangs; 20 s target, 80 %: 8 counters (7 reach 74 %).
    assert code == 0 and "08:00 8" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    store = open_store(url, clock=ManualClock(MONDAY_0900))
    for _ in range(12):
        run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR)
    store.dispose()
    code, out, _ = antrean(
        "--database", url, "plan", "--history", "2020-01-01", "2100-01-01", "--plot", str(plot)
    )
    assert code == 0 and "Counters needed per hour" in out
    code, _, err = antrean("--database", url, "plan", "--history", "2020-01-01", "2020-01-02")
    assert code == 2 and "nothing to learn" in err


def test_demo_visitors_are_served_and_some_rate_the_visit(store: Store) -> None:
    random.seed(7)
    ids = seed_demo(store, "TST", 30, random.Random(7))
    officers_at = {1: ids["ani"], 2: ids["budi"], 3: ids["citra"]}
    for _ in range(40):
        for counter, officer in officers_at.items():
            step(store, "TST", counter, officer)
    with store.sessions() as session:
        answers = list(session.scalars(select(SurveyResponse.answers)))
        done = session.scalar(select(func.count()).where(Ticket.state == "done"))
    assert done and 0 < len(answers) < done
    assert {v for a in answers for v in a.values()} <= {2, 3, 4}
