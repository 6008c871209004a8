"""Per service: how many wait and how long a new ticket would wait, worded for the lobby."""

from __future__ import annotations

from collections.abc import Hashable

from display.rows_model import RowsModel
from display.wording import service_wait_text, wait_range_minutes
from shared.i18n import Translator
from shared.services.service_outlook import ServiceOutlook


def _minutes(line: ServiceOutlook, end: int) -> int | None:
    return None if line.wait is None else wait_range_minutes(line.wait)[end]


class ServiceWaitsModel(RowsModel[ServiceOutlook]):
    ROLES = (
        ("code", lambda s: s.code),
        ("prefix", lambda s: s.prefix),
        ("name", lambda s: s.name_id),
        ("nameEn", lambda s: s.name_en),
        ("waiting", lambda s: s.waiting),
        ("issuing", lambda s: s.issuing),
        ("quotaLeft", lambda s: s.quota_left),
        ("lowMinutes", lambda s: _minutes(s, 0)),
        ("highMinutes", lambda s: _minutes(s, 1)),
        ("waitText", lambda s: service_wait_text(Translator("id"), s)),
        ("waitTextEn", lambda s: service_wait_text(Translator("en"), s)),
    )

    def key(self, row: ServiceOutlook) -> Hashable:
        return row.service_id

    def display_text(self, row: ServiceOutlook) -> str:
        return f"{row.prefix} {row.name_id}: {row.waiting}, {service_wait_text(Translator(), row)}"
