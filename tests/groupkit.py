"""Hosts of a group's sessions for the group tests: each a HostDrill in a thread of its own (its journal
connection serves that thread, as in a host's process), stepped as `krisovning host` steps it, so that
the group commands run in the test's process get their answers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from krisovning.scenario import load_scenario_bytes
from krisovning.session.host import HostDrill

SCENARIO = Path(__file__).parents[1] / "scenarios" / "dricksvatten.yaml"
GROUP = "Kalmar län"


class HostThread:
    """A group session's host; `stop()` closes it as its user would, `vanish()` leaves it as a kill does."""

    def __init__(self, db: Path | str, label: str, *, group: str = GROUP, speed: float = 60.0) -> None:
        self.db, self.label, self.group, self.speed = db, label, group, speed
        self.session = ""
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._close = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        if not self._ready.wait(60):
            raise AssertionError(f"the host of {label} did not start")
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        text = SCENARIO.read_text("utf-8")
        try:
            scenario = load_scenario_bytes(text.encode(), str(SCENARIO))
            host = HostDrill.start(
                self.db, scenario, text, str(SCENARIO), 7, "sv", self.speed, group=(self.group, self.label)
            )
        except BaseException as exc:
            self.error = exc
            self._ready.set()
            return
        self.session = host.live.session_id
        self._ready.set()
        last = time.monotonic()
        try:
            while not self._stop.is_set():
                now = time.monotonic()
                host.step(now - last)
                last = now
                self._stop.wait(0.05)
        finally:
            if self._close:
                host.close(interrupted=True)
            else:  # as a killed process leaves it: no last word, the lock let go with the process
                host.live.recorder.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def vanish(self) -> None:
        self._close = False
        self.stop()
