"""A failed statement's error, as the apps log it, carries no bound values: a visitor's phone
number or a PIN typed into a form must not reach a log file when the database refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.store.database import create_store_engine

NUMBER = "+6281234567890"


def test_the_error_of_a_refused_statement_names_no_value(database_url: str) -> None:
    engine = create_store_engine(database_url)
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as refused:
            connection.execute(text("SELECT no_such_column FROM branches WHERE name = :phone"),
                               {"phone": NUMBER})
    finally:
        engine.dispose()
    message = str(refused.value)
    assert "no_such_column" in message  # the statement is still named
    assert NUMBER not in message and "81234567890" not in message
