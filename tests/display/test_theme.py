"""High contrast for a bright hall: every text colour on its background meets WCAG AA."""

from __future__ import annotations

import pytest

from display import theme
from display.contrast import AA_LARGE, AA_NORMAL, contrast_ratio, relative_luminance
from display.now_calling import FLASH_HALF_PERIOD_MS


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#777777") == contrast_ratio("#777777", "#FFFFFF")
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)
    with pytest.raises(ValueError):
        relative_luminance("#FFF")


@pytest.mark.parametrize("name", sorted(theme.INKS))
def test_every_text_colour_pair_meets_wcag_aa(name: str) -> None:
    ink = theme.INKS[name]
    ratio = contrast_ratio(ink.fg, ink.bg)
    assert ratio >= (AA_LARGE if ink.large else AA_NORMAL), f"{name}: {ratio:.2f}:1"


def test_the_theme_asks_more_than_aa_of_itself() -> None:
    # Large numbers could pass at 3:1; none of ours is below 7:1 (AAA for normal text).
    worst = min(contrast_ratio(i.fg, i.bg) for i in theme.INKS.values())
    assert worst >= 7.0


def test_no_text_is_drawn_smaller_than_the_floor() -> None:
    assert min(theme.SIZES.values()) >= theme.MIN_TEXT >= 24  # WCAG "large" text is >= 24 px


def test_the_flash_stays_under_three_flashes_a_second() -> None:
    assert 1000 / (2 * FLASH_HALF_PERIOD_MS) <= 3


def test_scale_follows_the_screen() -> None:
    assert theme.scale_for(1920, 1080) == 1.0
    assert theme.scale_for(1080, 1920) == 1.0
    assert theme.scale_for(1366, 768) == pytest.approx(0.711, abs=0.001)
    assert theme.orientation_of(1080, 1920) == "portrait"
