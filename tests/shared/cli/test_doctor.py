"""`antrean doctor`: one line per check, and a failure where the PC's role needs the check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from shared.cli.doctor import (
    Finding,
    check_database,
    check_screen,
    check_serial,
    check_sound,
    verdicts,
    wait_for_database,
)
from shared.cli.main import main
from shared.store.database import Store, open_store


def server_clock(store: Store, ahead: timedelta = timedelta(0)) -> Callable[[], datetime]:
    """A PC clock that reads the database server's (plus `ahead`): the comparison must not
    depend on this machine's own clock, which a test run may have moved."""

    def now() -> datetime:
        if store.dialect != "postgresql":
            return datetime.now(UTC)  # SQLite: nothing to compare with
        with store.engine.connect() as connection:
            instant = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
        assert isinstance(instant, datetime)
        return instant + ahead

    return now


def test_the_database_answers_and_a_close_clock_passes(store: Store) -> None:
    found = check_database(store, "kiosk", 5.0, server_clock(store))
    assert [(f.check, f.ok) for f in found] == [("database", True), ("clock", True)]


@pytest.mark.postgres
def test_a_pc_clock_a_minute_off_the_servers_fails(postgres_url: str) -> None:
    store = open_store(postgres_url)
    try:
        ahead = check_database(store, "kiosk", 5.0, server_clock(store, timedelta(minutes=1)))
    finally:
        store.dispose()
    assert ahead[1].check == "clock" and not ahead[1].ok
    assert "ahead of the database server" in ahead[1].detail
    # A superuser login on a kiosk PC is named: the kiosk should log in as antrean_kiosk.
    assert "expected antrean_kiosk" in ahead[0].detail


def test_an_unreachable_database_fails_both_lines_and_waiting_gives_up() -> None:
    store = open_store("postgresql://nobody@127.0.0.1:9/antrean")
    try:
        found = check_database(store, "counter", 5.0)
        assert [f.ok for f in found] == [False, False]
        assert "cannot connect" in found[0].detail
        assert not wait_for_database(store, 0.3, pause=0.1)
    finally:
        store.dispose()


def test_serial_devices_must_open(tmp_path: Path) -> None:
    device = tmp_path / "ttyUSB0"
    device.write_bytes(b"")
    assert check_serial([str(device)], (str(tmp_path / "tty*"),)).ok
    missing = check_serial([str(tmp_path / "ttyUSB9")], ())
    assert not missing.ok and "ttyUSB9" in missing.detail


def test_no_sound_card_is_a_failure_for_the_display_only(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.write_text("--- no soundcards ---\n")
    finding = check_sound(cards)
    assert not finding.ok
    assert verdicts([finding], "display")[0].verdict == "FAIL"
    assert verdicts([finding], "counter")[0].verdict == "WARN"
    assert verdicts([Finding("sound", True, "card")], "display")[0].verdict == "PASS"


def test_the_screen_size_is_reported() -> None:
    assert check_screen(lambda: (1920, 1080)).detail == "1920x1080"
    assert not check_screen(lambda: None).ok


def test_the_command_exits_1_on_a_needed_failure(
    database_url: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    # The clock comparison is tested above; this machine's clock may have been moved.
    any_skew = ["--max-clock-skew", "1e10"]
    assert main(["--database", database_url, "doctor", "--database-only", *any_skew]) == 0
    with pytest.raises(SystemExit) as stopped:
        main(["--database", "postgresql://nobody@127.0.0.1:9/x", "doctor", "--role", "kiosk"])
    assert stopped.value.code == 1
    out = capsys.readouterr().out
    assert "PASS database" in out and "FAIL database cannot connect" in out
