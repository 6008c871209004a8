"""The region's TOML: travel times between branches, and one clear message per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.central.region import RegionConfigError, load_region

REGION = """
[region]
name = "Kantor Wilayah Banten"
max_travel_minutes = 45

[[travel]]
between = ["SRG", "CLG"]
minutes = 35

[[travel]]
between = ["SRG", "TGR"]
minutes = 55
"""


def test_travel_times_read_either_way_and_too_far_is_not_near(tmp_path: Path) -> None:
    path = tmp_path / "region.toml"
    path.write_text(REGION, encoding="utf-8")
    name, region = load_region(path)
    assert name == "Kantor Wilayah Banten"
    assert region.travel("CLG", "SRG") == region.travel("SRG", "CLG") == 35
    assert region.travel("SRG", "TGR") is None  # 55 minutes, beyond the 45 allowed
    assert region.travel("SRG", "PDG") is None  # not in the file: not nearby


def test_problems_name_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "region.toml"
    path.write_text(REGION.replace('["SRG", "CLG"]', '["SRG", "SRG"]')
                    .replace("max_travel_minutes = 45", "max_travel = 45"), encoding="utf-8")
    with pytest.raises(RegionConfigError) as refused:
        load_region(path)
    message = str(refused.value)
    assert str(path) in message
    assert "region.max_travel: Extra inputs are not permitted" in message
    assert "travel.0.between: Value error, a travel time is between two different" in message
