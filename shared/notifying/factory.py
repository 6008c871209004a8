"""Channels as the worker and the pages ask for them: a subscription names webpush, sms or
whatsapp; the branch's `[channels]` settings say which provider carries it. Building one is
`shared.notifying.channels.build_channel`; this adds what the opt-in needs to know."""

from __future__ import annotations

from shared.config.notifying import ChannelSettings
from shared.notifying.channel import Channel
from shared.notifying.channels import PROVIDERS, ChannelUnavailable, build_channel

CHANNELS = ("webpush", "sms", "whatsapp")

__all__ = ["CHANNELS", "ChannelUnavailable", "make_channel", "offered", "section_for"]


def section_for(name: str, settings: ChannelSettings) -> str | None:
    """The enabled settings section that carries channel `name`, or None."""
    for section, _module, _class in PROVIDERS.get(name, ()):
        if getattr(settings, section).enabled:
            return section
    return None


def offered(settings: ChannelSettings) -> tuple[str, ...]:
    """The channels a visitor may choose: those some enabled section carries."""
    return tuple(name for name in CHANNELS if section_for(name, settings) is not None)


def make_channel(name: str, settings: ChannelSettings) -> Channel:
    """The channel that sends a subscription's messages on `name` (ChannelUnavailable when
    the branch has not set it up)."""
    return build_channel(name, settings)
