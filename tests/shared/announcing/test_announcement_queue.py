import logging
import queue
import threading
from functools import partial

import pytest

from shared.announcing.audio import announcement_wav, clip_search_path, wav_duration_seconds
from shared.announcing.call import Call
from shared.announcing.queue import AnnouncementQueue

WAIT = 10  # seconds: only reached when something is broken


def _render(call: Call) -> bytes:
    return call.label.encode()


class GatedPlayer:
    """Records each play's start and end; a play lasts until the test releases it."""

    def __init__(self) -> None:
        self.log: list[tuple[str, str, float]] = []
        self.started: queue.Queue[str] = queue.Queue()
        self.playing = 0
        self.most_at_once = 0
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Event] = {}

    def gate(self, label: str) -> threading.Event:
        with self._lock:
            return self._gates.setdefault(label, threading.Event())

    def __call__(self, data: bytes, volume: float) -> None:
        label = data.decode()
        with self._lock:
            self.playing += 1
            self.most_at_once = max(self.most_at_once, self.playing)
            self.log.append(("start", label, volume))
        self.started.put(label)
        assert self.gate(label).wait(WAIT), f"{label} was never released"
        with self._lock:
            self.log.append(("end", label, volume))
            self.playing -= 1


class RecordingPlayer:
    def __init__(self) -> None:
        self.played: list[tuple[bytes, float]] = []

    def __call__(self, data: bytes, volume: float) -> None:
        self.played.append((data, volume))


def test_calls_are_announced_in_order_one_at_a_time() -> None:
    player = GatedPlayer()
    labels = ["A001", "B002", "A003"]
    with AnnouncementQueue(_render, player) as announcements:
        for n, label in enumerate(labels):
            assert announcements.announce(n, Call(label, 1))
        for label in labels:
            assert player.started.get(timeout=WAIT) == label
            assert player.playing == 1
            player.gate(label).set()
        announcements.wait_until_idle()
    assert player.most_at_once == 1
    assert player.log == [(edge, label, 1.0) for label in labels for edge in ("start", "end")]


def test_the_same_call_event_twice_is_announced_once() -> None:
    player = RecordingPlayer()
    with AnnouncementQueue(_render, player) as announcements:
        assert announcements.announce("event-7", Call("A001", 1))
        assert not announcements.announce("event-7", Call("A001", 1))
        announcements.wait_until_idle()
        assert not announcements.announce("event-7", Call("A001", 1))
        announcements.wait_until_idle()
    assert player.played == [(b"A001", 1.0)]


def test_a_recall_is_announced_again() -> None:
    player = RecordingPlayer()
    with AnnouncementQueue(_render, player) as announcements:
        announcements.announce("call-1", Call("A001", 1))
        announcements.announce("call-2", Call("A001", 1))
        announcements.wait_until_idle()
    assert player.played == [(b"A001", 1.0), (b"A001", 1.0)]


def test_muted_plays_nothing_and_volume_reaches_the_player() -> None:
    player = RecordingPlayer()
    with AnnouncementQueue(_render, player, muted=True) as announcements:
        announcements.announce(1, Call("A001", 1))
        announcements.wait_until_idle()
        assert player.played == []
        announcements.muted = False
        announcements.volume = 0.25
        announcements.announce(2, Call("A002", 1))
        announcements.wait_until_idle()
    assert player.played == [(b"A002", 0.25)]


@pytest.mark.parametrize("volume", [-0.1, 1.5])
def test_a_volume_outside_0_to_1_is_refused(volume: float) -> None:
    with AnnouncementQueue(_render, RecordingPlayer()) as announcements:
        with pytest.raises(ValueError, match="volume"):
            announcements.volume = volume
        assert announcements.volume == 1.0
    with pytest.raises(ValueError, match="volume"):
        AnnouncementQueue(_render, RecordingPlayer(), volume=volume)


def test_a_failed_announcement_is_logged_and_the_next_one_still_plays(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def render(call: Call) -> bytes:
        if call.label == "A001":
            raise FileNotFoundError("clip gone")
        return call.label.encode()

    player = RecordingPlayer()
    with caplog.at_level(logging.ERROR), AnnouncementQueue(render, player) as announcements:
        announcements.announce(1, Call("A001", 4))
        announcements.announce(2, Call("A002", 4))
        announcements.wait_until_idle()
    assert player.played == [(b"A002", 1.0)]
    assert "could not announce A001 at counter 4" in caplog.text
    assert "clip gone" in caplog.text


def test_stop_waits_for_the_announcement_playing_and_then_refuses_more() -> None:
    player = GatedPlayer()
    announcements = AnnouncementQueue(_render, player)
    announcements.announce(1, Call("A001", 1))
    assert player.started.get(timeout=WAIT) == "A001"
    stopper = threading.Thread(target=announcements.stop)
    stopper.start()
    player.gate("A001").set()
    stopper.join(WAIT)
    assert not stopper.is_alive()
    assert player.log[-1][:2] == ("end", "A001")
    with pytest.raises(RuntimeError, match="stopped"):
        announcements.announce(2, Call("A002", 1))


def test_real_announcements_flow_through_the_queue() -> None:
    player = RecordingPlayer()
    render = partial(announcement_wav, languages=["id"], clip_dirs=clip_search_path())
    with AnnouncementQueue(render, player, volume=0.5) as announcements:
        announcements.announce(1, Call("A012", 3))
        announcements.wait_until_idle()
    [(data, volume)] = player.played
    assert volume == 0.5
    assert 2.0 <= wav_duration_seconds(data) <= 12.0


def test_failures_in_a_row_log_one_traceback_then_one_line_each(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def render(call: Call) -> bytes:
        if call.label != "A003":
            raise OSError("no sound device")
        return call.label.encode()

    player = RecordingPlayer()
    with caplog.at_level(logging.ERROR), AnnouncementQueue(render, player) as announcements:
        for n, label in enumerate(["A001", "A002", "A003", "A004"], start=1):
            announcements.announce(n, Call(label, 2))
        announcements.wait_until_idle()
    assert player.played == [(b"A003", 1.0)]
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info]
    lines = [r.getMessage() for r in caplog.records if not r.exc_info]
    # A001 and, after A003 played, A004 start a run of failures; A002 continues one.
    assert tracebacks == ["could not announce A001 at counter 2",
                          "could not announce A004 at counter 2"]
    assert lines == ["could not announce A002 at counter 2 either: no sound device"]
