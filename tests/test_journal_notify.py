"""PostgreSQL wakes a seat when the host commits (LISTEN/NOTIFY, session/store_pg.py, session/follower.py):
the seat reads only when woken (and once in a while in case a word went missing); a file is looked at
every tick. Waits on conditions, never sleeps."""

from __future__ import annotations

import threading
import time

import pytest
from pilotwait import until
from teamkit import PRESS, start_team

from krisovning.engine import Action
from krisovning.session import follower
from krisovning.session.store import JournalError
from krisovning.tui import app as drill_app
from krisovning.tui.app import make_app


def quiet(link: follower.SeatLink) -> None:
    """Read what the host said before, until nothing more comes for half a second."""
    while link.news(0.5):
        link.tick(0.0)


def test_a_seat_on_postgresql_reads_only_when_the_host_speaks(pg_db, monkeypatch):
    monkeypatch.setattr(follower, "LOOK_EVERY", 3600.0)  # no look that nothing woke: every read is counted
    made = start_team(pg_db, monkeypatch)
    try:
        press = made.seat(PRESS)
        assert press.listener is not None
        quiet(press)
        before = press.reads
        for _ in range(45):  # three seconds of a 15 Hz UI
            assert press.tick(1 / 15) == []
        assert press.reads == before  # nothing said, nothing read
        made.host.live.act(Action("decision", text="Vi samlar krisledningen"))
        assert press.news(10.0)
        seen = press.tick(0.0)
        assert [e.data["action"]["text"] for e in seen if e.kind == "action"] == ["Vi samlar krisledningen"]
        assert press.reads == before + 1
    finally:
        made.close()


def test_a_seat_on_postgresql_still_finds_a_silent_host_gone_and_sees_it_back(pg_db, monkeypatch):
    made = start_team(pg_db, monkeypatch)
    try:
        press = made.seat(PRESS)
        quiet(press)
        assert press.host_lost is None
        monkeypatch.setattr(follower, "STALE", 0.5)
        monkeypatch.setattr(follower, "LOOK_EVERY", 0.1)
        made.host.say()
        assert press.news(10.0)
        press.tick(0.0)
        assert press.host_lost is None
        before = press.reads
        deadline = time.monotonic() + 20
        while press.host_lost is None and time.monotonic() < deadline:  # the host says nothing more
            press.news(0.05)
            press.tick(0.05)
        assert press.host_lost is not None and press.paused
        assert press.reads > before  # looked now and then although nothing woke it
        made.host.say()  # the host speaks again: its word wakes the seat
        assert press.news(10.0)
        press.tick(0.0)
        assert press.host_lost is None
    finally:
        made.close()


def test_a_seat_on_postgresql_hears_a_host_that_closes(pg_db, monkeypatch):
    monkeypatch.setattr(follower, "LOOK_EVERY", 3600.0)
    made = start_team(pg_db, monkeypatch)
    press = made.seat(PRESS)
    try:
        quiet(press)
        made.host.close(interrupted=True)
        assert press.news(10.0)
        press.tick(0.0)
        assert press.host_lost is not None
    finally:
        press.close(interrupted=False)


def test_a_seat_on_a_file_has_no_listener_and_looks_every_tick(tmp_path, monkeypatch):
    made = start_team(tmp_path / "j.db", monkeypatch)
    try:
        press = made.seat(PRESS)
        assert press.listener is None and press.news(0.0)
        before = press.reads
        for _ in range(5):
            press.tick(1 / 15)
        assert press.reads == before + 5
    finally:
        made.close()


async def test_a_seat_app_on_postgresql_is_woken_by_the_host_not_by_its_timer(pg_db, monkeypatch):
    monkeypatch.setattr(drill_app, "TICK_HZ", 0.001)  # its own timer would tick once in 1000 s
    monkeypatch.setattr(follower, "LOOK_EVERY", 3600.0)
    made = start_team(pg_db, monkeypatch, speed=60.0)
    try:
        app = make_app(made.seat(PRESS))
        async with app.run_test(size=(120, 40)) as pilot:
            made.host.live.act(Action("decision", text="Vi samlar krisledningen"))
            await until(pilot, lambda: any(e.kind == "action" for e in app.live.history), timeout=20)
            assert app.live.reads <= 3  # its opening look, the host's word before, and this one
    finally:
        made.close()


def test_a_seat_that_fails_to_open_on_postgresql_leaves_no_thread_or_connection_behind(pg_db, monkeypatch):
    made = start_team(pg_db, monkeypatch)
    try:

        def refused(self, seat: str) -> None:
            raise JournalError("journal.pg_failed", path="x", reason="refused")

        monkeypatch.setattr(follower.Relay, "seen", refused)  # the last step of opening a seat fails
        with pytest.raises(JournalError):
            follower.SeatLink.open(pg_db, made.host.live.session_id, PRESS)
        assert not [thread for thread in threading.enumerate() if thread.name.startswith("seat-watch-")]
    finally:
        made.close()


def test_a_host_on_postgresql_looks_for_requests_only_when_a_seat_asks(pg_db, monkeypatch):
    from krisovning.session import host as host_module

    monkeypatch.setattr(host_module, "LOOK_ANYWAY", 3600.0)  # no look that nothing woke: every look is counted
    made = start_team(pg_db, monkeypatch)
    try:
        host = made.host
        assert host._requests is not None and host._requests.listener is not None
        looks = []
        pending = host.relay.pending
        monkeypatch.setattr(host.relay, "pending", lambda: looks.append(1) or pending())
        host.step(0.0)  # what was asked before it listened
        before = len(looks)
        for _ in range(60):  # three seconds of a host stepping at 20 Hz
            host.step(0.05)
        assert len(looks) == before  # nobody asked, nobody looked
        press = made.seat(PRESS)
        done = press.act(Action("decision", text="Vi öppnar kontaktcentret"))  # answered: the host was woken
        assert [e.data["action"]["text"] for e in done if e.kind == "action"] == ["Vi öppnar kontaktcentret"]
        assert 1 <= len(looks) - before <= 3
    finally:
        made.close()


def test_a_host_on_a_file_looks_for_requests_every_step(tmp_path, monkeypatch):
    made = start_team(tmp_path / "j.db", monkeypatch)
    try:
        host = made.host
        assert host._requests is None
        looks = []
        pending = host.relay.pending
        monkeypatch.setattr(host.relay, "pending", lambda: looks.append(1) or pending())
        for _ in range(10):
            host.step(0.05)
        assert len(looks) == 10
    finally:
        made.close()
