"""What leaves a branch: every column of every table is either sent to the region or kept
home by name, so a new column or table stays home until someone decides; and the secrets
never reach the copy, nor can the replication role read them."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from sqlalchemy.engine import make_url

from shared.central.layout import READER_ROLE, REPLICATION_ROLE, region_branches
from shared.central.publication import KEPT_HOME, PRIVATE, PUBLISHED
from shared.central.status import subscription_states
from shared.services import issuing, officers
from shared.store.models import Base, Booking, Ticket
from shared.store.unit_of_work import UnitOfWork
from tests.shared.central.replicas import Replicated, differences, rows
from tests.support.actions import run


def test_every_table_and_column_is_either_published_or_kept_home() -> None:
    tables = {table.name: {column.name for column in table.columns}
              for table in Base.metadata.sorted_tables}
    assert set(PUBLISHED) | set(KEPT_HOME) == set(tables)
    assert not set(PUBLISHED) & set(KEPT_HOME)
    for name, columns in PUBLISHED.items():
        private = set(PRIVATE.get(name, ()))
        assert set(columns) | private == tables[name], name
        assert not set(columns) & private, name


def test_no_secret_is_published() -> None:
    for secret in [("officers", "secret_hash"), ("tickets", "token"), ("bookings", "phone"),
                   ("bookings", "nik_digest"), ("bookings", "nik_last4")]:
        assert secret[1] not in PUBLISHED[secret[0]]
    assert "branch_keys" in KEPT_HOME and "notification_subscriptions" in KEPT_HOME


@pytest.mark.postgres
@pytest.mark.slow
def test_the_copy_holds_no_secret_and_the_replication_role_reads_none(
    replicated: Replicated,
) -> None:
    region = replicated
    run(region.store, officers.add_officer, "ani", "Ani", "officer", "1234")
    issued = run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    # A booking as the web makes it; booking is off in the test branch's config.
    with UnitOfWork(region.store, "TST") as uow:
        now = uow.now()
        uow.session.add(Booking(
            branch_id=uow.branch_id, service_id=uow.session.get_one(Ticket, issued.id).service_id,
            code="BK-1", business_date=now.date(), slot_start=now,
            slot_end=now + timedelta(minutes=30), nik_digest="d" * 64, nik_last4="1234",
            phone="081234567890", state="booked", booked_at=now,
        ))
        uow.commit()
    region.caught_up()
    assert differences(region) == {}
    private = {
        "officers": ("secret_hash",), "tickets": ("token",),
        "bookings": ("code", "nik_digest", "nik_last4", "phone"),
    }
    for table, columns in private.items():
        held = rows(region.copy_url, table, columns)
        assert sum(held.values()) >= 1, table
        assert set(held) == {f"({',' * (len(columns) - 1)})"}, table  # all NULL
    assert sum(rows(region.copy_url, "branch_keys", ("branch_id",)).values()) == 0

    as_role = make_url(region.branch_url).set(username=REPLICATION_ROLE)
    with psycopg.connect(as_role.render_as_string(hide_password=False)) as connection:
        connection.execute("SELECT name, role FROM officers").fetchall()
        for query in ("SELECT secret_hash FROM officers", "SELECT token FROM tickets",
                      "SELECT phone FROM bookings", "SELECT nik_key FROM branch_keys",
                      "SELECT request_id FROM processed_requests"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(query)
            connection.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("INSERT INTO events (branch_id, at, kind) VALUES (1, now(), 'x')")


@pytest.mark.postgres
@pytest.mark.slow
def test_the_regions_readers_read_every_copy_and_write_none(replicated: Replicated) -> None:
    region = replicated
    run(region.store, issuing.issue_ticket, "JHT", kiosk="K1")
    region.caught_up()
    with psycopg.connect(region.central_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE board_login LOGIN IN ROLE {READER_ROLE}")
    try:
        as_board = make_url(region.central_url).set(username="board_login")
        central = as_board.render_as_string(hide_password=False)
        [branch] = region_branches(central)
        assert branch.code == "TST"
        [state] = subscription_states(central)
        assert state.connected and state.last_change_at is not None
        with psycopg.connect(branch.url) as copy:
            assert copy.execute("SELECT count(*) FROM tickets").fetchone() == (1,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                copy.execute("DELETE FROM tickets")
    finally:
        with psycopg.connect(region.central_url, autocommit=True) as admin:
            admin.execute("DROP OWNED BY board_login")
            admin.execute("DROP ROLE board_login")
