"""`antrean regional head`: a regional head's password, hashed into the central database."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from shared.central import heads
from shared.cli.main import main
from shared.domain.errors import AuthenticationFailed
from shared.store.database import create_store_engine
from tests.support.branches import MONDAY_0800


@pytest.fixture(autouse=True)
def cheap_head_hashing() -> None:
    heads.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_a_head_is_added_and_signs_in_with_that_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'central.db'}"
    monkeypatch.setenv("ANTREAN_HEAD_PASSWORD", "kanwil-banten-9")
    assert main(["regional", "head", "kakanwil", "--central", url, "--name", "Kakanwil"]) == 0
    engine = create_store_engine(url)
    head = heads.authenticate_head(engine, "kakanwil", "kanwil-banten-9", MONDAY_0800)
    assert head == heads.RegionalHead("kakanwil", "Kakanwil")
    with pytest.raises(AuthenticationFailed):
        heads.authenticate_head(engine, "kakanwil", "kanwil-banten-8", MONDAY_0800)
    stored = engine.connect().execute(heads.heads_table.select()).one()
    assert "kanwil-banten-9" not in stored.secret_hash and stored.secret_hash.startswith("$argon2")
    engine.dispose()


def test_a_short_password_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTREAN_HEAD_PASSWORD", "12345678901")
    url = f"sqlite:///{tmp_path / 'central.db'}"
    assert main(["regional", "head", "kakanwil", "--central", url]) == 2
    assert "not only digits" in capsys.readouterr().err
