"""What a printed reservation says: a visitor turned away today takes home the slot booked for
them on another day, its code, and the QR the kiosk scans at check-in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.printing.ticket import TICKET_WORDS, TicketLanguage, TicketSlip


@dataclass(frozen=True)
class ReservationWords:
    title: str
    when: str  # {day}, {start}–{end}
    come: str  # {start}–{until}
    code: str
    scan: str


RESERVATION_WORDS: dict[TicketLanguage, ReservationWords] = {
    "id": ReservationWords(
        title="Jadwal antrean",
        when="{day}, pukul {start}–{end}",
        come="Datang dan pindai QR di kios pukul {start}–{until}. Tidak perlu antre dari pagi.",
        code="Kode jadwal",
        scan="Pindai untuk melihat atau membatalkan jadwal",
    ),
    "en": ReservationWords(
        title="Booked visit",
        when="{day}, {start}–{end}",
        come="Come and scan the QR at the kiosk {start}–{until}. No need to queue at dawn.",
        code="Booking code",
        scan="Scan to see or cancel the booking",
    ),
}


@dataclass(frozen=True)
class ReservationSlip:
    """A reservation as printed, in the visitor's language; times in the branch's zone."""

    branch_name: str
    service_name: str
    code: str  # formatted, e.g. "ABCDE-FGHJK"
    slot_start: datetime
    slot_end: datetime
    check_in_from: datetime
    check_in_until: datetime
    link: str  # the booking's page; the kiosk's scanner reads it as the code
    footer: str
    language: TicketLanguage
    notice: str = ""  # on-screen only, as on a ticket

    def __post_init__(self) -> None:
        if self.language not in RESERVATION_WORDS:
            raise ValueError(f"slip language must be 'id' or 'en', not {self.language!r}")
        if self.slot_start.tzinfo is None or self.check_in_from.tzinfo is None:
            raise ValueError("a reservation's times must be timezone-aware local times")

    @property
    def words(self) -> ReservationWords:
        return RESERVATION_WORDS[self.language]

    def when_line(self) -> str:
        """'Selasa, 24 November 2026, pukul 09:30–10:00'."""
        names = TICKET_WORDS[self.language]
        start = self.slot_start
        day = (f"{names.weekdays[start.weekday()]}, {start.day} "
               f"{names.months[start.month - 1]} {start.year}")
        return self.words.when.format(day=day, start=f"{start:%H:%M}",
                                      end=f"{self.slot_end:%H:%M}")

    def come_line(self) -> str:
        return self.words.come.format(start=f"{self.check_in_from:%H:%M}",
                                      until=f"{self.check_in_until:%H:%M}")


# What a printer is handed besides the ESC/POS job: a ticket or a reservation (a printer that
# files pictures draws it; the others send the job only).
PrintedSlip = TicketSlip | ReservationSlip
