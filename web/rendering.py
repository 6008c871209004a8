"""Pages in the visitor's language: Jinja templates, dates and times as people write them,
and QR codes drawn in the page (no external assets)."""

from __future__ import annotations

import base64
import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import qrcode
from jinja2 import Environment, FileSystemLoader, select_autoescape
from qrcode.image.pil import PilImage
from starlette.requests import Request
from starlette.responses import HTMLResponse

from shared.i18n import LANGUAGES, Language, catalog

TEMPLATES = Path(__file__).with_name("templates")
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # templates ship with the code: no file check on every render
)


def language_of(request: Request) -> Language:
    asked = request.query_params.get("lang", "id")
    return asked if asked in LANGUAGES else "id"


def day_words(day: date, language: Language) -> str:
    """Selasa, 24 November 2026 / Tuesday 24 November 2026."""
    if language == "id":
        return f"{DAYS_ID[day.weekday()]}, {day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_day(day: date, language: Language) -> str:
    """Sel 24 Nov / Tue 24 Nov: for the day picker, where space is short."""
    if language == "id":
        return f"{DAYS_ID[day.weekday()][:3]} {day.day} {MONTHS_ID[day.month - 1][:3]}"
    return f"{day:%a} {day.day} {day:%b}"


def clock_time(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def qr_data_uri(text: str) -> str:
    """The QR as a small PNG inside the page: about a kilobyte, drawn sharp at any size."""
    # border=4 is the standard's quiet zone. Pillow is named: qrcode's default picks it only at
    # run time, so the checker could not tell that save() takes a format.
    image = qrcode.make(text, box_size=4, border=4, image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


class Words:
    """`tr` for the templates: the translator's words for one language, taken from the
    catalog once. A live page is rendered for every open phone after every change, and each
    word looked up anew would ask the environment and the file system where the assets are."""

    def __init__(self, language: Language) -> None:
        self._texts = {key: entry.get(language) or entry["id"] for key, entry in catalog().items()}

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts.get(key)
        if text is None:
            raise KeyError(f"no translation {key!r} in assets/translations")
        return text.format(**values) if values else text


@cache
def words(language: Language) -> Words:
    return Words(language)


def render(name: str, language: Language, **context: Any) -> str:
    tr = words(language)
    other: Language = "en" if language == "id" else "id"
    return environment.get_template(name).render(
        tr=tr, lang=language, other_lang=other, day_words=lambda d: day_words(d, language),
        short_day=lambda d: short_day(d, language),
        clock=clock_time, **context,
    )


def page(
    request: Request, name: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    language = language_of(request)
    other = "en" if language == "id" else "id"
    switch = request.url.include_query_params(lang=other)
    html = render(name, language, switch_url=f"{switch.path}?{switch.query}", **context)
    response = HTMLResponse(html, status_code=status_code)
    # Pages that carry a ticket's or booking's state must never come from a cache.
    response.headers["cache-control"] = "no-store"
    return response
