"""Which elements of the satisfaction survey (SKM) a branch asks."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, Field, model_validator

from shared.config.fields import SETTINGS

# The keys of shared.domain.survey.QUESTIONS (U1..U9), checked equal by a test.
ElementKey = Literal["requirements", "procedure", "speed", "cost", "product", "competence",
                     "conduct", "complaints", "facilities"]
ALL_ELEMENTS: list[ElementKey] = ["requirements", "procedure", "speed", "cost", "product",
                                  "competence", "conduct", "complaints", "facilities"]


class SurveySettings(BaseModel):
    """The satisfaction survey after a visit (Permenpan RB 14/2017)."""

    model_config = SETTINGS

    elements: list[ElementKey] = Field(
        default_factory=lambda: list(ALL_ELEMENTS), min_length=1, max_length=9,
        description="The regulation's elements the survey asks: requirements (U1), procedure "
        "(U2), speed (U3), cost (U4), product (U5), competence (U6), conduct (U7), complaints "
        "(U8), facilities (U9). All nine unless the branch chooses a subset; the IKM weighs "
        "each asked element equally.")

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        if len(set(self.elements)) != len(self.elements):
            raise ValueError("each survey element may be named once")
        return self
