"""Text that a thermal printer prints as written: one forced code page and safe stand-ins.

We force PC437 (ESC t 0): it is the power-on table of practically every ESC/POS printer,
including the cheap 58 mm ones, and Bahasa Indonesia needs nothing beyond ASCII. Letting
python-escpos guess a code page per character would send ESC t switches that many clones
ignore, which is how tickets end up with garbage in them.
"""

from __future__ import annotations

import unicodedata

from escpos.magicencode import Encoder

TICKET_CODE_PAGE = "CP437"
TICKET_CODE_PAGE_NUMBER = 0  # the n of ESC t n for PC437

_encoder = Encoder({TICKET_CODE_PAGE: TICKET_CODE_PAGE_NUMBER})

# Typographic characters that names and wording commonly carry, and their plain spelling.
_STAND_INS: dict[str, str] = {
    "\u2013": "-",  # en dash, as in "09:40–10:05"
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u00a0": " ",  # no-break space
    "\u2022": "*",  # bullet
    "\u20ac": "EUR",
    "\u2192": "->",
}

UNPRINTABLE = "?"


def _fits_code_page(char: str) -> bool:
    return _encoder.can_encode(TICKET_CODE_PAGE, char)


def _is_control(char: str) -> bool:
    # A stray ESC or GS inside a service name would otherwise be executed as a command.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}


def printable_text(text: str) -> str:
    """`text` rewritten so that every character prints correctly in the forced code page.

    Control characters become spaces, typographic marks get their ASCII spelling, accented
    letters missing from the code page lose their accent, and anything else becomes '?'.
    """
    printable: list[str] = []
    for char in text:
        if _is_control(char):
            printable.append(" ")
        elif char in _STAND_INS:
            printable.append(_STAND_INS[char])
        elif _fits_code_page(char):
            printable.append(char)
        else:
            printable.append(_folded(char))
    return "".join(printable)


def _folded(char: str) -> str:
    """The character without its diacritics (or its compatibility form), if that prints."""
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(part for part in decomposed if not unicodedata.combining(part))
    if base and all(_fits_code_page(part) and not _is_control(part) for part in base):
        return base
    return UNPRINTABLE


def encode_for_printer(text: str) -> bytes:
    """The bytes the printer receives for `text` (after `printable_text`)."""
    return _encoder.encode(printable_text(text), TICKET_CODE_PAGE, UNPRINTABLE)
