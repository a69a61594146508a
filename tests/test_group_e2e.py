"""Issue #19's "Done when" for the group: three municipality sessions on one PostgreSQL, driven by three
`krisovning host` processes with a seat each, started, paused, sped up and ended by the group commands;
one host killed (SIGKILL) mid-drill and resumed with `host --resume` without loss — the journal verifies,
the group still lists it, and the control view shows it as not reachable while it is down.
Every wait is on a condition with a deadline; the drills run at 60×."""

from __future__ import annotations

import json
import signal
import sys
import time

import pytest
from hostproc import SCENARIO, Host
from pilotwait import until

from krisovning.engine import Action
from krisovning.session.follower import SeatLink
from krisovning.session.journal import check_session, find_session
from krisovning.session.seats import Seat
from krisovning.session.store import open_store
from krisovning.tui.group_control import control_class

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals")
GROUP = "Kalmar län"
LABELS = ("Ekebacka", "Norrby", "Söderås")
CHIEF = Seat.team(["kommunikationschef"])


def _wait(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        time.sleep(0.1)


def _host(db: str, *args: str) -> Host:
    return Host(*args, "--db", db)


async def test_three_municipalities_on_one_postgresql(pg_db, run_cli) -> None:
    def status() -> dict[str, dict]:
        code, out, err = run_cli("group", "status", GROUP, "--json", "--db", pg_db)
        assert code == 0, err
        return {row["label"]: row for row in json.loads(out)["sessions"]}

    def command(*args: str) -> tuple[int, list[str]]:
        code, out, _err = run_cli("group", *args, "--db", pg_db)
        return code, out.splitlines()

    hosts = [_host(pg_db, str(SCENARIO), "--group", GROUP, "--label", label, "--speed", "60") for label in LABELS]
    seats: list[SeatLink] = []
    try:
        sessions = [host.session() for host in hosts]
        seats = [SeatLink.open(pg_db, session, CHIEF) for session in sessions]
        rows = status()
        assert [rows[label]["session"] for label in LABELS] == sessions
        assert {r["state"] for r in rows.values()} == {"briefing"}
        assert {r["seats_connected"] for r in rows.values()} == {1}

        code, lines = command("start", GROUP)
        assert code == 0 and lines[-1] == "3 av 3 övningar gjorde det.", lines
        for i, seat in enumerate(seats):  # each municipality's team does something
            seat.act(Action("decision", text=f"Beslut {i}: kokningsrekommendation"))
        code, lines = command("speed", GROUP, "120")
        assert code == 0, lines
        rows = _wait(lambda: (r := status()) and {x["speed"] for x in r.values()} == {120} and r, "speed 120")
        assert {r["state"] for r in rows.values()} == {"running"}
        assert {(r["latest"][0]["kind"], r["latest"][1]["kind"]) for r in rows.values()} == {("speed", "decision")}
        code, lines = command("pause", GROUP)
        assert code == 0, lines
        assert {r["state"] for r in status().values()} == {"paused"}

        # Norrby's host dies mid-drill
        killed = sessions[1]
        before = _entries(pg_db, killed)
        assert hosts[1].stop(signal.SIGKILL) == -signal.SIGKILL
        store = open_store(pg_db, write=True)
        try:
            app = control_class()(store, GROUP, refresh=0.2)
            async with app.run_test(size=(120, 40)) as pilot:

                def states() -> dict[str, str]:
                    return {r.snapshot.member.label: r.snapshot.state for r in app.rows}

                await until(pilot, lambda: states().get("Norrby") == "unreachable", timeout=20)
                assert states() == {"Ekebacka": "paused", "Norrby": "unreachable", "Söderås": "paused"}
                await pilot.pause()
                table = app.query_one("#sessions")
                shown = {table.get_row_at(i)[1].plain: table.get_row_at(i)[4].plain for i in range(3)}
                assert shown["Norrby"] == "värden nås inte"
        finally:
            store.close()
        code, lines = command("list")
        assert lines == ["Kalmar län  3 övningar"]
        code, lines = command("resume", GROUP)
        assert code == 1 and f"Norrby ({killed}): ingen värd svarar" in lines, lines
        assert command("pause", GROUP)[0] == 1  # the other two paused again: one clock for the group

        hosts[1] = _host(pg_db, "--resume", killed)
        assert hosts[1].session() == killed
        after = _entries(pg_db, killed)
        assert after[: len(before)] == before  # nothing lost
        assert any(kind == "action" and "Beslut 1" in body for _seq, kind, body in after)
        assert status()["Norrby"]["state"] == "paused"  # a resumed host goes on paused, in its group

        code, lines = command("resume", GROUP)
        assert code == 0 and lines[-1] == "3 av 3 övningar gjorde det.", lines
        code, lines = command("end", GROUP, "--yes")
        assert code == 0 and lines[-1] == "3 av 3 övningar gjorde det.", lines
        for host in hosts:
            host.wait_for("krisovning report")
        assert {r["state"] for r in status().values()} == {"ended"}
        store = open_store(pg_db, write=False)
        try:
            for session in sessions:
                assert check_session(store, find_session(store, session)).state == "intact"
        finally:
            store.close()
    finally:
        for seat in seats:
            seat.close(interrupted=False)
        for host in hosts:
            host.stop()


def _entries(db: str, session: str) -> list[tuple[int, str, str]]:
    store = open_store(db, write=False)
    try:
        return [(seq, kind, body) for seq, _t, kind, _w, _wall, body in store.entries(session)]
    finally:
        store.close()
