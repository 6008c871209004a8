"""Branch codes map one-to-one onto the names databases, subscriptions and slots allow."""

from __future__ import annotations

import pytest

from shared.central.layout import (
    branch_database,
    branch_token,
    code_of_token,
    copy_url,
    libpq_url,
    subscription_name,
)


@pytest.mark.parametrize(
    ("code", "token"),
    [("SRG", "srg"), ("SRG-2", "srg_d2"), ("SRG_2", "srg__2"), ("A_DB", "a__db"),
     ("A-B", "a_db"), ("X9", "x9")],
)
def test_a_code_and_its_token_map_both_ways(code: str, token: str) -> None:
    assert branch_token(code) == token
    assert code_of_token(token) == code


def test_names_on_the_central_server_and_the_branch() -> None:
    assert branch_database("SRG-2") == "antrean_branch_srg_d2"
    assert subscription_name("SRG-2") == "antrean_region_srg_d2"
    assert copy_url("postgresql+psycopg://postgres:pw@central:5433/postgres", "SRG") == (
        "postgresql://postgres:pw@central:5433/antrean_branch_srg"
    )


def test_only_codes_a_branch_may_have_are_taken() -> None:
    for wrong in ("", "SR G", "SRĜ", "S.R"):
        with pytest.raises(ValueError):
            branch_token(wrong)
    with pytest.raises(ValueError, match="SQLite branch cannot publish"):
        libpq_url("sqlite:///branch.db")
