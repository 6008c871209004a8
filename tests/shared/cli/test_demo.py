"""`antrean demo`: the simulated branch leaves the user's tickets to the user, the windows sit
side by side, and SIGTERM ends every process the demo started."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.cli.demo import KIOSK_APP_NAME, app_commands, seed_demo, step, tiles
from shared.qt.placement import parse_geometry
from shared.services import calling
from shared.services.issuing import Admission, issue_ticket
from shared.store.database import Store
from shared.store.models import SurveyResponse, Ticket
from tests.support.actions import run
from tests.support.clocks import environment_at

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _user_ticket(store: Store, service: str) -> str:
    view = run(
        store, issue_ticket, service_code=service, kiosk=KIOSK_APP_NAME,
        admission=Admission.ANY_HOUR,
    )
    return view.label


def test_the_simulated_officers_leave_the_users_kiosk_tickets_to_the_users_counter(
    store: Store,
) -> None:
    # The user's tickets come first in line for every service: a simulation calling the
    # head of the queue would take them at once.
    mine = {_user_ticket(store, "JHT"), _user_ticket(store, "JKM")}
    ids = seed_demo(store, "TST", 20, random.Random(3))
    simulated = {2: ids["budi"], 3: ids["citra"]}
    for _ in range(30):
        for counter, officer in simulated.items():
            step(store, "TST", counter, officer)
    with store.sessions() as session:
        rows = session.execute(select(Ticket.label, Ticket.state))
        states = {row.label: row.state for row in rows}
        rated = set(session.scalars(select(SurveyResponse.ticket_id)))
        user_ids = set(session.scalars(select(Ticket.id).where(Ticket.label.in_(mine))))
        done = [label for label, state in states.items() if state == "done"]
    assert done, "the simulated counters served nobody"
    assert {states[label] for label in mine} == {"waiting"}
    assert not rated & user_ids
    # The user's counter 1 (JHT) calls the user's JHT ticket, first in line.
    called = run(store, calling.call_next, 1, ids["ani"])
    assert called is not None and called.label in mine


def test_the_apps_open_side_by_side_not_on_top_of_each_other() -> None:
    commands = app_commands("sqlite:///x.db", "TST", Path("/tmp/t"), (1920, 1080))
    places = [parse_geometry(c[c.index("--geometry") + 1]) for c in commands]
    boxes = [(g.x, g.y, g.x + g.width, g.y + g.height) for g in places]
    for i, a in enumerate(boxes):
        assert a[2] <= 1920 and a[3] <= 1080
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert tiles(1366, 768)[1] == "683x384+683+0"
    assert "--kiosk-name" in commands[0]


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_every_app_the_demo_started(tmp_path: Path) -> None:
    free_port = _free_port()
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = environment_at()
    env["QT_QPA_PLATFORM"] = "offscreen"
    base = [sys.executable, "-m", "shared.cli.main", "--database", url]
    config = Path(__file__).parents[3] / "assets/config/demo-branch.toml"
    for args in (["init", "--config", str(config), "--always-open"], ["demo-data"]):
        subprocess.run([*base, *args], check=True, env=env, capture_output=True, timeout=120)
    demo = subprocess.Popen(
        [*base, "demo", "--offscreen", "--web-port", str(free_port),
         "--tickets", str(tmp_path / "tickets")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        started: set[int] = set()
        while time.monotonic() < deadline and len(started) < 4:
            started = _descendants(demo.pid)
            time.sleep(0.3)
        assert len(started) >= 4, f"the demo started {len(started)} processes, not 4"
        time.sleep(3)  # let the apps reach their event loops
        assert all(_alive(pid) for pid in started)
        demo.send_signal(signal.SIGTERM)
        _, err = demo.communicate(timeout=30)
        still = [pid for pid in started if _alive(pid)]
        assert not still, f"left running: {still}"
        assert b"Traceback" not in err, err.decode(errors="replace")[-2000:]
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
