"""Keeps Python 3.11 alive under PySide6 6.12.0, which drops references it does not own: to
None on every call of a C++ method returning void (QPainter.drawText, QWidget.update, ...) and
to True on every signal emit (emit() returns True).

None and True start with a few thousand references; a screen that paints and signals many
times a second spends them in minutes, and Python aborts with "Fatal Python error:
none_dealloc" (or bool_dealloc). Python 3.12 made these objects immortal (a huge fixed count,
never freed); this does the same on 3.11 by adding 2**60 to their counts, which no lifetime of
painting can spend. A count is only touched after checking that the word at id(obj) really is
the count Python reports.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 60
GUARDED: tuple[object, ...] = (None, True, False)


def refcount_word(obj: object) -> ctypes.c_ssize_t | None:
    """The reference count field of `obj`, or None when this Python lays objects out otherwise."""
    word = ctypes.c_ssize_t.from_address(id(obj))
    # getrefcount counts its own argument once.
    return word if word.value == sys.getrefcount(obj) - 1 else None


def guard_singletons() -> bool:
    """Make None, True and False effectively immortal on Python < 3.12; True when they are."""
    if sys.version_info >= (3, 12):
        return True
    words = [refcount_word(obj) for obj in GUARDED]
    if any(word is None for word in words):
        return False
    for word in words:
        assert word is not None
        if word.value < RESERVE // 2:
            word.value += RESERVE
    return True
