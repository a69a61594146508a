"""A thread that waits on a PostgreSQL listener (session/store_pg.py `PgListener`) and counts the words it
heard: a seat's (the host's commits and heartbeat, session/follower.py) and a host's (its seats' requests,
session/host.py). A listener that fails (the server went away) counts as a word — the next look says what
is wrong — and is opened again until it works."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from krisovning.session.store import JournalError, SqliteStore


class Listening:
    TURN = 0.25  # wall seconds of one wait: how soon the thread sees that it should stop

    def __init__(
        self,
        store: SqliteStore,
        session: str,
        listener: Any,
        retry: Callable[[], float],
        *,
        requests: bool = False,
        name: str = "listening",
    ) -> None:
        """`listener` as the store made it (None: opened by the thread); `retry()` the wall seconds between
        attempts to open it again; `requests`: the session's requests channel rather than its commits."""
        self.store, self.session, self.listener = store, session, listener
        self.retry, self.requests = retry, requests
        self.heard = 0
        self.wake: Callable[[], None] | None = None  # called from the thread at every word
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def after(self, heard: int, timeout: float) -> int:
        """Until the count is past `heard`, at most `timeout`; the count then."""
        with self._changed:
            self._changed.wait_for(lambda: self.heard != heard, timeout)
            return self.heard

    def _heard(self) -> None:
        with self._changed:
            self.heard += 1
            self._changed.notify_all()
        wake = self.wake
        if wake is not None:
            wake()

    def _run(self) -> None:
        while not self._stopping.is_set():
            if self.listener is None:
                with contextlib.suppress(JournalError):
                    self.listener = self.store.listener(self.session, requests=self.requests)
                    self._heard()  # what was said while it was away
                if self.listener is None:
                    self._stopping.wait(self.retry())
                continue
            try:
                woken = self.listener.wait(self.TURN)
            except JournalError:
                self.listener.close()
                self.listener = None
                woken = True
            if woken:
                self._heard()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():  # not started when its owner failed to open
            self._thread.join()
        if self.listener is not None:
            self.listener.close()
