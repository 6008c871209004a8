"""Settings of online booking (antrean online) and of the visitors' web pages."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field, model_validator

from shared.config.fields import SETTINGS, Conflict, ServiceCode, WebAddress, conflicts


class BookingRules(BaseModel):
    """Who may book what, how far ahead, and how much of each day stays for walk-ins."""

    model_config = SETTINGS

    enabled: bool = Field(True, description="Whether visitors can book online.")
    services: list[ServiceCode] | None = Field(None, description="The services that can be "
                                               "booked; not set: every service.")
    days_ahead: int = Field(7, ge=0, le=60, description="How many days ahead a visitor can "
                            "book; 0: today only.")
    slot_minutes: int = Field(30, ge=10, le=240, description="Length of a booking slot.")
    walk_in_share: float = Field(0.5, ge=0.0, le=0.95, description="Share of each slot's "
                                 "capacity kept for visitors who come without booking.")
    lead_minutes: int = Field(15, ge=0, le=240, description="A slot of today can be booked "
                              "until this long before it starts.")
    checkin_early_minutes: int = Field(60, ge=0, le=240, description="How long before its slot "
                                       "a booking can be checked in at the kiosk.")
    checkin_late_minutes: int = Field(15, ge=0, le=240, description="How long after its slot "
                                      "ends a booking can still be checked in.")


class WebSettings(BaseModel):
    """`antrean web`: where it listens, the address visitors reach it at, and its rate limits."""

    model_config = SETTINGS

    base_url: WebAddress = Field("http://localhost:8080", description="The address visitors "
                                 "reach the pages at, without a trailing '/'.")
    host: str = Field("127.0.0.1", min_length=1, max_length=253, description="The address "
                      "`antrean web` listens on.")
    port: int = Field(8080, ge=1, le=65535, description="The port `antrean web` listens on.")
    bookings_per_hour: int = Field(6, ge=1, le=10000, description="New bookings per hour "
                                   "from one visitor address.")
    surveys_per_hour: int = Field(20, ge=1, le=10000, description="Survey answers per hour "
                                  "from one visitor address.")
    misses_per_minute: int = Field(20, ge=1, le=10000, description="Lookups of unknown codes "
                                   "or tokens per minute from one visitor address (guessing).")
    trust_proxy: bool = Field(False, description="Behind a reverse proxy every request comes "
                              "from the proxy: trust its X-Forwarded-For.")

    @model_validator(mode="after")
    def _no_trailing_slash(self) -> Self:
        if self.base_url.endswith("/"):
            raise conflicts([Conflict(("base_url",), "leave out the trailing '/'")])
        return self
