"""Online bookings (antrean online): who may book, and codes a person can type at the kiosk.

A booking code is the key to its booking, so it must be unguessable; it must also be easy to
type on a touch keyboard. Ten characters from a 31-letter alphabet without look-alikes (no
0/O, 1/I/L) give 31^10 ≈ 8e14 codes, and the web service limits how fast anyone guesses.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime

from shared.domain.errors import DomainError

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
NIK_DIGITS = 16


class BookingRefused(DomainError):
    """A booking that cannot be made or used as asked; the message says why and what to do."""

    def __init__(
        self, message: str, reason: str, at: datetime | None = None, **values: object
    ) -> None:
        super().__init__(message)
        self.values = values  # fill the translated refusal's placeholders
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


# The two-digit province codes of Kemendagri (Aceh 11 ... Papua); a NIK starts with one. The
# Papua codes 91-96 include the provinces created in 2022.
PROVINCE_CODES = frozenset(
    (11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53,
     61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96)
)


def check_nik(text: str) -> str:
    """The NIK (16 digits on the KTP), or a message saying what is wrong with it.

    Its structure is checked, not only its length: province, regency and district codes
    (2 digits each, none zero), the birth date as DDMMYY (women's day plus 40), and a serial
    that is never 0000."""
    nik = re.sub(r"[\s.\-]", "", text)
    # ASCII digits only: str.isdigit and \d also take other scripts' digits.
    if len(nik) != NIK_DIGITS or not re.fullmatch(r"[0-9]+", nik):
        raise BookingRefused(
            "NIK harus 16 angka seperti di KTP / the NIK must be the 16 digits on your KTP",
            "nik",
        )
    if not _nik_structure_ok(nik):
        raise BookingRefused(
            "NIK tidak valid / this is not a valid NIK; check the digits on your KTP", "nik"
        )
    return nik


def _nik_structure_ok(nik: str) -> bool:
    province, regency, district = int(nik[0:2]), int(nik[2:4]), int(nik[4:6])
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if province not in PROVINCE_CODES or regency == 0 or district == 0 or nik[12:] == "0000":
        return False
    if day > 40:  # women's NIKs carry the day of birth plus 40
        day -= 40
    try:
        # The century is not written; 2000 is a leap year, so 29 February is accepted.
        date(2000 + year, month, day)
    except ValueError:
        return False
    return True


def check_phone(text: str) -> str:
    """An Indonesian mobile number as +62..., from 08..., 628... or +628... with any spacing."""
    phone = re.sub(r"[\s.\-()]", "", text)
    if phone.startswith("+62"):
        phone = phone[1:]
    elif phone.startswith("0"):
        phone = "62" + phone[1:]
    # ASCII digits only (\d would take other scripts' digits too): 08, a non-zero operator
    # digit, then 6 to 10 digits, the lengths of Indonesian mobile numbers.
    if not re.fullmatch(r"628[1-9][0-9]{6,10}", phone):
        raise BookingRefused(
            "Nomor HP tidak valid (contoh 0812 3456 7890) / "
            "give a mobile number such as 0812 3456 7890",
            "phone",
        )
    return "+" + phone
