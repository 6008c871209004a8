from __future__ import annotations

import pytest

from shared.printing.codepage import encode_for_printer, printable_text


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("Perkiraan dipanggil: 09:40–10:05", "Perkiraan dipanggil: 09:40-10:05"),
        ("Klaim JHT — Jaminan Hari Tua", "Klaim JHT - Jaminan Hari Tua"),
        ("“Jum’at” …", "\"Jum'at\" ..."),
        ("Orang di depan Anda: 5", "Orang di depan Anda: 5"),
        ("Pindai untuk status & survei", "Pindai untuk status & survei"),
        ("Ā Ō ō", "A O o"),  # macron letters are not in PC437: the accent goes
        ("Loket 1\u00a0A", "Loket 1 A"),
        ("窗口", "??"),
    ],
)
def test_text_is_rewritten_to_print_in_pc437(text: str, printed: str) -> None:
    assert printable_text(text) == printed


def test_control_characters_cannot_smuggle_commands() -> None:
    # GS V 0 inside a service name would otherwise cut the paper mid-ticket.
    assert printable_text("JHT\x1dV\x00\x1b@\n") == "JHT V  @ "


def test_pc437_letters_keep_their_pc437_byte() -> None:
    assert encode_for_printer("Café – Rp 5.000") == b"Caf\x82 - Rp 5.000"
