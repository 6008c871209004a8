"""What the planner is told to expect: arrivals per service per hour of the day.

An hour ``h`` means the clock hour from h:00 to h:59 local time; arrivals are the expected
number of visitors in that hour (so they are also a rate per hour).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


@dataclass(frozen=True)
class ArrivalForecast:
    """Expected arrivals by service code and hour, with each service's mean service time.

    ``patience_minutes`` is optional per service: the mean time a visitor waits before giving
    up. Services with a patience are planned with Erlang A, the others with Erlang C.
    """

    arrivals: Mapping[str, Mapping[int, float]]
    mean_service_minutes: Mapping[str, float]
    patience_minutes: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for service, by_hour in self.arrivals.items():
            for hour, expected in by_hour.items():
                if not (isinstance(hour, int) and 0 <= hour <= 23):
                    raise ValueError(f"service {service!r}: hour {hour!r} is not 0–23")
                if not (expected >= 0 and math.isfinite(expected)):
                    raise ValueError(
                        f"service {service!r}, hour {hour}: arrivals must be ≥ 0, got {expected}"
                    )
            if service not in self.mean_service_minutes:
                raise ValueError(f"service {service!r} has no mean service time")
        for label, minutes_by_service in (
            ("mean service time", self.mean_service_minutes),
            ("patience", self.patience_minutes),
        ):
            for service, minutes in minutes_by_service.items():
                if not (minutes > 0 and math.isfinite(minutes)):
                    raise ValueError(f"service {service!r}: {label} must be > 0, got {minutes}")
        # Frozen all the way down: copy the caller's dicts so later edits cannot leak in.
        frozen_arrivals = {
            service: MappingProxyType(dict(by_hour)) for service, by_hour in self.arrivals.items()
        }
        object.__setattr__(self, "arrivals", MappingProxyType(frozen_arrivals))
        object.__setattr__(
            self, "mean_service_minutes", MappingProxyType(dict(self.mean_service_minutes))
        )
        object.__setattr__(self, "patience_minutes", MappingProxyType(dict(self.patience_minutes)))

    @property
    def services(self) -> list[str]:
        return sorted(self.arrivals)

    @property
    def hours(self) -> list[int]:
        return sorted({hour for by_hour in self.arrivals.values() for hour in by_hour})

    def expected_arrivals(self, service: str, hour: int) -> float:
        return self.arrivals.get(service, {}).get(hour, 0.0)


def forecast_from_arrivals(
    arrivals: Iterable[tuple[str, datetime]],
    service_minutes: Mapping[str, float],
    days: int,
    patience_minutes: Mapping[str, float] | None = None,
) -> ArrivalForecast:
    """The average day of a history of (service code, local arrival time) over ``days``.

    ``days`` counts the business days the history covers, including days on which a service
    saw nobody, so quiet days pull the average down as they should.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    counts: Counter[tuple[str, int]] = Counter(
        (service, arrived.hour) for service, arrived in arrivals
    )
    by_service: dict[str, dict[int, float]] = {}
    for (service, hour), count in sorted(counts.items()):
        by_service.setdefault(service, {})[hour] = count / days
    unknown = sorted(set(by_service) - set(service_minutes))
    if unknown:
        raise ValueError(f"no mean service time for service(s): {', '.join(unknown)}")
    return ArrivalForecast(
        arrivals=by_service,
        mean_service_minutes={service: service_minutes[service] for service in by_service},
        patience_minutes={
            service: minutes
            for service, minutes in (patience_minutes or {}).items()
            if service in by_service
        },
    )
