"""How long a called visitor keeps a counter busy, learnt from today with a prior.

Service times are skewed (a few visits take an hour), so the typical visit is estimated in
log space with the median and MAD, which a handful of outliers cannot move, and turned back
into a mean assuming a log-normal shape. Early in the day the configured figure dominates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import median

from shared.estimation.model import Observed

PRIOR_WEIGHT = 8.0  # how many observed visits the configured mean is worth
PRIOR_CV = 0.6  # spread of service times before any are observed
PRIOR_WALK_SECONDS = 30.0
PRIOR_NO_SHOW_SHARE = 0.05
PRIOR_NO_SHOW_WEIGHT = 10.0
PRIOR_NO_SHOW_COST = 150.0  # three calls a minute apart, then the next call
RECENT = 60  # only today's most recent visits: mornings and afternoons differ


@dataclass(frozen=True)
class Handling:
    """Time one called visitor takes from a counter, no-shows included."""

    mean: float
    variance: float
    service_mean: float
    no_show_share: float

    @property
    def sd(self) -> float:
        return math.sqrt(self.variance)


def robust_lognormal(values: tuple[float, ...]) -> tuple[float, float] | None:
    """(mean, cv) of positive values via median and MAD of their logs; None if too few."""
    logs = [math.log(v) for v in values if v > 0]
    if len(logs) < 3:
        return None
    centre = median(logs)
    spread = 1.4826 * median(abs(x - centre) for x in logs)
    spread = min(max(spread, 0.1), 1.5)
    return math.exp(centre + spread**2 / 2), math.sqrt(math.exp(spread**2) - 1)


def handling_time(prior_mean: float, observed: Observed) -> Handling:
    recent = observed.durations[-RECENT:]
    fitted = robust_lognormal(recent)
    weight = len(recent) / (len(recent) + PRIOR_WEIGHT) if fitted else 0.0
    mean_observed, cv_observed = fitted or (prior_mean, PRIOR_CV)
    service_mean = weight * mean_observed + (1 - weight) * prior_mean
    cv = weight * cv_observed + (1 - weight) * PRIOR_CV
    service_var = (cv * service_mean) ** 2

    walks = observed.walk_times[-RECENT:]
    walk = (sum(walks) + PRIOR_WALK_SECONDS * 3) / (len(walks) + 3)
    share = (observed.no_shows + PRIOR_NO_SHOW_SHARE * PRIOR_NO_SHOW_WEIGHT) / (
        observed.calls + PRIOR_NO_SHOW_WEIGHT
    )
    costs = observed.no_show_costs[-RECENT:]
    cost = (sum(costs) + PRIOR_NO_SHOW_COST * 2) / (len(costs) + 2)

    present = walk + service_mean
    mean = (1 - share) * present + share * cost
    second_moment = (1 - share) * (service_var + present**2) + share * cost**2
    return Handling(mean, max(second_moment - mean**2, 1.0), service_mean, share)
