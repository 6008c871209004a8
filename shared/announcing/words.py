"""Numbers and letters as they are read aloud, in Bahasa Indonesia and English.

Each function returns separate words (not one string) because an announcement is assembled
from one recorded clip per word.
"""

from __future__ import annotations

# Ticket numbers run to six digits (shared/domain/labels.py), read as thousands of hundreds.
MAX_NUMBER = 999_999

_ID_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")

_EN_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# Indonesian letter names (ejaan): how an officer spells a ticket prefix aloud.
_ID_LETTERS = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha",
    "I": "i", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe",
    "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "u", "V": "fe", "W": "we", "X": "eks",
    "Y": "ye", "Z": "zet",
}  # fmt: skip

_EN_LETTERS = {
    "A": "ay", "B": "bee", "C": "cee", "D": "dee", "E": "ee", "F": "ef", "G": "gee",
    "H": "aitch", "I": "eye", "J": "jay", "K": "kay", "L": "el", "M": "em", "N": "en",
    "O": "oh", "P": "pee", "Q": "cue", "R": "ar", "S": "ess", "T": "tee", "U": "you",
    "V": "vee", "W": "double-u", "X": "ex", "Y": "why", "Z": "zed",
}  # fmt: skip

LETTERS = tuple(_ID_LETTERS)

# The whole vocabulary numbers are built from: one recorded clip each.
NUMBER_WORDS_ID = (
    *_ID_DIGITS,
    "sepuluh",
    "sebelas",
    "belas",
    "puluh",
    "seratus",
    "ratus",
    "seribu",
    "ribu",
)
NUMBER_WORDS_EN = (*_EN_UNITS, *_EN_TENS[2:], "hundred", "thousand")


def _check_range(n: int) -> None:
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} cannot be read aloud: numbers from 0 to {MAX_NUMBER} only")


def _check_letter(letter: str) -> str:
    upper = letter.upper()
    if upper not in _ID_LETTERS:
        raise ValueError(f"{letter!r} is not a letter A-Z")
    return upper


def number_words_id(n: int) -> list[str]:
    """`112` -> `["seratus", "dua", "belas"]`; 'se-' stands for 'satu' before a 10, 100, 1000."""
    _check_range(n)
    if n == 0:
        return ["nol"]
    thousands, rest = divmod(n, 1000)
    if thousands == 1:
        words = ["seribu"]
    elif thousands > 1:
        words = [*_below_thousand_id(thousands), "ribu"]
    else:
        words = []
    return words + _below_thousand_id(rest)


def _below_thousand_id(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_ID_DIGITS[hundreds], "ratus"]
    tens, units = divmod(rest, 10)
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif tens == 1:
        words += [_ID_DIGITS[units], "belas"]
    else:
        if tens > 1:
            words += [_ID_DIGITS[tens], "puluh"]
        if units:
            words.append(_ID_DIGITS[units])
    return words


def number_words_en(n: int) -> list[str]:
    """`112` -> `["one", "hundred", "twelve"]` (American style, without 'and')."""
    _check_range(n)
    if n == 0:
        return ["zero"]
    thousands, rest = divmod(n, 1000)
    words = [*_below_thousand_en(thousands), "thousand"] if thousands else []
    return words + _below_thousand_en(rest)


def _below_thousand_en(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words += [_EN_UNITS[hundreds], "hundred"]
    if rest >= 20:
        tens, units = divmod(rest, 10)
        words.append(_EN_TENS[tens])
        if units:
            words.append(_EN_UNITS[units])
    elif rest:
        words.append(_EN_UNITS[rest])
    return words


def letter_word_id(letter: str) -> str:
    return _ID_LETTERS[_check_letter(letter)]


def letter_word_en(letter: str) -> str:
    return _EN_LETTERS[_check_letter(letter)]
