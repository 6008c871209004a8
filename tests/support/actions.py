"""Calling service functions in tests the way the apps do: one transaction per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from shared.services import calling
from shared.services.runner import attempt
from shared.services.views import TicketView
from shared.store.database import Store

T = TypeVar("T")


def run(store: Store, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return attempt(store, "TST", lambda uow: action(uow, *args, **kwargs))


def called_next(store: Store, counter: int, officer: int, **kwargs: Any) -> TicketView:
    """Call next where someone waits: the test fails here if nobody was called."""
    view = run(store, calling.call_next, counter, officer, **kwargs)
    assert view is not None, f"nobody was called to counter {counter}"
    return view
