"""The rotating information panel's pages: today's hours, what is left to issue today, and
what to bring for each service. Plain Python, rebuilt whenever the settings or waits change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from display.lobby_settings import LobbySettings
from shared.config import format_hours
from shared.i18n import Translator
from shared.services.service_outlook import ServiceOutlook


@dataclass(frozen=True)
class InfoPage:
    title: str
    body: str
    title_en: str = ""  # shown after the title when there is room


def hours_page(
    tr: Translator, settings: LobbySettings, waits: Sequence[ServiceOutlook], today: date
) -> InfoPage:
    title, title_en = tr.both("display.info.hours.title")
    opening = settings.opening_hours_on(today)
    if opening is None:
        return InfoPage(title, tr("display.info.hours.closed"), title_en)
    lines = [tr("display.info.hours.branch", hours=format_hours(opening))]
    for line in waits:
        # Only the services whose ticket hours differ from the office's are worth a line.
        if line.issuing_hours is None:
            lines.append(tr("display.info.hours.not_today", name=line.name_id))
        elif line.issuing_hours != opening:
            lines.append(
                tr(
                    "display.info.hours.service",
                    name=line.name_id,
                    hours=format_hours(line.issuing_hours),
                )
            )
    return InfoPage(title, "\n".join(lines), title_en)


def capacity_page(tr: Translator, waits: Sequence[ServiceOutlook]) -> InfoPage:
    lines = []
    for line in waits:
        if line.opens_later_today is not None:
            when = f"{line.opens_later_today:%H:%M}"
            lines.append(tr("display.info.capacity.opens", name=line.name_id, time=when))
        elif line.issuing == "open" and line.quota_left is not None:
            lines.append(tr("display.info.capacity.left", name=line.name_id, count=line.quota_left))
        else:
            lines.append(tr(f"display.info.capacity.{line.issuing}", name=line.name_id))
    title, title_en = tr.both("display.info.capacity.title")
    return InfoPage(title, "\n".join(lines), title_en)


def documents_pages(tr: Translator, waits: Sequence[ServiceOutlook]) -> list[InfoPage]:
    pages = []
    for line in waits:
        if not line.documents_id and not line.info_id:
            continue
        body = " · ".join(line.documents_id)
        if line.info_id:
            body = f"{body}\n{line.info_id}" if body else line.info_id
        title = tr.both("display.info.documents.title", name=line.name_id)[0]
        title_en = tr.both("display.info.documents.title", name=line.name_en)[1]
        pages.append(InfoPage(title, body, title_en))
    return pages


def info_pages(
    tr: Translator, settings: LobbySettings, waits: Sequence[ServiceOutlook], today: date
) -> list[InfoPage]:
    if not waits:
        return []
    return [
        hours_page(tr, settings, waits, today),
        capacity_page(tr, waits),
        *documents_pages(tr, waits),
    ]
