"""The lobby screen: every panel placed for a landscape or portrait TV, fed by a LobbyFeed.

Panels are placed by proportions of the screen rather than by a layout engine, so a 1366×768
set and a 4K set show the same picture, only the type scales (see theme.scale_for).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

from display import theme
from display.calls_model import LastCallsModel
from display.connection_banner import ConnectionBanner
from display.counter_tiles import CounterTiles
from display.counters_model import CountersModel
from display.feed import LobbyFeed
from display.header import HeaderBar, Now, system_now
from display.info_pages import info_pages
from display.info_panel import InfoPanel
from display.last_calls import LastCallsView
from display.lobby_settings import LobbySettings
from display.now_calling import NowCallingPanel
from display.ticker import Ticker
from display.waits_model import ServiceWaitsModel
from display.waits_table import WaitsTable
from shared.i18n import Translator
from shared.services.call_board import CallBoard
from shared.services.service_outlook import ServiceOutlook

# Reference pixels (scaled with the screen).
MARGIN = 16
HEADER_HEIGHT = 100
PORTRAIT_HEADER_HEIGHT = 130  # the branch name may take two lines
TICKER_HEIGHT = 84
BANNER_HEIGHT = 170
# Landscape: the left column's share of the width; each column's panels' shares of the height.
# The big panel gets the width the widest number ("W888") needs at 10 cm on a 43-inch TV
# (about 890 px) and the height of its four lines (about 515 px); the rest share what is left.
LEFT_SHARE = 0.5
LANDSCAPE_LEFT = (0.63, 0.17, 0.20)  # now calling, previous calls, information
LANDSCAPE_RIGHT = (0.31, 0.69)  # counters, waits
# Portrait, top to bottom: now calling, previous calls, counters, waits, information.
PORTRAIT = (0.32, 0.075, 0.15, 0.345, 0.11)


class LobbyWindow(QWidget):
    def __init__(
        self,
        tr: Translator,
        counters: CountersModel,
        calls: LastCallsModel,
        waits: ServiceWaitsModel,
        now: Now = system_now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Antrean — layar antrean")
        self._tr = tr
        self.header = HeaderBar(now, self)
        self.now_calling = NowCallingPanel(tr, self)
        self.last_calls = LastCallsView(calls, tr, self)
        self.counters = CounterTiles(counters, tr, self)
        self.waits = WaitsTable(waits, tr, self)
        self.info = InfoPanel(self)
        self.ticker = Ticker(self)
        self.banner = ConnectionBanner(tr, self)
        self._settings = LobbySettings()
        self._waits: tuple[ServiceOutlook, ...] = ()
        self._today: date | None = None
        self.scale = 1.0
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.ink("screen").bg))
        self.setPalette(palette)
        self.setAutoFillBackground(True)

    # -- fed by the LobbyFeed --------------------------------------------------------------
    def bind(self, feed: LobbyFeed) -> None:
        feed.now_calling.connect(self.now_calling.show_call)
        feed.now_calling.connect(self.last_calls.show_headline)
        feed.connection_changed.connect(self.set_connected)
        feed.board_read.connect(self.show_board)
        feed.settings_changed.connect(self.apply_settings)
        feed.waits_read.connect(self.show_waits)

    def apply_settings(self, settings: LobbySettings) -> None:
        self._settings = settings
        display = settings.display
        self.now_calling.set_flash_seconds(display.flash_seconds)
        self.ticker.set_messages(display.running_text_id, display.running_text_en)
        for panel in (self.now_calling, self.last_calls, self.counters, self.waits, self.info):
            panel.set_english(display.english_captions)
        self._rebuild_info()

    def show_board(self, board: CallBoard) -> None:
        self.header.set_branch(board.branch_name, board.timezone)
        today = board.at.astimezone(self.header.local_now().tzinfo).date()
        if today != self._today:
            self._today = today
            self._rebuild_info()

    def show_waits(self, waits: Sequence[ServiceOutlook]) -> None:
        self._waits = tuple(waits)
        self._rebuild_info()

    def set_connected(self, connected: bool) -> None:
        self.banner.setVisible(not connected)
        if not connected:
            self.banner.raise_()

    def _rebuild_info(self) -> None:
        today = self._today or self.header.local_now().date()
        self.info.set_pages(info_pages(self._tr, self._settings, self._waits, today))

    # -- placement -------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def arrange(self) -> None:
        width, height = self.width(), self.height()
        s = theme.scale_for(width, height)
        self.scale = s
        for panel in (
            self.header,
            self.now_calling,
            self.last_calls,
            self.counters,
            self.waits,
            self.info,
            self.ticker,
            self.banner,
        ):
            panel.set_scale(s)
        m = round(MARGIN * s)
        portrait = theme.orientation_of(width, height) == "portrait"
        header_h = round((PORTRAIT_HEADER_HEIGHT if portrait else HEADER_HEIGHT) * s)
        ticker_h = round(TICKER_HEIGHT * s)
        self.header.setGeometry(0, 0, width, header_h)
        self.ticker.setGeometry(0, height - ticker_h, width, ticker_h)
        top, bottom = header_h + m, height - ticker_h - m
        if not portrait:
            left_w = round((width - 3 * m) * LEFT_SHARE)
            right_x = m + left_w + m
            _stack(
                m,
                top,
                left_w,
                bottom - top,
                m,
                zip((self.now_calling, self.last_calls, self.info), LANDSCAPE_LEFT, strict=True),
            )
            _stack(
                right_x,
                top,
                width - right_x - m,
                bottom - top,
                m,
                zip((self.counters, self.waits), LANDSCAPE_RIGHT, strict=True),
            )
        else:
            _stack(
                m,
                top,
                width - 2 * m,
                bottom - top,
                m,
                zip(
                    (self.now_calling, self.last_calls, self.counters, self.waits, self.info),
                    PORTRAIT,
                    strict=True,
                ),
            )
        # Over the header (the clock matters least while the store is gone), not the number.
        self.banner.setGeometry(0, 0, width, round(BANNER_HEIGHT * s))


def _stack(
    x: int,
    y: int,
    width: int,
    height: int,
    gap: int,
    parts: Sequence[tuple[QWidget, float]] | zip[tuple[QWidget, float]],
) -> None:
    """Place widgets top to bottom, each taking its share of the height left after gaps."""
    placed = list(parts)
    free = height - gap * (len(placed) - 1)
    for widget, share in placed:
        h = round(free * share)
        widget.setGeometry(QRect(x, y, width, h))
        y += h + gap
