"""The engine's refusals reach officers in their language, with states and roles translated."""

from __future__ import annotations

import re
from pathlib import Path

from shared.domain.errors import InvalidTransition, NotFound
from shared.domain.states import CounterState, Role, TicketState
from shared.i18n import Translator, catalog, explain

SERVICES = Path(__file__).resolve().parents[3] / "shared" / "services"


def test_a_refusal_in_indonesian_and_english() -> None:
    error = InvalidTransition("ticket A001 is waiting; finish needs it to be serving",
                              key="ticket_wrong_state", label="A001", state=TicketState.WAITING)
    assert explain(Translator("id"), error) == (
        "Nomor A001 sedang menunggu; tindakan ini tidak bisa dilakukan sekarang."
    )
    assert explain(Translator("en"), error) == "Ticket A001 is waiting; this cannot be done now."


def test_without_a_known_key_the_engines_words_are_shown() -> None:
    assert explain(Translator("id"), NotFound("no such thing")) == "no such thing"
    assert explain(Translator("id"), NotFound("x", key="nope")) == "x"


def test_every_key_the_services_raise_and_every_word_they_pass_is_translated() -> None:
    keys = {
        key
        for path in SERVICES.glob("*.py")
        for key in re.findall(r'key="(\w+)"', path.read_text(encoding="utf-8"))
    }
    assert len(keys) > 15
    entries = catalog()
    assert sorted(k for k in keys if f"error.{k}" not in entries) == []
    words = [*TicketState, *CounterState, *Role]
    assert [w for w in words if f"{type(w).__name__}.{w.value}" not in entries] == []
