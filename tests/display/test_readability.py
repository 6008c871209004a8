"""The called number and its counter are big enough to read at 10 m on a 43-inch TV, at each
screen size the lobby PCs use, measured on the rendered panel; nothing on the screen is cut."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from PySide6.QtGui import QColor, QFontMetricsF, QImage

from display import theme
from display.window import LobbyWindow
from shared.services import calling, counters
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from tests.conftest import Staff
from tests.display.conftest import Lobby
from tests.support.actions import run

# A 43-inch 16:9 panel is 53.55 cm tall; its short side holds 1080 (or 768) pixels whatever
# way it is turned, so a pixel is 53.55 / 1080 cm at 1920×1080 and 1080×1920.
SHORT_SIDE_CM = 43 * 2.54 * 9 / math.hypot(16, 9)
NUMBER_CM, COUNTER_CM = 10.0, 5.0
SIZES = [(1920, 1080), (1366, 768), (1080, 1920)]


def needed_px(cm: float, size: tuple[int, int]) -> int:
    return math.ceil(cm / (SHORT_SIDE_CM / min(size)))


def ink_rows(image: QImage, colour: str) -> int:
    """How many pixel rows, top to bottom, the solid `colour` spans (antialiased edges aside,
    so a little under the true glyph height: on the safe side)."""
    wanted = QColor(colour).rgb()
    rows = [
        y for y in range(image.height())
        if any(image.pixel(x, y) == wanted for x in range(0, image.width(), 2))
    ]  # fmt: skip
    return rows[-1] - rows[0] + 1 if rows else 0


@pytest.fixture
def called(lobby: Lobby, store: Store, staff: Staff) -> Lobby:
    run(store, counters.open_counter, 3, staff.ani)
    run(store, issue_ticket, "JHT")
    run(store, calling.call_next, 3, staff.ani)
    return lobby


def test_the_needed_heights_are_the_ones_the_readme_states() -> None:
    assert [(needed_px(NUMBER_CM, s), needed_px(COUNTER_CM, s)) for s in SIZES] == [
        (202, 101), (144, 72), (202, 101),
    ]  # fmt: skip


@pytest.mark.parametrize("size", SIZES)
def test_the_called_number_is_10_cm_and_its_counter_5_cm_on_a_43_inch_tv(
    window: LobbyWindow, called: Lobby, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.arrange()
    called.feed.refresh()
    panel = window.now_calling
    assert panel.call is not None and panel.call.counter_name == "Loket 3"
    _caption, number, _go_to, counter = panel.lines()
    assert (number.text, counter.text) == ("A001", "LOKET 3")
    # The fonts as laid out: their cap height (what the eye reads as the letters' size).
    assert QFontMetricsF(number.font).capHeight() >= needed_px(NUMBER_CM, size)
    assert QFontMetricsF(counter.font).capHeight() >= needed_px(COUNTER_CM, size)
    # And the pixels as painted: the amber number and the white counter, off the flash.
    panel.stop_flash()
    image = panel.grab().toImage()
    assert ink_rows(image, theme.AMBER) >= needed_px(NUMBER_CM, size)
    assert ink_rows(image, theme.WHITE) >= needed_px(COUNTER_CM, size)
    # Painted whole inside the panel: the lines' cap tops and baselines within it.
    for line in panel.lines():
        top = line.baseline - QFontMetricsF(line.font).capHeight()
        assert top >= 0 and line.baseline <= panel.height(), line
    # The widest number there can be (W is the widest letter) and a two-digit counter too.
    panel.show_call(replace(panel.call, label="W888", counter_name="Loket 12"), fresh=False)
    _caption, number, _go_to, counter = panel.lines()
    assert (number.text, counter.text) == ("W888", "LOKET 12")
    image = panel.grab().toImage()
    assert ink_rows(image, theme.AMBER) >= needed_px(NUMBER_CM, size)
    assert ink_rows(image, theme.WHITE) >= needed_px(COUNTER_CM, size)


@pytest.mark.parametrize("size", SIZES)
def test_the_information_panel_shows_only_whole_lines(
    window: LobbyWindow, called: Lobby, size: tuple[int, int]
) -> None:
    """Its last line was cut in half at 1366 and 1920 wide: a long page now comes in parts."""
    window.resize(*size)
    window.arrange()
    called.feed.refresh()
    info = window.info
    body = info.body_rect()
    metrics = QFontMetricsF(info.body_font())
    screens = info.screens()
    assert screens, "the test branch has hours and quotas to show"
    shown = [line for screen in screens for line in screen.lines]
    # Every page's every word is shown, in some part.
    for page in info.pages:
        assert " ".join(page.body.split()) in " ".join(
            " ".join(s.lines) for s in screens if s.page == page
        )
    for screen in screens:
        height = (len(screen.lines) - 1) * metrics.lineSpacing() + metrics.height()
        assert height <= body.height(), (screen, height, body)
    assert all(metrics.horizontalAdvance(line) <= body.width() for line in shown)
    assert body.bottom() <= info.height()


@pytest.mark.parametrize("size", SIZES)
def test_each_waits_column_has_one_type_size_and_every_text_fits(
    window: LobbyWindow, called: Lobby, size: tuple[int, int]
) -> None:
    window.resize(*size)
    window.arrange()
    called.feed.refresh()
    table = window.waits
    layout = table.table_layout()
    assert layout.name_px >= round(26 * table.scale)
    row = table.body_rect()
    line = row.adjusted(0, 0, 0, layout.row_height - row.height())
    name_box, estimate_box = layout.name_box(line, 16 * table.scale), layout.estimate_box(line)
    for r in range(called.waits.rowCount()):
        for text, font, box in (
            (called.waits.value(r, "name"), theme.pixel_font(layout.name_px), name_box),
            (called.waits.value(r, "waitText"), theme.pixel_font(layout.estimate_px), estimate_box),
        ):
            metrics = QFontMetricsF(font)
            width = max(metrics.horizontalAdvance(w) for w in str(text).split())
            assert width <= box.width(), (text, box)
