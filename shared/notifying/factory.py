"""Channels built from the branch's settings: a subscription names webpush, sms or whatsapp;
the branch's `channels` section says which provider carries it.

Each provider is a class in `shared.notifying.channels` built from its settings section
(PROVIDERS); it is imported only when enabled, so a branch without a modem never loads
serial-port code.
"""

from __future__ import annotations

import importlib
from typing import Any

from shared.config.notifying import ChannelSettings
from shared.notifying.channel import Channel

CHANNELS = ("webpush", "sms", "whatsapp")
# The settings sections that can carry each channel, the preferred first.
SECTIONS: dict[str, tuple[str, ...]] = {
    "webpush": ("web_push",),
    "sms": ("sms_modem", "sms_gateway"),
    "whatsapp": ("whatsapp",),
}


# Settings section -> (module in shared.notifying.channels, the class built from the section).
PROVIDERS: dict[str, tuple[str, str]] = {
    "web_push": ("webpush", "WebPushChannel"),
    "sms_modem": ("sms_modem", "ModemSmsChannel"),
    "sms_gateway": ("sms_gateway", "SmsGatewayChannel"),
    "whatsapp": ("whatsapp", "WhatsAppChannel"),
}


class ChannelUnavailable(Exception):
    """The branch has not set up the channel a subscription names."""


def section_for(name: str, settings: ChannelSettings) -> str | None:
    """The enabled settings section that carries channel `name`, or None."""
    for section in SECTIONS.get(name, ()):
        if getattr(settings, section).enabled:
            return section
    return None


def offered(settings: ChannelSettings) -> tuple[str, ...]:
    """The channels a visitor may choose: those some enabled section carries."""
    return tuple(name for name in CHANNELS if section_for(name, settings) is not None)


def make_channel(name: str, settings: ChannelSettings) -> Channel:
    """The channel that sends a subscription's messages on `name`."""
    section = section_for(name, settings)
    if section is None:
        raise ChannelUnavailable(f"channel {name!r} is not enabled in the branch's settings")
    module_name, class_name = PROVIDERS[section]
    module: Any = importlib.import_module(f"shared.notifying.channels.{module_name}")
    channel: Channel = getattr(module, class_name)(getattr(settings, section))
    return channel
