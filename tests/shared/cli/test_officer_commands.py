"""`antrean officer`: passwords for supervisors, and lifting a lockout at the server."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.clock import CLOCK_ENV, ManualClock
from shared.domain.errors import AuthenticationFailed
from shared.services import officers
from shared.store.database import open_store
from tests.shared.cli.test_cli import antrean
from tests.support.actions import run
from tests.support.branches import SMALL_BRANCH
from tests.support.clocks import MONDAY_0900

# slow: commands in child processes
pytestmark = [pytest.mark.usefixtures("cheap_password_hashing"), pytest.mark.slow]


@pytest.fixture(autouse=True)
def commands_run_at_a_chosen_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CLOCK_ENV, MONDAY_0900.isoformat())


def test_a_supervisor_gets_a_password_and_a_locked_officer_is_unlocked(tmp_path: Path) -> None:
    config = tmp_path / "branch.toml"
    config.write_text(SMALL_BRANCH, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'a.db'}"
    base = ["--database", url]
    assert antrean(*base, "init", "--config", str(config))[0] == 0
    add = [*base, "officer", "add", "sri", "--name", "Sri", "--role", "supervisor", "--pin-stdin"]
    code, _, err = antrean(*add, stdin="9999\n")
    assert code == 2 and "at least 8 characters, not only digits" in err
    assert antrean(*add, stdin="SRI-9999\n")[0] == 0
    assert antrean(*base, "officer", "add", "ani", "--name", "Ani", "--pin-stdin",
                   stdin="4821\n")[0] == 0

    clock = ManualClock(MONDAY_0900)
    store = open_store(url, clock=clock)
    try:
        for _ in range(officers.LOCK_AFTER):
            with pytest.raises(AuthenticationFailed):
                run(store, officers.authenticate, "ani", "0000")
            clock.advance(10)
        with pytest.raises(AuthenticationFailed, match="locked"):
            run(store, officers.authenticate, "ani", "4821")
        code, out, _ = antrean(*base, "officer", "unlock", "ani")
        assert code == 0 and "ani may log in again" in out
        assert run(store, officers.authenticate, "ani", "4821").login == "ani"
    finally:
        store.dispose()
