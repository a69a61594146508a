"""A team drill end to end in real terminals: `krisovning host` (not a terminal) and three `krisovning seat`
processes in tmux windows at 120×40 — two team seats with different roles and the facilitator's — on
scenarios/dricksvatten.yaml at 60×, seed 7, driven by keys and read from their screens (capture-pane).
Every wait is on a condition with a deadline."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostproc import SCENARIO, SRC, Host, env
from tmuxterm import CTRL_O, CTRL_S, DOWN, ENTER, F10, TAB, UP, Tmux, have_tmux

pytestmark = [
    pytest.mark.team_e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="needs tmux"),
]
PRESS, CHIEF = "presssekreterare", "kommunikationschef"
HOST_GONE = "har inte hörts av sedan"  # seat.host_silent
ANSWERED = "✓"  # ui.status.answered ("✓ besvarad", cut to the column)


class Journal:
    """The session as the host wrote it, read straight from the file (read-only)."""

    def __init__(self, db: Path, session: str) -> None:
        self.db, self.session = db, session

    def _query(self, sql: str) -> list[tuple]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as con:
            return con.execute(sql, (self.session,)).fetchall()

    def entries(self) -> list[dict]:
        rows = self._query("SELECT seq, t, kind, body FROM entries WHERE session_id = ? ORDER BY seq")
        return [{**json.loads(body), "seq": seq, "t": t, "kind": kind} for seq, t, kind, body in rows]

    def injects(self) -> list[dict]:
        return [e for e in self.entries() if e["kind"] == "inject"]

    def actions(self, kind: str) -> list[dict]:
        return [e["action"] for e in self.entries() if e["kind"] == "action" and e["action"]["kind"] == kind]

    def host_state(self) -> dict:
        rows = self._query("SELECT state FROM hosts WHERE session_id = ?")
        return json.loads(rows[0][0]) if rows else {}

    def wait(self, condition, what: str, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while True:
            found = condition()
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"the journal never showed {what}")
            time.sleep(0.05)


def line_with(screen: str, needle: str) -> str:
    return next((line for line in screen.splitlines() if needle in line), "")


def toasts(screen: str) -> str:
    """The notifications' text (right of their bar, lines joined: a long one wraps)."""
    parts = [line.rsplit("▌", 1)[1].strip(" ▁▔") for line in screen.splitlines() if "▌" in line]
    return " ".join(" ".join(part for part in parts if part).split())


def sender(inject: dict) -> str:
    return inject["sender"]["name"]


@pytest.fixture
def tmux(tmp_path):
    if not have_tmux():
        if os.environ.get("CI"):
            pytest.fail("tmux is missing (.ci/run installs it)")
        pytest.skip("tmux is not installed")
    term = Tmux(tmp_path)
    yield term
    term.close()


def test_a_team_drill_in_real_terminals(tmp_path, tmux):
    db = tmp_path / "j.db"
    host = Host(SCENARIO, "--seed", "7", "--speed", "60", "--start-now", "--db", str(db))
    try:
        session = host.session()
        journal = Journal(db, session)
        seat_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "PYTHONPATH": SRC,
            "KRISOVNING_LANG": "sv",
            "KRISOVNING_STATE_DIR": str(tmp_path / "state"),
        }
        seat = [sys.executable, "-m", "krisovning", "seat", session, "--db", str(db)]
        tmux.open("press", [*seat, "--role", PRESS], seat_env)
        tmux.open("chief", [*seat, "--role", CHIEF], seat_env)
        tmux.open("fac", [*seat, "--facilitator"], seat_env)

        # An inject to one role is in that seat's inbox only.
        first = journal.wait(lambda: [i for i in journal.injects() if i["to"] == PRESS], "an inject to press")[0]
        tmux.wait_for("press", sender(first))
        tmux.keys("fac", F10)  # the facilitator pauses: the inboxes stand still from here
        journal.wait(lambda: journal.host_state().get("paused"), "the pause")
        injects = journal.injects()
        own = {sender(i) for i in injects if i["to"] == CHIEF}
        hidden = {sender(i) for i in injects if i["to"] != CHIEF} - own
        chief_screen = tmux.wait("chief", lambda s: all(name in s for name in own), "its own injects", timeout=10)
        assert not [name for name in hidden if name in chief_screen], chief_screen
        tmux.keys("chief", CTRL_O)  # show all
        tmux.wait("chief", lambda s: all(name in s for name in hidden), "every inject after show all")

        # A reply from one seat shows as answered at the other within a second…
        target = max((i for i in injects if i["to"] == PRESS), key=lambda i: (i["t"], i["seq"]))  # the newest
        tmux.keys("press", ENTER)  # the newest of its own is selected: start the reply
        tmux.wait_for("press", "Ctrl+S")
        tmux.type("press", "Vi återkommer inom en kvart.")
        tmux.keys("press", CTRL_S)
        journal.wait(lambda: [a for a in journal.actions("reply") if a["inject"] == target["id"]], "the reply")
        taken = next(a for a in journal.actions("reply") if a["inject"] == target["id"])
        assert taken["seat"] == PRESS and taken["role"] == PRESS and taken["sent"]
        tmux.wait("chief", lambda s: ANSWERED in line_with(s, sender(target)), "the inject answered", timeout=1.0)

        # …and the other seat's reply to the same inject is refused with the reason.
        everything = sorted(injects, key=lambda i: (-i["t"], -i["seq"]))  # the inbox: newest first
        row = [i["id"] for i in everything].index(target["id"])
        tmux.keys("chief", *[UP] * len(everything), *[DOWN] * row)  # from the top (the cursor stays on its own)
        tmux.wait("chief", lambda s: sender(target) in s.split("───")[-1], "the inject's text shown")
        tmux.keys("chief", ENTER)
        tmux.wait_for("chief", "Ctrl+S")
        tmux.type("chief", "Jag svarar också.")
        tmux.keys("chief", CTRL_S)
        said = f"Presssekreterare besvarade redan inspelet {target['id']} kl. "  # action.answered_by: who and when
        tmux.wait("chief", lambda s: said in toasts(s), "the refusal with its reason")
        assert len([a for a in journal.actions("reply") if a["inject"] == target["id"]]) == 1

        # The facilitator fires an inject early; both team seats get it.
        coming = journal.host_state()["upcoming"][0]["id"]
        tmux.keys("fac", TAB, ENTER)  # the upcoming list has the focus, its first row selected: Tab to "fire"
        fired = journal.wait(lambda: [i for i in journal.injects() if i["id"] == coming], "the fired inject")[0]
        tmux.keys("press", CTRL_O)
        for name in ("press", "chief"):
            tmux.wait_for(name, sender(fired))

        # The host dies; the seats say so; a resumed host and the seats carry on.
        host.proc.kill()
        host.proc.wait(timeout=30)
        for name in ("press", "chief", "fac"):
            tmux.wait(name, lambda s: HOST_GONE in toasts(s), "the host gone", timeout=15)
        host = Host("--resume", session, "--db", str(db))
        assert host.session() == session
        for name in ("press", "chief", "fac"):
            tmux.wait(name, lambda s: HOST_GONE not in toasts(s), "the host back", timeout=15)
        tmux.keys("fac", F10)  # a resumed drill waits paused for its facilitator
        journal.wait(lambda: not journal.host_state().get("paused", True), "the drill going on")
        tmux.keys("chief", CTRL_O)  # back to its own injects: the newest is selected
        own_newest = max((i for i in journal.injects() if i["to"] == CHIEF), key=lambda i: (i["t"], i["seq"]))
        tmux.wait_for("chief", sender(own_newest))
        tmux.keys("chief", ENTER)
        tmux.wait_for("chief", "Ctrl+S")
        tmux.type("chief", "Kokningsrådet går ut nu.")
        tmux.keys("chief", CTRL_S)
        journal.wait(
            lambda: [a for a in journal.actions("reply") if a.get("seat") == CHIEF], "the chief's reply after resume"
        )
    finally:
        host.stop()

    # Who did what: the report's table of seats (report/view_team.py).
    report = subprocess.run(
        [sys.executable, "-m", "krisovning", "report", session, "--format", "md", "--db", str(db)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert report.returncode == 0, report.stderr
    who = re.split(r"^## Bilaga [A-Z]: Vem gjorde vad$", report.stdout, maxsplit=1, flags=re.MULTILINE)[1]
    cells = [
        [cell.strip() for cell in line.strip("|").split("|")] for line in who.splitlines() if line.startswith("| ")
    ]
    seats = {row[0]: row for row in cells if len(row) == 8}  # the first table: seat, roles, replies …
    assert seats[PRESS][1:3] == ["Presssekreterare", "1"]  # seat, its role, one reply
    assert seats[CHIEF][1:3] == ["Kommunikationschef", "1"]
    steering = next(row for row in cells if row[0] == "Övningsledare" and len(row) == 5)  # the actions table
    assert steering[1] == "3"  # pause, fire, resume
