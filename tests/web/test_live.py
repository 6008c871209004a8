"""The live pages' shared reads: status pages that ask at the same moment are answered by one
read of all their tickets, whatever their number; an unknown token is refused alone."""

from __future__ import annotations

import asyncio

import pytest

from shared.domain.errors import NotFound
from shared.services.issuing import Admission, issue_ticket
from shared.services.ticket_status import TicketStatus
from shared.store.database import Store
from tests.support.actions import run
from web.live import QueueWatch

PAGES = 40  # more than the store's pool holds connections: each page reading alone ran dry


def test_pages_asking_together_are_read_together(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = [run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token
              for _ in range(PAGES)]
    watch = QueueWatch(store, "TST")
    reads: list[int] = []
    read_alone = watch._read

    def counted(asked: list[str]) -> dict[str, TicketStatus]:
        reads.append(len(asked))
        return read_alone(asked)

    monkeypatch.setattr(watch, "_read", counted)

    async def pages() -> tuple[list[TicketStatus], BaseException | TicketStatus]:
        await watch.start()
        try:
            together = await asyncio.gather(*(watch.status(token) for token in tokens),
                                            watch.status("no-such-token"),
                                            return_exceptions=True)
        finally:
            await watch.stop()
        return [s for s in together[:-1] if isinstance(s, TicketStatus)], together[-1]

    statuses, unknown = asyncio.run(pages())
    assert [s.people_ahead for s in statuses] == list(range(PAGES))
    assert reads == [PAGES + 1]
    assert isinstance(unknown, NotFound)


def test_a_page_asking_while_a_read_runs_gets_the_next_read(store: Store) -> None:
    first, second = (run(store, issue_ticket, "JHT", admission=Admission.ANY_HOUR).token
                     for _ in range(2))
    watch = QueueWatch(store, "TST")

    async def pages() -> list[TicketStatus]:
        await watch.start()
        try:
            early = asyncio.ensure_future(watch.status(first))
            await asyncio.sleep(0)  # the first read has begun
            late = await watch.status(second)
            return [await early, late]
        finally:
            await watch.stop()

    early, late = asyncio.run(pages())
    assert (early.label, late.label) == ("A001", "A002")
    with pytest.raises(NotFound):
        asyncio.run(QueueWatch(store, "TST").status("no-such-token"))
