"""PostgreSQL wakes a seat when the host commits (LISTEN/NOTIFY, session/store_pg.py); a file has no listener."""

from __future__ import annotations

import threading
import time

from teamkit import PRESS, start_team

from krisovning.engine import Action
from krisovning.session.follower import SeatLink


def test_a_seat_on_postgresql_is_woken_by_the_hosts_commit_not_by_the_clock(pg_db, monkeypatch):
    made = start_team(pg_db, monkeypatch)
    try:
        press = SeatLink.open(pg_db, made.host.live.session_id, PRESS)
        try:
            assert press.listener is not None
            assert press.listener.wait(0.2) is False  # nothing committed: the whole timeout passes
            woken: list[float] = []
            waiting = threading.Event()

            def seat() -> None:
                waiting.set()
                started = time.monotonic()
                if press.listener.wait(30.0):
                    woken.append(time.monotonic() - started)

            thread = threading.Thread(target=seat)
            thread.start()
            waiting.wait()
            time.sleep(0.1)  # the seat is in its wait before the host commits
            made.host.live.act(Action("decision", text="Vi samlar krisledningen"))
            thread.join(30.0)
            assert woken and woken[0] < 10.0  # woken by the commit, long before the 30 s timeout
            assert any(e.kind == "action" for e in press.tick(0.0))
        finally:
            press.close(interrupted=False)
    finally:
        made.close()


def test_a_seat_on_a_file_has_no_listener_and_looks(tmp_path, monkeypatch):
    made = start_team(tmp_path / "j.db", monkeypatch)
    try:
        press = SeatLink.open(tmp_path / "j.db", made.host.live.session_id, PRESS)
        assert press.listener is None
        press.close(interrupted=False)
    finally:
        made.close()
