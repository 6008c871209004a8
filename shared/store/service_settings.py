"""A service's own settings, read back from its row (where applying the config copied them)."""

from __future__ import annotations

from shared.config import ServiceConfig
from shared.store.models import Service


def service_settings(service: Service) -> ServiceConfig:
    """The row's copy of its `[[services]]` entry, validated: a retired service, no longer in
    the config, keeps the settings it last had. What the row does not copy (quota, targets)
    comes back as the config's defaults, so read those from the row's own columns."""
    return ServiceConfig.model_validate({
        "code": service.code,
        "prefix": service.prefix,
        "name_id": service.name_id,
        "name_en": service.name_en,
        **(service.details or {}),
    })
