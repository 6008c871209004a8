"""The channels to a visitor, one module each, and `build_channel` that makes one from the
branch's `[channels]` settings (docs/channels.md).

A channel's module is imported only when it is built, so a branch without a modem never
loads serial-port code and one without Web Push never loads the push libraries.
"""

from __future__ import annotations

import importlib
from typing import Any

from shared.config.notifying import ChannelSettings
from shared.notifying.channel import Channel

# Channel name -> the settings sections that can carry it, each with its module and class.
PROVIDERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "webpush": (("web_push", "webpush", "WebPushChannel"),),
    "sms": (("sms_modem", "sms_modem", "ModemSmsChannel"),
            ("sms_gateway", "sms_gateway", "SmsGatewayChannel")),
    "whatsapp": (("whatsapp", "whatsapp", "WhatsAppChannel"),),
}


class ChannelUnavailable(Exception):
    """The channel cannot be built: unknown, or not enabled in the settings."""


def build_channel(name: str, settings: ChannelSettings) -> Channel:
    """The channel called `name` (webpush, sms, whatsapp) as `settings` describe it. Secrets
    (access tokens, API keys) come from the environment variables the settings name; a
    missing one raises ChannelUnavailable."""
    if name not in PROVIDERS:
        raise ChannelUnavailable(f"unknown channel {name!r}; use one of "
                                 + ", ".join(PROVIDERS))
    for section, module_name, class_name in PROVIDERS[name]:
        section_settings = getattr(settings, section)
        if section_settings.enabled:
            module: Any = importlib.import_module(f"{__name__}.{module_name}")
            channel: Channel = getattr(module, class_name)(section_settings)
            return channel
    sections = " or ".join(f"[channels.{s}]" for s, _, _ in PROVIDERS[name])
    raise ChannelUnavailable(f"channel {name!r} is not enabled: set enabled = true in {sections}")
