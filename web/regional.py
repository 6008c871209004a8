"""The regional board: one page for the region's head, over the central server's copies.

Its own app (`python -m web.regional`), apart from the visitors' pages: it connects to the
central server, never to a branch, and lets in only a regional head (shared/central/heads.py),
never a branch officer. The branches are read again every `refresh_seconds` in a thread of
its own (shared/central/board.py), so a page is the last picture, rendered at once.
"""

from __future__ import annotations

import argparse
import logging
import secrets
import sys
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Engine

from shared.central.board import (
    BoardRow,
    RegionBoard,
    RegionView,
    central_copies,
    subscription_links,
)
from shared.central.heads import RegionalHead, authenticate_head, heads_table_exists
from shared.central.region import load_region
from shared.clock import Clock
from shared.domain.errors import AuthenticationFailed
from shared.store.database import create_store_engine
from web.guard import Guard
from web.rendering import environment

log = logging.getLogger("web.regional")

COOKIE = "antrean_regional"
SESSION_HOURS = 10  # a working day; then sign in again
STALE_CONTACT = timedelta(minutes=5)  # a link silent this long is shown in red


@dataclass
class _Sessions:
    """Signed-in heads by a random token in a cookie; kept in this process only, so a restart
    signs everyone out (the board holds nothing worth a shared session store)."""

    hours: float
    _by_token: dict[str, tuple[RegionalHead, datetime]]
    _lock: threading.Lock

    def open(self, head: RegionalHead, now: datetime) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._by_token[token] = (head, now + timedelta(hours=self.hours))
        return token

    def head(self, token: str | None, now: datetime) -> RegionalHead | None:
        if not token:
            return None
        with self._lock:
            found = self._by_token.get(token)
            if found is None or found[1] <= now:
                self._by_token.pop(token, None)
                return None
            return found[0]

    def close(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)


def create_regional_app(
    board: RegionBoard,
    heads: Engine,
    region_name: str,
    *,
    refresh_seconds: float | None = 30.0,
    clock: Clock | None = None,
    secure_cookie: bool = True,
) -> Guard:
    """`refresh_seconds=None`: no refreshing thread; a page reads the branches when no
    picture is kept yet (tests, a one-off screenshot)."""
    sessions = _Sessions(SESSION_HOURS, {}, threading.Lock())
    stop = threading.Event()
    rendered: dict[str, object] = {}
    rendered_lock = threading.Lock()

    def now() -> datetime:
        return clock.now() if clock is not None else datetime.now(UTC)

    def keep_fresh() -> None:
        assert refresh_seconds is not None
        while not stop.is_set():
            try:
                board.refresh()
            except Exception:  # the next round tries again; the page shows the last picture
                log.exception("reading the branches failed")
            stop.wait(refresh_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if refresh_seconds is not None:
            worker = threading.Thread(target=keep_fresh, name="regional-board", daemon=True)
            worker.start()
        yield
        stop.set()
        if worker is not None:
            worker.join(timeout=30)
        board.close()

    app = FastAPI(title="Antrean regional board", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)

    def html(template: str, status: int = 200, **values: Any) -> HTMLResponse:
        page = environment.get_template(template).render(region_name=region_name, **values)
        return HTMLResponse(page, status_code=status)

    @app.get("/login")
    def login_page() -> HTMLResponse:
        return html("regional_login.html", error="", login="")

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        login = form.get("login", [""])[0][:64]
        password = form.get("password", [""])[0][:256]
        try:
            head = authenticate_head(heads, login, password, now())
        except AuthenticationFailed as refusal:
            text = ("Nama pengguna atau kata sandi salah. / Wrong login or password."
                    if refusal.key == "wrong_pin" else str(refusal))
            return html("regional_login.html", status=401, error=text, login=login)
        response = RedirectResponse("./", status_code=303)
        response.set_cookie(COOKIE, sessions.open(head, now()), httponly=True,
                            samesite="strict", secure=secure_cookie,
                            max_age=SESSION_HOURS * 3600)
        return response

    @app.post("/logout")
    def logout(request: Request) -> Response:
        sessions.close(request.cookies.get(COOKIE))
        response = RedirectResponse("login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/")
    def board_page(request: Request) -> Response:
        head = sessions.head(request.cookies.get(COOKIE), now())
        if head is None:
            return RedirectResponse("login", status_code=303)
        view = board.view()
        # The page changes only when the board reads the branches again: rendered once per
        # reading (and head), every request in between is served the same bytes.
        key = (view.read_at, view.read_seconds, head.name)
        with rendered_lock:
            if rendered.get("key") != key:
                page = environment.get_template("regional_board.html").render(
                    region_name=region_name, head_name=head.name, **_figures(view))
                rendered.clear()
                rendered.update(key=key, page=page)
            page = str(rendered["page"])
        return HTMLResponse(page)

    return Guard(app)


def _figures(view: RegionView) -> dict[str, Any]:
    return {
        "read_at": f"{view.read_at:%Y-%m-%d %H:%M:%S} UTC",
        "read_seconds": f"{view.read_seconds:.1f}",
        "rows": [_row(row, view.read_at) for row in view.rows],
        "loans": [loan.describe() for loan in view.lending.loans],
        "unmet": [short.describe() for short in view.lending.unmet],
    }


def _row(row: BoardRow, now: datetime) -> dict[str, Any]:
    cells: dict[str, Any] = {"code": row.code, "name": "", "problem": row.problem}
    link = row.link
    if link is None:
        cells.update(contact="—", lag="—", link_class="")
    else:
        age = now - link.last_contact if link.last_contact is not None else None
        stale = not link.connected or age is None or age > STALE_CONTACT
        cells.update(
            contact=(_age(age) if age is not None else "belum pernah")
            + ("" if link.connected else " · putus"),
            lag="—" if link.lag_bytes is None else _bytes(link.lag_bytes),
            link_class="warn" if stale else "ok",
        )
    picture = row.picture
    if picture is None:
        return cells
    current = picture.now
    longest = current.longest_wait_minutes
    rate = current.promise.rate
    cells.update(
        name=picture.name,
        waiting=current.waiting,
        longest="—" if longest is None else f"{longest} mnt",
        wait_class="warn" if longest is not None and longest >= 60 else "",
        at_risk=current.windows_at_risk,
        counters=f"{current.counters_open} / {current.counters_rostered}",
        counters_short=current.counters_open < current.counters_rostered,
        absences=current.absences,
        promise="—" if rate is None else f"{rate:.0%} ({current.promise.decided})",
        local_time=f"{picture.local_time:%H:%M}",
        ikm="—" if current.ikm is None else f"{current.ikm:.1f}",
        responses=current.survey_responses,
        today_served=picture.today.served,
        today_turned=f"{picture.today.turned_away} ({picture.today.reservations})",
        today_no_shows=picture.today.no_shows,
        month_served=picture.month.served,
        month_turned=f"{picture.month.turned_away} ({picture.month.reservations})",
        month_no_shows=picture.month.no_shows,
    )
    return cells


def _age(age: timedelta) -> str:
    seconds = max(int(age.total_seconds()), 0)
    if seconds < 120:
        return f"{seconds} dtk lalu"
    if seconds < 7200:
        return f"{seconds // 60} mnt lalu"
    return f"{seconds // 3600} jam lalu"


def _bytes(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    size = count / 1024
    for unit in ("kB", "MB"):
        if size < 1024:
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m web.regional",
        description="The regional board over the central server's branch copies.",
    )
    parser.add_argument("--central", required=True, help="the central server's database URL")
    parser.add_argument("--region", required=True, help="the region's TOML (travel times)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--refresh", type=float, default=30.0, help="seconds between readings")
    parser.add_argument("--insecure-cookie", action="store_true",
                        help="send the session cookie over plain HTTP (a test set-up only)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    name, region = load_region(args.region)
    central: str = args.central
    heads = create_store_engine(central, pool_size=2, max_overflow=0)
    if not heads_table_exists(heads):
        print("python -m web.regional: no regional head yet; add one first with "
              "`antrean regional head LOGIN` (as the central server's owner)", file=sys.stderr)
        return 2
    board = RegionBoard(lambda: central_copies(central), region,
                        links=lambda: subscription_links(central))
    app = create_regional_app(board, heads, name, refresh_seconds=args.refresh,
                              secure_cookie=not args.insecure_cookie)
    uvicorn.run(app, host=args.host, port=args.port, access_log=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
