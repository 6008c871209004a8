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
    """Time one called visitor takes from a counter, no-shows included.

    A visitor who waited `w` seconds is gone when called with probability
    1 - (1 - no_show_share) * exp(-patience_rate * w): some never come back whatever the wait,
    the others give up at a constant rate. A gone visitor costs only the recalls.
    """

    present_mean: float  # walk to the desk + service
    present_variance: float
    no_show_cost: float
    no_show_share: float
    patience_rate: float  # per second
    service_mean: float
    patience_seen: int = 0  # visitors called after a long wait that the patience was fitted on

    @property
    def walk_out_doubt(self) -> float:
        """How much of the time that expected walk-outs save to count as doubt (one standard
        deviation): the patience is least certain when only the prior speaks, and the doubt
        shrinks as the square root of the long waits it was fitted on."""
        return WALK_OUT_DOUBT * math.sqrt(
            PRIOR_PATIENCE_WEIGHT / (PRIOR_PATIENCE_WEIGHT + self.patience_seen)
        )

    def absent_share(self, waited: float) -> float:
        return 1 - (1 - self.no_show_share) * math.exp(-self.patience_rate * max(waited, 0.0))

    def after(self, waited: float) -> tuple[float, float]:
        """(mean, variance) of the counter time for a visitor called after `waited` seconds."""
        share = self.absent_share(waited)
        mean = (1 - share) * self.present_mean + share * self.no_show_cost
        second = (1 - share) * (self.present_variance + self.present_mean**2) + (
            share * self.no_show_cost**2
        )
        return mean, max(second - mean**2, 1.0)

    @property
    def mean(self) -> float:
        return self.after(0.0)[0]

    @property
    def variance(self) -> float:
        return self.after(0.0)[1]


def robust_lognormal(values: tuple[float, ...]) -> tuple[float, float] | None:
    """(mean, cv) of positive values via median and MAD of their logs; None if too few."""
    logs = [math.log(v) for v in values if v > 0]
    if len(logs) < 3:
        return None
    centre = median(logs)
    spread = 1.4826 * median(abs(x - centre) for x in logs)
    spread = min(max(spread, 0.1), 1.5)
    return math.exp(centre + spread**2 / 2), math.sqrt(math.exp(spread**2) - 1)


def remaining_time(mean: float, cv: float, elapsed: float) -> float:
    """Expected rest of a log-normal visit (this mean and spread) that has lasted `elapsed`
    seconds: E[T - t | T > t]. Visit lengths have a long right tail, so a visit that has run
    past its mean is likely a long one and is not nearly over: about half a mean still to go,
    where "mean minus elapsed" said it would end any moment."""
    if elapsed <= 0 or mean <= 0:
        return mean
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2
    z = min((math.log(elapsed) - mu) / sigma, 8.0)  # beyond, the tail is too thin to read
    lasting = 0.5 * math.erfc(z / math.sqrt(2))  # P(T > t)
    beyond = 0.5 * math.erfc((z - sigma) / math.sqrt(2))  # E[T; T > t] / mean
    return max(mean * beyond / lasting - elapsed, 0.0)


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
    costs = observed.no_show_costs[-RECENT:]
    cost = (sum(costs) + PRIOR_NO_SHOW_COST * 2) / (len(costs) + 2)
    share, rate = patience(observed)
    seen = sum(1 for waited, _ in observed.called[-4 * RECENT :] if waited >= SHORT_WAIT)
    return Handling(walk + service_mean, service_var, cost, share, rate, service_mean, seen)


PRIOR_PATIENCE_MINUTES = 240.0
PRIOR_PATIENCE_RATE = 1 / (60 * PRIOR_PATIENCE_MINUTES)
PRIOR_PATIENCE_WEIGHT = 20.0
# With the prior alone, half the time saved by expected walk-outs is one standard deviation.
WALK_OUT_DOUBT = 0.5
SHORT_WAIT = 10 * 60.0  # absences after shorter waits are "never came", not impatience
_RATES = [0.0] + [
    1 / (60.0 * m)
    for m in (
        900,
        720,
        600,
        480,
        400,
        360,
        300,
        240,
        210,
        180,
        150,
        120,
        100,
        90,
        75,
        60,
        45,
        30,
        20,
    )
]


def patience(observed: Observed) -> tuple[float, float]:
    """(share who never come, rate at which the others give up) from today's calls.

    The share comes from visitors called after a short wait (with a prior); the rate is the
    maximum-likelihood value on a grid, given that share, over everyone called today."""
    called = observed.called[-4 * RECENT :]
    short = [came for waited, came in called if waited < SHORT_WAIT]
    share = (sum(1 for came in short if not came) + PRIOR_NO_SHOW_SHARE * PRIOR_NO_SHOW_WEIGHT) / (
        len(short) + PRIOR_NO_SHOW_WEIGHT
    )
    # Before anyone has waited long (the morning's door crowd) the prior alone speaks: visitors
    # told of a three-hour wait do give up, and assuming none would overstate every wait.
    long = [(waited, came) for waited, came in called if waited >= SHORT_WAIT]

    def likelihood(rate: float) -> float:
        # A prior worth PRIOR_PATIENCE_WEIGHT visitors who waited an hour, as patient as
        # PRIOR_PATIENCE_MINUTES says: a few early walk-outs do not set the whole day.
        prior_stay = math.exp(-PRIOR_PATIENCE_RATE * 3600)
        stay_hour = (1 - share) * math.exp(-rate * 3600)
        total = PRIOR_PATIENCE_WEIGHT * (
            prior_stay * math.log(stay_hour)
            + (1 - prior_stay) * math.log(max(1 - stay_hour, 1e-12))
        )
        for waited, came in long:
            stay = (1 - share) * math.exp(-rate * waited)
            total += math.log(stay) if came else math.log(max(1 - stay, 1e-12))
        return total

    return share, max(_RATES, key=likelihood)
