"""Settings of the channels that reach a visitor outside the hall: Web Push, SMS through a GSM
modem or an HTTP gateway, and WhatsApp.

The branch file is stored in the database, where every app's role can read it, so no secret
lives here: a key file's path or an environment variable's name stands for it instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator

from shared.config.fields import SETTINGS, Conflict, conflicts, rejected

# Placeholders the HTTP gateway's request may use, with a sample value each for the checks.
GATEWAY_PLACEHOLDERS = {"number": "+6281234567890", "text": "Nomor A012: \"3\" lagi",
                        "title": "Antrean", "key": "42", "secret": "s3cret"}


def _matching(pattern: str, hint: str) -> AfterValidator:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise rejected(hint)
        return value

    return AfterValidator(check)


ApiVersion = Annotated[str, _matching(r"v\d{1,3}\.\d{1,3}", "use the version as the API's "
                                      "path has it, e.g. v21.0")]
EnvironmentName = Annotated[str, Field(max_length=64), _matching(
    r"([A-Z_][A-Z0-9_]*)?", "use the name of an environment variable (capitals, digits and "
    "'_', e.g. ANTREAN_WHATSAPP_TOKEN)")]
PhoneNumberId = Annotated[str, _matching(r"\d{0,30}", "use the digits of the number's id "
                                         "from WhatsApp Manager")]
FilePath = Annotated[str, Field(max_length=260)]


def _missing(found: list[Conflict], value: str, key: str, example: str) -> None:
    if not value.strip():
        found.append(Conflict((key,), f'an enabled channel needs {key} = "{example}"'))


class WebPushSettings(BaseModel):
    """Web Push (VAPID) to the browser of a visitor who allowed notifications on the ticket's
    page; no phone number needed."""

    model_config = SETTINGS

    enabled: bool = Field(False, description="Send Web Push messages.")
    private_key_file: FilePath = Field("", description="The branch's VAPID key pair (PEM), made "
                                   "once with `antrean notify keys`; keep it readable by the "
                                   "notify worker only.")
    subject: str = Field("", max_length=200, description="Who sends, for the push services: "
                         "a mailto: address or an https:// page of the branch.")
    ttl_seconds: int = Field(3600, ge=0, le=2_419_200, description="How long a push service "
                             "keeps a message for a phone that is offline.")
    urgency: Literal["very-low", "low", "normal", "high"] = Field(
        "high", description="The urgency push services see; high wakes a sleeping phone.")
    timeout_seconds: float = Field(10, gt=0, le=120, description="How long one request to a "
                                   "push service may take.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        found: list[Conflict] = []
        if self.enabled:
            _missing(found, self.private_key_file, "private_key_file", "/etc/antrean/vapid.pem")
            if not re.fullmatch(r"(mailto:\S+@\S+|https://\S+)", self.subject):
                found.append(Conflict(("subject",), 'an enabled channel needs subject = '
                                      '"mailto:<address>" or "https://<page>"'))
        if found:
            raise conflicts(found)
        return self


class ModemSmsSettings(BaseModel):
    """SMS through a GSM modem on a serial port (AT commands, text mode)."""

    model_config = SETTINGS

    enabled: bool = Field(False, description="Send SMS through the modem.")
    port: FilePath = Field("", description="The modem's serial port (/dev/ttyUSB2, COM4).")
    baudrate: int = Field(115200, ge=1200, le=921600, description="The port's speed.")
    command_timeout_seconds: float = Field(5, gt=0, le=60, description="How long the modem "
                                           "may take to answer a plain command.")
    send_timeout_seconds: float = Field(60, gt=0, le=300, description="How long the network "
                                        "may take to confirm one SMS (+CMGS).")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        found: list[Conflict] = []
        if self.enabled:
            _missing(found, self.port, "port", "/dev/ttyUSB2")
        if found:
            raise conflicts(found)
        return self


class SmsGatewaySettings(BaseModel):
    """SMS through an HTTP gateway, whose request is described here. Templates may use
    {number} (E.164), {text}, {title}, {key} (the message's id, the same on every retry) and
    {secret} (the value of `secret_env`)."""

    model_config = SETTINGS

    enabled: bool = Field(False, description="Send SMS through the gateway.")
    method: Literal["GET", "POST", "PUT"] = Field("POST", description="The request's method.")
    url: str = Field("", max_length=500, description="The request's address; placeholders in "
                     "it are URL-encoded.")
    headers: dict[str, str] = Field(default_factory=dict, description="Extra request headers, "
                                    "each value a template.")
    body: Literal["none", "form", "json"] = Field("form", description="What the body is: "
                                                  "nothing, form fields or JSON.")
    body_template: str = Field("", max_length=2000, description="The body with placeholders: "
                               "form fields (to={number}&msg={text}, values URL-encoded) or a "
                               "JSON document (values JSON-escaped inside its strings).")
    secret_env: EnvironmentName = Field("", description="The environment variable holding the "
                                        "gateway's API key, for {secret}.")
    idempotency_header: str = Field("", max_length=64, description="A header the gateway "
                                    "takes as an idempotency key (Idempotency-Key); it gets "
                                    "the message's key, so a retry is never delivered twice.")
    success_status: list[int] = Field(default_factory=lambda: [200, 201, 202], min_length=1,
                                      description="HTTP statuses that mean accepted.")
    success_field: str = Field("", max_length=100, description="A field of the JSON answer "
                               "that must hold `success_value` (a dotted path: status, "
                               "data.0.ok); empty: the status alone decides.")
    success_value: str = Field("", max_length=100, description="What `success_field` must "
                               "hold, as text (true, OK, 0).")
    message_id_field: str = Field("", max_length=100, description="A field of the JSON answer "
                                  "holding the gateway's id for the message (dotted path).")
    timeout_seconds: float = Field(10, gt=0, le=120, description="How long one request may "
                                   "take.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        found: list[Conflict] = []
        if self.enabled:
            _missing(found, self.url, "url", "https://sms.example/send")
        found += _template_problems("url", self.url)
        for name, value in self.headers.items():
            if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", name):
                found.append(Conflict(("headers", name), "use letters, digits and '-'"))
            found += _template_problems(f"headers.{name}", value)
        found += _template_problems("body_template", self.body_template)
        if self.body == "json" and self.body_template:
            try:
                json.loads(fill_template(self.body_template, GATEWAY_PLACEHOLDERS, json_escape))
            except ValueError as error:
                found.append(Conflict(("body_template",), f"is not JSON once filled in: {error}"))
        if self.idempotency_header and not re.fullmatch(r"[A-Za-z0-9-]{1,64}",
                                                        self.idempotency_header):
            found.append(Conflict(("idempotency_header",), "use letters, digits and '-'"))
        if bool(self.success_field) != bool(self.success_value):
            found.append(Conflict(("success_field",), "set success_field and success_value "
                                  "together, or neither"))
        if found:
            raise conflicts(found)
        return self


class WhatsAppSettings(BaseModel):
    """The WhatsApp Business Cloud API. A free text reaches only a visitor who wrote to the
    branch's number in the last 24 hours; others need an approved template."""

    model_config = SETTINGS

    enabled: bool = Field(False, description="Send WhatsApp messages.")
    base_url: str = Field("https://graph.facebook.com", max_length=200, description="The "
                          "Graph API's address.")
    api_version: ApiVersion = Field("v21.0", description="The Graph API version in the "
                                    "path (v21.0).")
    phone_number_id: PhoneNumberId = Field("", description="The sending number's id in "
                                           "WhatsApp Manager (not the number itself).")
    token_env: EnvironmentName = Field("ANTREAN_WHATSAPP_TOKEN", description="The environment "
                                       "variable holding the access token.")
    template_name: str = Field("", max_length=512, description="An approved template with one "
                               "body parameter that gets the text; empty: a free text (only "
                               "within 24 hours of the visitor's last message).")
    template_language: str = Field("id", max_length=15, description="The template's language "
                                   "code.")
    timeout_seconds: float = Field(10, gt=0, le=120, description="How long one request may "
                                   "take.")

    @model_validator(mode="after")
    def _complete(self) -> Self:
        found: list[Conflict] = []
        if self.enabled:
            _missing(found, self.phone_number_id, "phone_number_id", "106540352242922")
            _missing(found, self.token_env, "token_env", "ANTREAN_WHATSAPP_TOKEN")
        if not re.fullmatch(r"https?://[^/\s]+(/\S*)?", self.base_url):
            found.append(Conflict(("base_url",), "use an address starting with https://"))
        if found:
            raise conflicts(found)
        return self


class ChannelSettings(BaseModel):
    """The channels that carry messages to visitors; each is off until enabled
    ([docs/channels.md](channels.md))."""

    model_config = SETTINGS

    web_push: WebPushSettings = Field(default_factory=WebPushSettings,
                                      description=WebPushSettings.__doc__)
    sms_modem: ModemSmsSettings = Field(default_factory=ModemSmsSettings,
                                        description=ModemSmsSettings.__doc__)
    sms_gateway: SmsGatewaySettings = Field(default_factory=SmsGatewaySettings,
                                            description=SmsGatewaySettings.__doc__)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings,
                                       description=WhatsAppSettings.__doc__)

    def enabled(self) -> list[str]:
        """The channels switched on, by the names [messages] uses: webpush, sms, whatsapp."""
        on = {"webpush": self.web_push.enabled,
              "sms": self.sms_modem.enabled or self.sms_gateway.enabled,
              "whatsapp": self.whatsapp.enabled}
        return [name for name, enabled in on.items() if enabled]

    @model_validator(mode="after")
    def _one_sms_way(self) -> Self:
        if self.sms_modem.enabled and self.sms_gateway.enabled:
            raise conflicts([Conflict(("sms_gateway", "enabled"), "SMS goes out one way: "
                                      "enable sms_modem or sms_gateway, not both")])
        return self


def json_escape(value: str) -> str:
    """A value as it goes inside a JSON string: quotes and control characters escaped."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def fill_template(
    template: str, values: dict[str, str], escape: Callable[[str], str] | None = None
) -> str:
    """The template with each {name} of `values` replaced, through `escape` if given. Other
    braces stay as they are, so a JSON body needs no doubling of them. One pass: a value that
    itself holds "{secret}" is not filled in again."""

    def value(found: re.Match[str]) -> str:
        if found[1] not in values:
            return found[0]
        return escape(values[found[1]]) if escape else values[found[1]]

    return re.sub(r"\{([a-z_]+)\}", value, template)


def _template_problems(key: str, template: str) -> list[Conflict]:
    unknown = sorted(set(re.findall(r"\{([a-z_]+)\}", template)) - set(GATEWAY_PLACEHOLDERS))
    if not unknown:
        return []
    allowed = ", ".join("{" + name + "}" for name in GATEWAY_PLACEHOLDERS)
    return [Conflict(tuple(key.split(".")), f"unknown placeholder {{{unknown[0]}}}; use "
                     f"{allowed}")]
