"""Regional heads on a real central server: the board's login reads the heads and counts wrong
passwords through the region's reading role, and can change nothing else."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError

from shared.central import heads
from shared.central.layout import READER_ROLE
from shared.domain.errors import AuthenticationFailed
from shared.store.database import create_store_engine
from tests.shared.central.replicas import Replicated
from tests.support.branches import MONDAY_0800

BOARD_LOGIN = "antrean_board_test"
PASSWORD = "kanwil-banten-7"


@pytest.fixture
def board_engine(replicated: Replicated) -> Iterator[Engine]:
    heads.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    owner = create_store_engine(replicated.central_url)
    heads.set_head(owner, "kakanwil", "Kepala Wilayah", PASSWORD)
    owner.dispose()
    with psycopg.connect(replicated.central_url, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {BOARD_LOGIN}")
        admin.execute(f"CREATE ROLE {BOARD_LOGIN} LOGIN IN ROLE {READER_ROLE}")
    engine = create_store_engine(replicated.central_url.replace("postgres@", f"{BOARD_LOGIN}@"))
    yield engine
    engine.dispose()
    with psycopg.connect(replicated.central_url, autocommit=True) as admin:
        admin.execute("DROP TABLE regional_heads")
        admin.execute(f"DROP ROLE {BOARD_LOGIN}")


def test_the_boards_login_signs_heads_in_and_counts_wrong_passwords(board_engine: Engine) -> None:
    assert heads.heads_table_exists(board_engine)
    head = heads.authenticate_head(board_engine, "kakanwil", PASSWORD, MONDAY_0800)
    assert head == heads.RegionalHead("kakanwil", "Kepala Wilayah")
    with pytest.raises(AuthenticationFailed):
        heads.authenticate_head(board_engine, "kakanwil", "not-the-password", MONDAY_0800)
    with board_engine.connect() as connection:
        failed = connection.scalar(text("SELECT failed_logins FROM regional_heads"))
    assert failed == 1


def test_the_boards_login_cannot_set_a_password(board_engine: Engine) -> None:
    with pytest.raises(ProgrammingError, match="permission denied"), board_engine.begin() as c:
        c.execute(text("UPDATE regional_heads SET secret_hash = 'x'"))
