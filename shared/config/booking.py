"""Settings of online booking (antrean online) and of the visitors' web pages."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

from shared.config.fields import SETTINGS, Conflict, ServiceCode, WebAddress, conflicts


class BookingRules(BaseModel):
    """Who may book what, how far ahead, and how much of each day stays for walk-ins."""

    model_config = SETTINGS

    enabled: bool = True
    services: list[ServiceCode] | None = None  # None: every service can be booked
    days_ahead: int = Field(7, ge=0, le=60)  # 0: today only
    slot_minutes: int = Field(30, ge=10, le=240)
    # Share of each slot's capacity kept for visitors who come without booking.
    walk_in_share: float = Field(0.5, ge=0.0, le=0.95)
    # A slot of today can be booked until this long before it starts.
    lead_minutes: int = Field(15, ge=0, le=240)
    checkin_early_minutes: int = Field(60, ge=0, le=240)
    checkin_late_minutes: int = Field(15, ge=0, le=240)


class WebSettings(BaseModel):
    """`antrean web`: where it listens, the address visitors reach it at, and its rate limits."""

    model_config = SETTINGS

    base_url: WebAddress = "http://localhost:8080"
    host: str = Field("127.0.0.1", min_length=1, max_length=253)
    port: int = Field(8080, ge=1, le=65535)
    # Per visitor address: new bookings per hour, survey answers per hour, and lookups of
    # unknown codes or tokens per minute (guessing).
    bookings_per_hour: int = Field(6, ge=1, le=10000)
    surveys_per_hour: int = Field(20, ge=1, le=10000)
    misses_per_minute: int = Field(20, ge=1, le=10000)
    # Behind a reverse proxy every request comes from the proxy; trust its X-Forwarded-For.
    trust_proxy: bool = False

    @model_validator(mode="after")
    def _no_trailing_slash(self) -> Self:
        if self.base_url.endswith("/"):
            raise conflicts([Conflict(("base_url",), "leave out the trailing '/'")])
        return self
