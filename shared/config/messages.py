"""Which messages reach visitors outside the hall, when, and how fast each channel may send."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from shared.config.fields import SETTINGS

ChannelName = Literal["webpush", "sms", "whatsapp"]
MessageKind = Literal[
    "near", "called", "missed", "moved", "survey", "reminder_evening", "reminder_hour"
]
ALL_KINDS: list[MessageKind] = [
    "near", "called", "missed", "moved", "survey", "reminder_evening", "reminder_hour"
]


class MessageSettings(BaseModel):
    """Messages to visitors who opted in (docs/messages.md): the kinds sent, when, and the
    limits the notify worker keeps; the channels themselves are set up under `channels`."""

    model_config = SETTINGS

    kinds: list[MessageKind] = Field(
        default_factory=lambda: list(ALL_KINDS),
        description="The messages sent: near (the turn is near), called, missed (no-show, "
        "with until when the information desk can reinstate), moved (the window moved by "
        "more than queue.replan_notice_minutes), survey (after the visit), reminder_evening "
        "and reminder_hour (a booking's reminders).")
    near_people_ahead: int = Field(
        3, ge=0, le=100, description="'Your turn is near' once this many people or fewer are "
        "ahead; 0: not by count.")
    near_minutes_before: int = Field(
        15, ge=0, le=240, description="'Your turn is near' once the expected window opens "
        "within this many minutes; 0: not by time.")
    reminder_evening_hour: int = Field(
        19, ge=12, le=23, description="The hour (local, 12-23) of the evening before a "
        "booking at which its first reminder is sent.")
    reminder_minutes_before: int = Field(
        60, ge=5, le=720, description="The second reminder this long before a booking's slot.")
    webpush_per_minute: int = Field(
        1200, ge=1, le=100000, description="The most Web Push messages sent a minute (a "
        "token bucket: a burst of a tenth of it at once).")
    sms_per_minute: int = Field(
        30, ge=1, le=100000, description="The most SMS sent a minute; a GSM modem manages "
        "about 30.")
    whatsapp_per_minute: int = Field(
        600, ge=1, le=100000, description="The most WhatsApp messages sent a minute.")
    max_attempts: int = Field(
        30, ge=1, le=30, description="Attempts before a message is given up as failed and "
        "shown on the supervisor's board; with the backoff (at most 15 minutes apart) 30 "
        "ride out a gateway down for at least three hours (four on average).")
    retry_pile_up: int = Field(
        20, ge=1, le=10000, description="The supervisor is alerted when this many messages "
        "wait for a retry at once (a gateway down).")

    def per_minute(self, channel: str) -> int:
        """The channel's rate limit, in messages a minute."""
        limits = {"webpush": self.webpush_per_minute, "sms": self.sms_per_minute,
                  "whatsapp": self.whatsapp_per_minute}
        return limits.get(channel, self.sms_per_minute)

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        if len(set(self.kinds)) != len(self.kinds):
            raise ValueError("each kind of message may be named once")
        return self
