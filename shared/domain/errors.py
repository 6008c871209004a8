"""Domain errors: each says plainly what went wrong, for the officer, kiosk or admin to read."""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A request the rules refuse. Nothing was changed.

    The message is English, for logs and the command line. `key` names the same message in
    assets/translations/errors.toml (`error.<key>`), filled from `values`, so an app can say
    it in its user's language (`shared.i18n.explain`).
    """

    def __init__(self, message: str = "", *, key: str = "", **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class NotFound(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class NotAllowed(DomainError):
    """The actor's role or counter does not permit this action."""


class AuthenticationFailed(DomainError):
    pass


class IssuingClosed(DomainError):
    """No ticket can be issued now; `reason` and `earliest` say why and when it can."""

    def __init__(self, message: str, reason: str, earliest: datetime | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.earliest = earliest
