"""Messages to visitors that could not be sent, on the supervisor's board."""

from __future__ import annotations

from counter.board_page import BoardPage
from shared.services import calling, notifications, outbox
from shared.services.alerts import MESSAGES_FAILED
from shared.services.issuing import issue_ticket
from shared.store.database import Store
from shared.store.unit_of_work import UnitOfWork
from tests.conftest import Staff
from tests.shared.services.test_notifications import PHONE, with_channels
from tests.support.actions import run


def test_a_message_given_up_is_listed_among_the_boards_warnings(
    sqlite_store: Store, board: BoardPage, sqlite_staff: Staff
) -> None:
    with_channels(sqlite_store)
    ticket = run(sqlite_store, issue_ticket, "JHT")
    run(sqlite_store, notifications.subscribe, ticket.token, "sms", PHONE)
    run(sqlite_store, calling.call_next, 1, sqlite_staff.ani)
    board.board.refresh()
    assert board.warnings.rows() == []
    with UnitOfWork(sqlite_store, "TST") as uow:
        (claimed,) = outbox.claim(uow, 10)
    with UnitOfWork(sqlite_store, "TST") as uow:  # the gateway refused it outright
        outbox.record_failure(uow, claimed.id, "sms: gateway refused: 400", retry_after=None)
    board.board.refresh()
    assert [a.kind for a in board.warnings.rows()] == [MESSAGES_FAILED]
    assert board.warnings.data(board.warnings.index(0, 0)) == (
        "1 pesan ke pengunjung lewat sms gagal terkirim hari ini (lihat antrean notify --failed)")
    assert board.warnings_box.property("tone") == "error"
    assert PHONE not in board.warnings.data(board.warnings.index(0, 0))
