"""The region's own settings: its name and how far apart its branches are.

```toml
[region]
name = "Kantor Wilayah Banten"
max_travel_minutes = 60      # lend officers only between branches this close

[[travel]]                   # minutes by road, either way; a pair left out is not nearby
between = ["SRG", "CLG"]
minutes = 35
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from shared.central.lending import Region

_STRICT = ConfigDict(extra="forbid")


class RegionSection(BaseModel):
    model_config = _STRICT
    name: str = Field("Region", min_length=1, max_length=80)
    max_travel_minutes: float = Field(60, gt=0, le=600)


class Travel(BaseModel):
    model_config = _STRICT
    between: tuple[str, str]
    minutes: float = Field(ge=0, le=600)

    @field_validator("between")
    @classmethod
    def _two_branches(cls, value: tuple[str, str]) -> tuple[str, str]:
        if value[0] == value[1]:
            raise ValueError("a travel time is between two different branches")
        return value


class RegionFile(BaseModel):
    model_config = _STRICT
    region: RegionSection = Field(default_factory=lambda: RegionSection())
    travel: list[Travel] = Field(default_factory=list)


class RegionConfigError(ValueError):
    pass


def load_region(path: str | Path) -> tuple[str, Region]:
    """The region's name and travel times; one message per problem, naming file and key."""
    path = Path(path)
    try:
        parsed = RegionFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise RegionConfigError(f"{path}: {error}") from error
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
            for problem in error.errors()
        )
        raise RegionConfigError(f"{path}: {problems}") from error
    region = Region.from_pairs(
        ((t.between[0], t.between[1], t.minutes) for t in parsed.travel),
        parsed.region.max_travel_minutes,
    )
    return parsed.region.name, region
