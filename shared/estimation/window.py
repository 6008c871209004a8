"""The 80 % window around an expected call time.

The spread has three parts: the randomness of the visits ahead (pooled over the counters
that share them), a share of the wait itself for what nobody can foresee (an officer leaving,
priority visitors arriving), and a floor of a minute or so. The wait is skewed to the right,
so the window is the 10th-90th percentile of a log-normal with that mean and variance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

UNFORESEEN_SHARE = 0.28
FLOOR_SECONDS = 60.0
Z80 = 1.2815515655446004  # standard normal 90th percentile
# The 10th and 90th percentiles of an exponential wait, in means: -ln 0.9 and ln 10.
EXP_LOW = 0.10536051565782628
EXP_HIGH = 2.302585092994046


def first_free(expected: float, counters: int) -> WaitEstimate:
    """Nobody ahead: the wait is for the first of the busy counters to come free, which is
    close to exponential (the sum of several counters' ends of visit), not the narrow
    log-normal of a queue's work. Priority visitors are mostly here: a tight window around
    a few minutes saw many of them called before it opened."""
    return WaitEstimate(
        expected, EXP_LOW * expected, max(EXP_HIGH * expected, Z80 * FLOOR_SECONDS), counters
    )


@dataclass(frozen=True)
class WaitEstimate:
    expected_seconds: float
    low_seconds: float
    high_seconds: float
    counters: int  # counters that can serve it now or soon

    @property
    def minutes(self) -> tuple[int, int, int]:
        return (
            round(self.low_seconds / 60),
            round(self.expected_seconds / 60),
            round(self.high_seconds / 60),
        )


def window(expected: float, pooled_variance: float, counters: int) -> WaitEstimate:
    expected = max(expected, 0.0)
    if pooled_variance == 0.0 and expected >= 1.0:
        return first_free(expected, counters)
    variance = pooled_variance + (UNFORESEEN_SHARE * expected) ** 2 + FLOOR_SECONDS**2
    if expected < 1.0:
        return WaitEstimate(0.0, 0.0, Z80 * math.sqrt(variance), counters)
    sigma2 = math.log1p(variance / expected**2)
    mu = math.log(expected) - sigma2 / 2
    sigma = math.sqrt(sigma2)
    return WaitEstimate(expected, math.exp(mu - Z80 * sigma), math.exp(mu + Z80 * sigma), counters)
