"""What a printed ticket says: the slip's values and its wording in Bahasa Indonesia and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

TicketLanguage = Literal["id", "en"]


@dataclass(frozen=True)
class TicketWords:
    """The fixed wording of a ticket in one language; `{…}` fields are filled per slip."""

    queue_number: str
    people_ahead: str
    call_window: str
    scan_for_status: str
    scan_for_branch_page: str
    bring_documents: str
    priority: str
    booked: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]


TICKET_WORDS: dict[TicketLanguage, TicketWords] = {
    "id": TicketWords(
        queue_number="Nomor antrean",
        people_ahead="Orang di depan Anda: {count}",
        call_window="Perkiraan dipanggil: {start}–{end}",
        scan_for_status="Pindai untuk status & survei",
        scan_for_branch_page="Pindai untuk halaman antrean cabang",
        bring_documents="Bawa dokumen:",
        priority="Prioritas",
        booked="Antrean online",
        weekdays=("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
        months=(
            "Januari", "Februari", "Maret", "April", "Mei", "Juni",
            "Juli", "Agustus", "September", "Oktober", "November", "Desember",
        ),
    ),
    "en": TicketWords(
        queue_number="Queue number",
        people_ahead="People ahead of you: {count}",
        call_window="Estimated call: {start}–{end}",
        scan_for_status="Scan for status & survey",
        scan_for_branch_page="Scan for the branch's queue page",
        bring_documents="Bring documents:",
        priority="Priority",
        booked="Booked online",
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        months=(
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ),
    ),
}


@dataclass(frozen=True)
class TicketSlip:
    """Everything printed on one ticket, already in the visitor's chosen language.

    `notice` is never part of the ESC/POS job: it is a line for the on-screen rendering
    (for instance "Kertas printer habis" when the kiosk shows the ticket instead of printing it).
    """

    branch_name: str
    service_name: str
    label: str
    issued_at: datetime
    people_ahead: int
    window: tuple[datetime, datetime] | None
    status_url: str
    documents: tuple[str, ...]
    footer: str
    priority: bool
    language: TicketLanguage
    logo_path: str | None = None
    notice: str = ""
    booked: bool = False  # checked in from an online booking: called at its slot
    # The printer test page: its code leads to the branch's page, which has no status or survey.
    test_page: bool = False

    @property
    def marks(self) -> tuple[str, ...]:
        """The short tags printed under the number (inverted), in order."""
        tags = ((self.priority, self.words.priority), (self.booked, self.words.booked))
        return tuple(word for flag, word in tags if flag)

    def __post_init__(self) -> None:
        if self.language not in TICKET_WORDS:
            raise ValueError(f"ticket language must be 'id' or 'en', not {self.language!r}")
        if not self.label.strip():
            raise ValueError("a ticket needs a label such as 'A012'")
        if self.people_ahead < 0:
            raise ValueError(f"people ahead cannot be negative ({self.people_ahead})")
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware local time")
        if self.window is not None:
            start, end = self.window
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError("the call window must be timezone-aware")
            if end < start:
                raise ValueError("the call window ends before it starts")

    @property
    def words(self) -> TicketWords:
        return TICKET_WORDS[self.language]

    @property
    def scan_caption(self) -> str:
        """What the line under the QR code promises: only a visitor's own ticket has a status
        and a survey behind it."""
        return self.words.scan_for_branch_page if self.test_page else self.words.scan_for_status

    def issued_line(self) -> str:
        """Day, date and time of issue, e.g. 'Senin, 3 Maret 2025 09:12'."""
        moment = self.issued_at
        weekday = self.words.weekdays[moment.weekday()]
        month = self.words.months[moment.month - 1]
        return f"{weekday}, {moment.day} {month} {moment.year} {moment:%H:%M}"

    def people_ahead_line(self) -> str:
        return self.words.people_ahead.format(count=self.people_ahead)

    def window_line(self) -> str | None:
        """The estimated call window in the slip's local time, or None when there is none."""
        if self.window is None:
            return None
        local = self.issued_at.tzinfo
        start, end = (moment.astimezone(local) for moment in self.window)
        return self.words.call_window.format(start=f"{start:%H:%M}", end=f"{end:%H:%M}")
