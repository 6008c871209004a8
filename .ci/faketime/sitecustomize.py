"""Loaded by every Python process of CI's faketime runs (this folder is put on PYTHONPATH).

Those runs move only the wall clock (DONT_FAKE_MONOTONIC=1), so timeouts still expire; with
that setting libfaketime 0.9.10 rejects the absolute monotonic clock_nanosleep that
time.sleep uses (EINVAL). select() with a relative timeout sleeps the same span, unfaked.
"""

import os
import select
import time

if os.environ.get("DONT_FAKE_MONOTONIC") == "1" and os.environ.get("FAKETIME"):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
