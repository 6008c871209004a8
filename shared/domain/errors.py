"""Domain errors: each says plainly what went wrong, for the officer, kiosk or admin to read."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. Nothing was changed."""


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

    def __init__(self, message: str, reason: str, earliest: object | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.earliest = earliest
