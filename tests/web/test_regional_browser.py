"""The regional board in a real Chromium: a head signs in through the form and reads the table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, expect, sync_playwright

from shared.central import heads
from shared.central.board import RegionBoard
from shared.central.lending import Region
from shared.store.database import create_store_engine
from tests.support.browser import chromium_or_skip, launch_chromium
from tests.support.regional import region_of_two
from tests.support.web_server import serve
from web.regional import create_regional_app

PASSWORD = "wilayah-banten-1"


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, executable)
        yield browser
        browser.close()


@pytest.fixture
def board_address(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    heads.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    copies, clock = region_of_two(tmp_path, sqlite_template)
    central = create_store_engine(f"sqlite:///{tmp_path / 'central.db'}")
    heads.set_head(central, "kakanwil", "Kepala Wilayah Banten", PASSWORD)
    board = RegionBoard(lambda: copies, Region.from_pairs([("SRG", "CLG", 30)], 60), clock)
    app = create_regional_app(board, central, "Kanwil Banten", refresh_seconds=None,
                              clock=clock, secure_cookie=False)
    with serve(app) as address:
        yield address
    central.dispose()


def test_a_head_signs_in_and_reads_both_branches(chromium: Browser, board_address: str) -> None:
    page = chromium.new_page(base_url=board_address)
    page.goto("/")
    expect(page).to_have_url(f"{board_address}/login")
    page.fill("#login", "kakanwil")
    page.fill("#password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("Wrong login or password")

    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#branch-SRG td").nth(1)).to_have_text("2")  # waiting
    expect(page.locator("#branch-CLG td").nth(1)).to_have_text("1")
    expect(page.locator("header")).to_contain_text("Kepala Wilayah Banten")

    page.click("text=Keluar / Sign out")
    expect(page).to_have_url(f"{board_address}/login")
    page.close()
