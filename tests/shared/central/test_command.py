"""`antrean central add-branch / status / remove-branch / migrate` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.cli.main import main
from shared.services import issuing
from tests.shared.central.replicas import Replicated, differences
from tests.support.actions import run
from tests.support.branches import MONDAY_0800


@pytest.mark.postgres
@pytest.mark.slow
def test_the_commands_add_show_migrate_and_remove_a_branch(
    replicated: Replicated, capsys: pytest.CaptureFixture[str]
) -> None:
    region = replicated
    central = ["--central", region.central_url]
    assert main(["central", "add-branch", *central, "--branch-code", "tst",
                 "--branch", region.branch_url]) == 0
    assert "Branch TST refreshed: copy antrean_branch_tst" in capsys.readouterr().out
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    assert differences(region) == {}

    assert main(["central", "status", *central]) == 0
    shown = capsys.readouterr().out
    assert "TST" in shown and "up" in shown

    assert main(["central", "migrate", *central]) == 0
    assert "1 copies migrated" in capsys.readouterr().out

    assert main(["central", "remove-branch", *central, "--branch-code", "TST", "--branch",
                 region.branch_url, "--drop-data"]) == 0
    assert "subscription dropped, slot dropped, copy dropped" in capsys.readouterr().out
    assert main(["central", "status", *central]) == 0
    assert "replicates no branch" in capsys.readouterr().out


def test_a_sqlite_branch_is_told_it_cannot_publish(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["central", "add-branch", "--central", "postgresql://postgres@central/postgres",
                 "--branch-code", "TST", "--branch", "sqlite:///branch.db"]) == 2
    assert "SQLite branch cannot publish" in " ".join(capsys.readouterr().err.split())


def test_without_a_central_server_the_command_says_how_to_name_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTREAN_CENTRAL_URL", raising=False)
    assert main(["central", "status"]) == 2
    assert "--central URL" in capsys.readouterr().err


@pytest.mark.postgres
@pytest.mark.slow
def test_the_report_of_branches_reads_their_copies(
    replicated: Replicated, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = replicated
    for _ in range(3):
        run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    day = MONDAY_0800.date().isoformat()
    out = tmp_path / "wilayah.html"
    assert main(["report", "--branches", "tst", "--central", region.central_url, "--from", day,
                 "--to", day, "--out", str(out), "--csv", str(tmp_path / "csv")]) == 0
    assert "Report of 1 branches, 3 tickets together" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert "Laporan Pelayanan Wilayah" in page and "TST" in page
    assert (tmp_path / "csv" / "TST").is_dir() and (tmp_path / "csv" / "combined").is_dir()

    assert main(["report", "--branches", "TST,XYZ", "--central", region.central_url, "--from",
                 day, "--to", day, "--out", str(out)]) == 2
    assert "antrean central add-branch" in " ".join(capsys.readouterr().err.split())
