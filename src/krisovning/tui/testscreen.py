"""A test hook: the screen's text, written to the file KRISOVNING_TEST_SCREEN names (only when it is set).

In a browser, xterm.js draws on a canvas, so a test cannot read the page's text; with this, the
seat process itself says what it shows (tests/test_web_browser.py, tests/test_web_seat_cli.py).
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import Any

from textual.app import App

INTERVAL = 0.2  # seconds between writes: often enough for a test's wait, rare enough to cost nothing


def watch_screen(app: App[Any]) -> None:
    """From now on, every INTERVAL, the text of `app`'s screen on top (one line per row) in the file.

    "{pid}" in the file's name stands for this process's id: seats started by one host (its browser
    seats inherit its environment) each write a file of their own (tests/test_web_team.py).
    """
    path = os.environ.get("KRISOVNING_TEST_SCREEN")
    if not path:
        return
    path = path.replace("{pid}", str(os.getpid()))

    def write() -> None:
        strips = app.screen._compositor.render_strips()  # private, but only a test ever reads this file
        text = "\n".join(strip.text.rstrip() for strip in strips)
        with contextlib.suppress(OSError):
            with open(f"{path}.part", "w", encoding="utf-8") as out:
                out.write(text + "\n")
            os.replace(f"{path}.part", path)  # a reader never sees half a screen

    app.call_after_refresh(write)
    app.set_interval(INTERVAL, write)


TRACE = os.environ.get("KRISOVNING_TRACE_SHOWN")  # bench/bench_team.py: when each entry reached the screen


def trace_shown(app: App[Any], seqs: list[int]) -> None:
    """Only when KRISOVNING_TRACE_SHOWN names a file: once the refresh that draws these journal entries
    is done, append "seq wall-time" for each (the seat's commit → screen latency, bench/bench_team.py)."""
    if not TRACE or not seqs:
        return
    path = TRACE.replace("{pid}", str(os.getpid()))

    def write() -> None:
        at = time.time()
        with contextlib.suppress(OSError), open(path, "a", encoding="utf-8") as out:
            out.write("".join(f"{seq} {at:.6f}\n" for seq in seqs))

    app.call_after_refresh(write)
