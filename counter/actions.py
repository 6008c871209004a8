"""The officer's actions, their function keys, and which are allowed in which situation."""

from __future__ import annotations

from enum import StrEnum

from shared.domain.states import CounterState, TicketState
from shared.services.desk import DeskView


class Action(StrEnum):
    CALL_NEXT = "call_next"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    TRANSFER = "transfer"
    HOLD = "hold"
    RESUME_HELD = "resume_held"
    CALL_NUMBER = "call_number"
    PAUSE = "pause"  # pause when open, resume when paused
    CLOSE = "close"  # close when open or paused, open when closed
    LOG_OUT = "log_out"


# F1..F12, in the order the work flows; the buttons show the same map.
FUNCTION_KEYS: dict[Action, int] = {action: index + 1 for index, action in enumerate(Action)}


def enabled_actions(
    desk: DeskView | None, officer_id: int, *, online: bool, busy: bool
) -> frozenset[Action]:
    """What the officer may press now. Everything is off while offline or while an action
    is on its way (one press, one request); the engine checks again whatever we allow."""
    if not online or busy or desk is None:
        return frozenset()
    if desk.state == CounterState.CLOSED:
        return frozenset({Action.CLOSE, Action.LOG_OUT})
    if desk.officer_id != officer_id:
        return frozenset({Action.LOG_OUT})  # someone else has the counter now
    current = desk.current
    if desk.state == CounterState.PAUSED:
        allowed = {Action.PAUSE}
        if current is None and not desk.held:
            allowed.add(Action.CLOSE)
        return frozenset(allowed)
    allowed = set()
    if current is None:
        if desk.waiting_total:
            allowed |= {Action.CALL_NEXT, Action.CALL_NUMBER}
        if desk.held:
            allowed.add(Action.RESUME_HELD)
        allowed.add(Action.PAUSE)
        if not desk.held:
            allowed.add(Action.CLOSE)
    elif current.state == TicketState.CALLED:
        allowed |= {Action.START, Action.NO_SHOW}
        if current.call_count < desk.max_calls:
            allowed.add(Action.RECALL)
        elif desk.waiting_total:
            # Past the call limit, calling the next visitor marks this one a no-show.
            allowed |= {Action.CALL_NEXT, Action.CALL_NUMBER}
    elif current.state == TicketState.SERVING:
        allowed |= {Action.FINISH, Action.TRANSFER, Action.HOLD}
    return frozenset(allowed)
