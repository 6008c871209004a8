"""Text from outside (a form, a request, a command line): what a stored or looked-up field may
hold. People never type control characters, and PostgreSQL cannot store a NUL byte at all, so
such text is refused plainly at the edge instead of failing deep in the store."""

from __future__ import annotations

import unicodedata

# Cc: control characters (NUL, ESC, DEL, ...); Cs: lone surrogates, which JSON can carry
# ("\ud800") but no UTF-8 encoder accepts.
_UNPRINTABLE = frozenset(("Cc", "Cs"))
_LINE_BREAKS = frozenset("\n\r\t")


def has_unprintable(text: str, *, multiline: bool = False) -> bool:
    """True when `text` holds a control character or a lone surrogate; a multi-line field
    (a comment) may hold line breaks and tabs."""
    return any(
        unicodedata.category(c) in _UNPRINTABLE and not (multiline and c in _LINE_BREAKS)
        for c in text
    )


def printable(text: str) -> str:
    """`text` without control characters or lone surrogates: for what a device reports, which
    is recorded as it comes rather than refused (line breaks become spaces)."""
    return "".join(
        " " if c in _LINE_BREAKS else c
        for c in text
        if c in _LINE_BREAKS or unicodedata.category(c) not in _UNPRINTABLE
    )
