"""What an HTTP provider's answer means for a retry: shared by the channels that speak HTTP."""

from __future__ import annotations

from email.utils import parsedate_to_datetime

import requests

from shared.notifying.channel import DeliveryFailed

# A provider that is down or overloaded will likely take the message later.
RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def retry_after_seconds(header: str | None, now_epoch: float | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date (RFC 9110)."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if now_epoch is None:
        return None  # a date needs a clock to compare with; the worker's backoff decides
    return max(0.0, when.timestamp() - now_epoch)


def retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUS or status >= 500


def unreachable(provider: str, error: requests.RequestException) -> DeliveryFailed:
    """A request that got no answer (connection refused, timeout): the provider may be back."""
    kind = "timed out" if isinstance(error, requests.Timeout) else "unreachable"
    return DeliveryFailed(f"{provider} {kind}: {type(error).__name__}", retry=True)


def short(text: str, limit: int = 200) -> str:
    """A provider's answer trimmed for a reason line (the board shows it)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
