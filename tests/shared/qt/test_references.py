"""PySide6 must not drop references it does not own. 6.12.0 on Python 3.11 lost one to None on
every call of a C++ method returning void and one to True on every signal emit, and Python
aborted (none_dealloc, bool_dealloc) once they ran out: minutes into a painting screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.gui  # starts Qt, in a child process

CALLS = 50_000
# True starts with only a few hundred references on Python 3.11, so the child stops once this
# many are gone and reports the loss, instead of aborting before it can say anything.
MOST_LOST = 200

# A child process: a PySide6 that drops references must not take the test session with it.
SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QWidget

    class Switch(QObject):
        flipped = Signal(bool)

    class Slot:
        calls = 0

        def __call__(self, value):
            self.calls += 1

    calls, most_lost = int(sys.argv[1]), int(sys.argv[2])
    app = QApplication([])
    widget, switch, slot = QWidget(), Switch(), Slot()
    switch.flipped.connect(slot)

    def run(step, watched):
        start, made = sys.getrefcount(watched), 0
        while made < calls and start - sys.getrefcount(watched) <= most_lost:
            for _ in range(100):
                step()
            made += 100
        return made, start - sys.getrefcount(watched)

    updates, none_lost = run(widget.update, None)  # update() returns void
    emits, true_lost = run(lambda: switch.flipped.emit(True), True)  # emit() returns True
    print(json.dumps(dict(updates=updates, none_lost=none_lost, emits=emits,
                          true_lost=true_lost, received=slot.calls)), flush=True)
    os._exit(0)  # skips the clean-up, which frees a None or True short of references and aborts
    """
)


def test_void_calls_and_signal_emits_keep_the_references_to_none_and_true() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CALLS), str(MOST_LOST)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["none_lost"] <= MOST_LOST, report
    assert report["true_lost"] <= MOST_LOST, report
    assert (report["updates"], report["emits"], report["received"]) == (CALLS, CALLS, CALLS)
