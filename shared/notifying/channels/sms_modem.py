"""SMS through a GSM modem on a serial port, in AT commands (3GPP TS 27.005, text mode).

One SMS per message, of at most 160 GSM characters: text mode cannot join parts into one
long SMS (that needs PDU mode's user data header), and parts sent as separate SMS arrive
out of order and make a retry resend the parts that had gone. A longer text is refused
with the reason, so the message's wording is what changes.
"""

from __future__ import annotations

import re
import threading
import time

import serial

from shared.config.notifying import ModemSmsSettings
from shared.notifying.channel import DeliveryFailed, Message
from shared.notifying.channels import gsm7

CTRL_Z = b"\x1a"
ESC = b"\x1b"
# +CMS ERROR causes (TS 24.011, 27.005) that mean the number itself is wrong: unassigned,
# unidentified or unknown subscriber. Any other (network, SIM, 500 unknown) may pass later.
NUMBER_WRONG = frozenset({1, 28, 30})
FINAL = re.compile(rb"^(OK|ERROR|\+CM[ES] ERROR: ?(.*))$")


class ModemSmsChannel:
    name = "sms"

    def __init__(self, settings: ModemSmsSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()  # one conversation with the modem at a time

    def send(self, message: Message) -> str | None:
        number = message.address.strip()
        if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
            raise DeliveryFailed("not a phone number in E.164 form (+62...)", retry=False)
        text = message.text if not message.url else f"{message.text} {message.url}"
        try:
            codes = gsm7.encode(text)
        except gsm7.NotGsm7 as error:
            raise DeliveryFailed(f"cannot go by SMS: {error}", retry=False) from None
        if len(codes) > gsm7.SINGLE_SMS_SEPTETS:
            raise DeliveryFailed(f"text takes {len(codes)} GSM characters; one SMS carries "
                                 f"{gsm7.SINGLE_SMS_SEPTETS}", retry=False)
        with self._lock, self._open() as port:
            conversation = _Conversation(port, self._settings)
            for command in (b"AT", b"ATE0", b"AT+CMGF=1", b'AT+CSCS="GSM"'):
                conversation.command(command)
            return conversation.send_sms(number, codes)

    def _open(self) -> serial.Serial:
        try:
            return serial.Serial(self._settings.port, self._settings.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as error:
            raise DeliveryFailed(f"modem not reachable on {self._settings.port}: {error}",
                                 retry=True) from None


class _Conversation:
    """Commands and their answers on an open port; a buffer of what came back."""

    def __init__(self, port: serial.Serial, settings: ModemSmsSettings) -> None:
        self._port = port
        self._settings = settings
        self._buffer = b""
        port.reset_input_buffer()

    def command(self, command: bytes) -> list[bytes]:
        self._write(command + b"\r")
        lines, final = self._until_final(self._settings.command_timeout_seconds, command)
        if final != b"OK":
            raise DeliveryFailed(f"modem answered {final.decode(errors='replace')} to "
                                 f"{command.decode()}", retry=True)
        return lines

    def send_sms(self, number: str, codes: bytes) -> str | None:
        self._write(f'AT+CMGS="{number}"\r'.encode())
        refused = self._prompt(self._settings.command_timeout_seconds)
        if refused is not None:
            raise _refusal(refused)
        self._write(codes + CTRL_Z)
        lines, final = self._until_final(self._settings.send_timeout_seconds, b"AT+CMGS")
        if final != b"OK":
            raise _refusal(final)
        for line in lines:
            if line.startswith(b"+CMGS:"):
                return line.split(b":", 1)[1].strip().decode(errors="replace")
        return None

    def _write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError) as error:
            raise DeliveryFailed(f"modem write failed: {error}", retry=True) from None

    def _read(self) -> None:
        try:
            self._buffer += self._port.read(256)
        except (serial.SerialException, OSError) as error:
            raise DeliveryFailed(f"modem read failed: {error}", retry=True) from None

    def _prompt(self, timeout: float) -> bytes | None:
        """None once the "> " prompt came; else the modem's error instead of it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b">" in self._buffer:
                self._buffer = self._buffer.split(b">", 1)[1]
                return None
            for line in self._buffer.split(b"\n"):
                if FINAL.match(line.strip()):
                    return line.strip()
            self._read()
        self._write(ESC)  # leave the text prompt, should it come late
        raise DeliveryFailed("modem gave no '>' prompt for the text", retry=True)

    def _until_final(self, timeout: float, command: bytes) -> tuple[list[bytes], bytes]:
        """The information lines, then the final result (OK, ERROR, +CMS ERROR: n)."""
        deadline = time.monotonic() + timeout
        lines: list[bytes] = []
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                line = line.strip()
                if not line or line == command:  # blank, or our command echoed
                    continue
                if FINAL.match(line):
                    return lines, line
                lines.append(line)
            if time.monotonic() >= deadline:
                # After the text went out the SMS may have been sent all the same: a retry
                # risks a second one, which beats losing it.
                raise DeliveryFailed(f"modem did not answer {command.decode()} within "
                                     f"{timeout:g} s", retry=True)
            self._read()


def _refusal(final: bytes) -> DeliveryFailed:
    reason = f"modem: {final.decode(errors='replace')}"
    if _cause(final) in NUMBER_WRONG:
        return DeliveryFailed(f"{reason} (the number does not exist)", retry=False)
    return DeliveryFailed(reason, retry=True)


def _cause(final: bytes) -> int | None:
    found = FINAL.match(final)
    value = found[2] if found else None
    return int(value) if value and value.strip().isdigit() else None
