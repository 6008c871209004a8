"""Simulated visitors who rate their visit on the survey page, the way real ones tend to:
a long wait costs the speed rating; the rest sits mostly between good and very good.

Each visitor's draws come from their own seed (service, arrival, place in the day), not from
the day's generator, so adding ratings changes nothing else a seeded scenario produces.
"""

from __future__ import annotations

import random

from shared.domain.survey import QUESTION_KEYS
from shared.simulation.visitors import Visitor

SURVEY_SHARE = 0.3  # of served visitors; paper-era response rates were far lower


def visit_ratings(visitor: Visitor) -> dict[str, int] | None:
    """The visitor's answers, or None when they do not take the survey."""
    rng = random.Random(f"{visitor.service}:{visitor.arrives:.3f}:{visitor.index}")
    if rng.random() >= SURVEY_SHARE:
        return None
    first = visitor.stages[0]
    waited_minutes = ((first.called or first.queued) - first.queued) / 60.0
    ratings = {key: rng.choices((2, 3, 4), (1, 5, 4))[0] for key in QUESTION_KEYS}
    ratings["speed"] = (
        4 if waited_minutes < 15 else 3 if waited_minutes < 45 else 2 if waited_minutes < 90 else 1
    )
    return ratings
