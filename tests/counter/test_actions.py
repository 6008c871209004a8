"""Which actions the desk offers in each situation (pure: no store, no widgets)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from counter.actions import FUNCTION_KEYS, Action, enabled_actions
from shared.services.desk import CurrentTicket, DeskView, HeldTicket, ServiceChoice

A = Action
NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
JHT = ServiceChoice("JHT", "A", "Klaim JHT", "JHT claim")
ME, SOMEONE_ELSE = 7, 8


def desk(**changes: Any) -> DeskView:
    view = DeskView(
        at=NOW,
        counter_number=1,
        counter_name="Loket 1",
        state="open",
        state_since=NOW,
        pause_reason="",
        officer_id=ME,
        officer_name="Ani",
        current=None,
        held=(),
        queue=(),
        waiting_total=2,
        services=(JHT,),
        all_services=(JHT,),
        max_calls=3,
        figures=None,
    )
    return replace(view, **changes)


def at_counter(state: str, calls: int = 1) -> CurrentTicket:
    return CurrentTicket("A001", JHT, state, False, NOW, NOW, None, calls, "")


def allowed(view: DeskView | None, online: bool = True, busy: bool = False) -> set[Action]:
    return set(enabled_actions(view, ME, online=online, busy=busy))


def test_every_action_has_its_own_function_key() -> None:
    assert sorted(FUNCTION_KEYS.values()) == list(range(1, 13))
    assert FUNCTION_KEYS[A.CALL_NEXT] == 1


def test_nothing_while_offline_busy_or_unread() -> None:
    assert allowed(desk(), online=False) == set()
    assert allowed(desk(), busy=True) == set()
    assert allowed(None) == set()


def test_idle_open_counter() -> None:
    assert allowed(desk()) == {A.CALL_NEXT, A.CALL_NUMBER, A.PAUSE, A.CLOSE}
    assert allowed(desk(waiting_total=0)) == {A.PAUSE, A.CLOSE}


def test_called_and_serving() -> None:
    assert allowed(desk(current=at_counter("called"))) == {A.RECALL, A.START, A.NO_SHOW}
    assert allowed(desk(current=at_counter("called", calls=3))) == {
        A.START,
        A.NO_SHOW,
        A.CALL_NEXT,
        A.CALL_NUMBER,
    }
    assert allowed(desk(current=at_counter("called", calls=3), waiting_total=0)) == {
        A.START,
        A.NO_SHOW,
    }
    assert allowed(desk(current=at_counter("serving"))) == {A.FINISH, A.TRANSFER, A.HOLD}


def test_held_tickets_block_closing_but_not_serving() -> None:
    held = (HeldTicket("A001", JHT, NOW),)
    assert allowed(desk(held=held)) == {A.CALL_NEXT, A.CALL_NUMBER, A.RESUME_HELD, A.PAUSE}
    assert allowed(desk(state="paused", held=held)) == {A.PAUSE}


def test_paused_closed_and_someone_elses_counter() -> None:
    assert allowed(desk(state="paused")) == {A.PAUSE, A.CLOSE}
    assert allowed(desk(state="closed", officer_id=None)) == {A.CLOSE, A.LOG_OUT}
    assert allowed(desk(officer_id=SOMEONE_ELSE)) == {A.LOG_OUT}
