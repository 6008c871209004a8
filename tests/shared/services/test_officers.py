"""Officer log-in: argon2 hashes, one answer for unknown id and wrong PIN, bad input refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.services import officers
from shared.store.database import Store
from shared.store.models import Officer
from tests.conftest import Staff
from tests.support.actions import run


def test_right_pin_logs_in_and_the_hash_is_argon2(store: Store, staff: Staff) -> None:
    view = run(store, officers.authenticate, "ani", "1234")
    assert (view.login, view.role.value) == ("ani", "officer")
    with store.sessions() as session:
        stored = session.scalar(select(Officer.secret_hash).where(Officer.login == "ani"))
    assert stored is not None and stored.startswith("$argon2id$") and "1234" not in stored


def test_wrong_pin_and_unknown_id_get_the_same_answer(store: Store, staff: Staff) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        run(store, officers.authenticate, "ani", "9999")
    with pytest.raises(AuthenticationFailed) as unknown:
        run(store, officers.authenticate, "nobody", "1234")
    assert str(wrong.value) == str(unknown.value) == "wrong officer id or PIN"
    with pytest.raises(AuthenticationFailed):
        run(store, officers.authenticate, "ani", "x" * 10_000)


def test_changing_the_pin(store: Store, staff: Staff) -> None:
    run(store, officers.set_secret, "ani", "4321")
    with pytest.raises(AuthenticationFailed):
        run(store, officers.authenticate, "ani", "1234")
    assert run(store, officers.authenticate, "ani", "4321").login == "ani"


def test_bad_officer_input_is_refused_and_nothing_is_lost(store: Store, staff: Staff) -> None:
    with pytest.raises(NotAllowed, match="unknown role"):
        run(store, officers.add_officer, "dodi", "Dodi", "boss", "1234")
    with pytest.raises(NotAllowed, match="too long"):
        run(store, officers.add_officer, "dodi", "D" * 10_240, "officer", "1234")
    with pytest.raises(NotAllowed, match="taken"):
        run(store, officers.add_officer, "ani", "Ani Lagi", "officer", "1234")
    assert [o.login for o in run(store, officers.list_officers)] == ["ani", "budi", "citra", "sri"]
