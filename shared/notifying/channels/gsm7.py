"""The GSM 03.38 default alphabet: text as the septets an SMS carries, and how many it takes.

A modem in text mode with AT+CSCS="GSM" takes each character as its code in this alphabet,
one byte each. Characters of the extension table take two (escape and code); anything else
cannot go in a plain SMS.
"""

from __future__ import annotations

# Code 0x00 to 0x7F of the basic set; 0x1B is the escape to the extension table.
BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
ESCAPE = 0x1B
EXTENSION = {"\f": 0x0A, "^": 0x14, "{": 0x28, "}": 0x29, "\\": 0x2F, "[": 0x3C, "~": 0x3D,
             "]": 0x3E, "|": 0x40, "€": 0x65}
# Typographic characters an editor puts in, and the plain ones that mean the same.
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                       "…": "...", "\u00a0": " ", "\t": " "})
# Ctrl-Z ends the text in AT+CMGS, so Ξ (its code, 0x1A) cannot be typed to a modem.
UNSENDABLE = {"\x1a", "\x1b", "Ξ"}

_CODES = {char: code for code, char in enumerate(BASIC) if char not in UNSENDABLE}
SINGLE_SMS_SEPTETS = 160


class NotGsm7(ValueError):
    """The text has a character the GSM alphabet lacks."""


def encode(text: str) -> bytes:
    """The text's GSM codes, one byte per septet, typographic quotes and dashes made plain."""
    out = bytearray()
    for char in text.translate(PLAIN):
        if char in _CODES:
            out.append(_CODES[char])
        elif char in EXTENSION:
            out += bytes((ESCAPE, EXTENSION[char]))
        else:
            raise NotGsm7(f"{char!r} (U+{ord(char):04X}) is not in the GSM alphabet")
    return bytes(out)


def decode(codes: bytes) -> str:
    """The text back from GSM codes (what a phone shows)."""
    reverse = {code: char for char, code in EXTENSION.items()}
    chars, escaped = [], False
    for code in codes:
        if escaped:
            chars.append(reverse.get(code, " "))
            escaped = False
        elif code == ESCAPE:
            escaped = True
        else:
            chars.append(BASIC[code])
    return "".join(chars)
