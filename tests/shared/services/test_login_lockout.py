"""Guessing PINs is slow and ends in a lockout; supervisors' and admins' credentials are strong;
only a higher role manages officers. On both databases, with the unit of work's clock."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.errors import AuthenticationFailed, NotAllowed
from shared.services import officers
from shared.store.database import Store
from shared.store.models import Event
from tests.conftest import PASSWORD, Staff
from tests.support.actions import run


def kinds(store: Store, officer_id: int) -> list[str]:
    with store.sessions() as session:
        rows = session.scalars(
            select(Event.kind).where(Event.officer_id == officer_id).order_by(Event.id)
        )
        return [k for k in rows if k != "officer.added"]


def wrong(store: Store, login: str = "ani") -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as failed:
        run(store, officers.authenticate, login, "0000")
    return failed.value


def test_thirty_wrong_pins_lock_the_officer_out_even_from_the_right_one(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    """The attack run: 30 wrong PINs, then the right one worked."""
    for _ in range(30):
        wrong(store)
        clock.advance(10)  # past each growing pause: only the lockout stops it now
    with pytest.raises(AuthenticationFailed, match="locked") as locked:
        run(store, officers.authenticate, "ani", "1234")
    assert locked.value.key == "login_locked"
    assert kinds(store, staff.ani)[: officers.LOCK_AFTER] == [
        *["officer.login_failed"] * (officers.LOCK_AFTER - 1), "officer.locked"
    ]
    clock.advance(officers.LOCK_MINUTES * 60)
    assert run(store, officers.authenticate, "ani", "1234").id == staff.ani


def test_each_wrong_pin_after_the_first_makes_the_next_try_wait_longer(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    assert wrong(store).key == "wrong_pin"
    assert wrong(store).key == "wrong_pin"  # a first slip costs no pause
    # Now even the right PIN waits 1 s; the pause is not a guess and is not counted.
    with pytest.raises(AuthenticationFailed, match="wait 1 s") as paused:
        run(store, officers.authenticate, "ani", "1234")
    assert paused.value.key == "login_wait"
    clock.advance(1)
    wrong(store)
    clock.advance(1)
    with pytest.raises(AuthenticationFailed, match="wait 1 s"):  # 2 s after the third
        run(store, officers.authenticate, "ani", "1234")
    clock.advance(1)
    assert run(store, officers.authenticate, "ani", "1234").id == staff.ani
    # A good PIN clears the count: two slips later there is again no pause.
    wrong(store)
    assert wrong(store).key == "wrong_pin"


def test_a_supervisor_unlocks_an_officer_but_an_officer_cannot(
    store: Store, staff: Staff, clock: ManualClock
) -> None:
    for _ in range(officers.LOCK_AFTER):
        wrong(store)
        clock.advance(10)
    with pytest.raises(NotAllowed, match="only a supervisor"):
        run(store, officers.unlock_officer, "ani", by=staff.budi)
    run(store, officers.unlock_officer, "ani", by=staff.sri)
    assert kinds(store, staff.ani)[-1] == "officer.unlocked"
    assert run(store, officers.authenticate, "ani", "1234").id == staff.ani


def test_supervisors_and_admins_need_a_password_not_a_pin(store: Store, staff: Staff) -> None:
    for role in ("supervisor", "admin"):
        for weak in ("1234", "12345678", "abc"):
            with pytest.raises(NotAllowed, match="at least 8 characters, not only digits"):
                run(store, officers.add_officer, f"new-{role}", "New", role, weak)
        run(store, officers.add_officer, f"new-{role}", "New", role, "kunci-cabang")
    with pytest.raises(NotAllowed, match="at least 8"):
        run(store, officers.set_secret, "sri", "9999")
    run(store, officers.add_officer, "dodi", "Dodi", "officer", "4321")  # officers keep PINs
    assert run(store, officers.authenticate, "sri", PASSWORD).id == staff.sri


def test_only_a_higher_role_adds_officers(store: Store, staff: Staff) -> None:
    with pytest.raises(NotAllowed, match="only a supervisor"):
        run(store, officers.add_officer, "dodi", "Dodi", "officer", "4321", by=staff.ani)
    run(store, officers.add_officer, "dodi", "Dodi", "officer", "4321", by=staff.sri)
    with pytest.raises(NotAllowed, match="admin may"):
        run(store, officers.add_officer, "eko", "Eko", "supervisor", PASSWORD, by=staff.sri)
    with pytest.raises(NotAllowed, match="admin may"):
        run(store, officers.add_officer, "adi", "Adi", "admin", PASSWORD, by=staff.sri)
    admin = run(store, officers.add_officer, "adi", "Adi", "admin", PASSWORD)
    run(store, officers.add_officer, "eko", "Eko", "supervisor", PASSWORD, by=admin.id)
    # Nor does anyone set a higher role's PIN; an officer sets their own.
    with pytest.raises(NotAllowed, match="only a supervisor"):
        run(store, officers.set_secret, "budi", "5678", by=staff.ani)
    with pytest.raises(NotAllowed, match="admin may"):
        run(store, officers.set_secret, "eko", "kunci-baru-1", by=staff.sri)
    run(store, officers.set_secret, "ani", "8765", by=staff.ani)
    assert run(store, officers.authenticate, "ani", "8765").id == staff.ani
