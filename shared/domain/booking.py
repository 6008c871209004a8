"""Online bookings (antrean online): who may book, and codes a person can type at the kiosk.

A booking code is the key to its booking, so it must be unguessable; it must also be easy to
type on a touch keyboard. Ten characters from a 31-letter alphabet without look-alikes (no
0/O, 1/I/L) give 31^10 ≈ 8e14 codes, and the web service limits how fast anyone guesses.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from shared.domain.errors import DomainError

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
NIK_DIGITS = 16


class BookingRefused(DomainError):
    """A booking that cannot be made or used as asked; the message says why and what to do."""

    def __init__(self, message: str, reason: str, at: datetime | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.at = at  # when check-in opens ("early") or closed ("expired"), local time


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCDE-FGHJK: two halves are easier to read out and to type."""
    return f"{code[:5]}-{code[5:]}"


def normalise_code(text: str) -> str:
    """What a visitor typed or a scanner read (maybe the booking's whole web address), as a code:
    case, spaces and dashes do not matter."""
    text = text.strip()
    if "/" in text:
        text = text.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[\s\-]", "", text).upper()


def is_code_shaped(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def check_nik(text: str) -> str:
    """The NIK (16 digits on the KTP), or a message saying what is wrong with it."""
    nik = re.sub(r"[\s.\-]", "", text)
    if not nik.isascii() or not nik.isdigit() or len(nik) != NIK_DIGITS:
        raise BookingRefused(
            "NIK harus 16 angka seperti di KTP / the NIK must be the 16 digits on your KTP",
            "nik",
        )
    if nik[6:12] == "000000" or int(nik[:2]) < 11:
        # Province codes start at 11 (Aceh); a zero birth date is never issued.
        raise BookingRefused(
            "NIK tidak valid / this is not a valid NIK; check the digits on your KTP", "nik"
        )
    return nik


def check_phone(text: str) -> str:
    """An Indonesian mobile number as +62..., from 08..., 628... or +628... with any spacing."""
    phone = re.sub(r"[\s.\-()]", "", text)
    if phone.startswith("+62"):
        phone = phone[1:]
    elif phone.startswith("0"):
        phone = "62" + phone[1:]
    if not re.fullmatch(r"628\d{7,11}", phone):
        raise BookingRefused(
            "Nomor HP tidak valid (contoh 0812 3456 7890) / "
            "give a mobile number such as 0812 3456 7890",
            "phone",
        )
    return "+" + phone
