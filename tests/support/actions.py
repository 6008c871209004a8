"""Calling service functions in tests the way the apps do: one transaction per call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from shared.services.runner import attempt
from shared.store.database import Store

T = TypeVar("T")


def run(store: Store, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return attempt(store, "TST", lambda uow: action(uow, *args, **kwargs))
