"""The regional board's page: only a regional head gets in, and it shows every branch's copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from shared.central import heads
from shared.central.board import RegionBoard
from shared.central.lending import Region
from shared.store.database import create_store_engine
from tests.support.regional import region_of_two
from web.regional import COOKIE, create_regional_app, main

PASSWORD = "wilayah-banten-1"


@pytest.fixture(scope="module", autouse=True)
def cheap_head_hashing() -> None:
    heads.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def client(tmp_path: Path, sqlite_template: Path) -> Iterator[TestClient]:
    copies, clock = region_of_two(tmp_path, sqlite_template)
    central = create_store_engine(f"sqlite:///{tmp_path / 'central.db'}")
    heads.set_head(central, "kakanwil", "Kepala Wilayah Banten", PASSWORD)
    board = RegionBoard(lambda: copies, Region.from_pairs([("SRG", "CLG", 30)], 60), clock)
    app = create_regional_app(board, central, "Kanwil Banten", refresh_seconds=None,
                              clock=clock, secure_cookie=False)
    with TestClient(app, base_url="http://testserver", follow_redirects=False) as test_client:
        yield test_client
    central.dispose()


def _sign_in(client: TestClient, login: str = "kakanwil", password: str = PASSWORD) -> int:
    response = client.post("/login", content=f"login={login}&password={password}",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    return response.status_code


def test_the_board_needs_a_signed_in_head(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"] == "login"
    assert "Kata sandi" in client.get("/login").text


def test_wrong_credentials_are_refused_and_let_nobody_in(client: TestClient) -> None:
    assert _sign_in(client, password="not-the-password") == 401
    assert _sign_in(client, login="nobody") == 401
    # A branch officer's id and PIN (ani, 1234 at SRG) is no regional head.
    assert _sign_in(client, login="ani", password="1234") == 401
    assert COOKIE not in client.cookies
    assert client.get("/").status_code == 303


def test_five_wrong_passwords_lock_the_head_out(client: TestClient) -> None:
    for _ in range(5):
        assert _sign_in(client, password="wrong-password") == 401
    assert _sign_in(client) == 401  # the right password, but locked for now


def test_a_head_sees_both_branch_databases_and_the_suggestion(client: TestClient) -> None:
    assert _sign_in(client) == 303
    page = client.get("/")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    srg = re.search(r'<tr id="branch-SRG">(.*?)</tr>', text)
    clg = re.search(r'<tr id="branch-CLG">(.*?)</tr>', text)
    assert srg is not None and clg is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", srg.group(1))
    # waiting, longest wait, at risk, open / rostered, away, promise, local time, IKM, answers,
    # today served, turned away (slips), no-shows; both called visitors came after their window
    assert cells[1:13] == ["2", "30 mnt", "0", "1 / 3", "1", "0% (2)", "08:30", "100.0",
                           "1", "1", "0 (0)", "1"]
    assert re.findall(r"<td[^>]*>(.*?)</td>", clg.group(1))[1] == "1"
    assert "Kepala Wilayah Banten" in text
    assert "pinjam petugas" in text
    assert page.headers["x-frame-options"] == "DENY"


def test_signing_out_ends_the_session(client: TestClient) -> None:
    assert _sign_in(client) == 303
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 303


def test_the_board_does_not_start_before_a_head_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    region = tmp_path / "region.toml"
    region.write_text('[region]\nname = "Kanwil Banten"\n', encoding="utf-8")
    central = f"sqlite:///{tmp_path / 'central.db'}"
    assert main(["--central", central, "--region", str(region)]) == 2
    assert "antrean regional head" in capsys.readouterr().err
