"""End to end: the real `krisovning run` in a pseudo-terminal, driven by keys like a person."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ptyterm import CTRL_Q, CTRL_S, SHIFT_TAB, Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"


@pytest.mark.parametrize(
    "lang, inbox, writing, saved",
    [
        ("sv", "Inkorg", "Ctrl+S skickar svaret", "Svaret är sparat"),
        ("en", "Inbox", "Ctrl+S sends the reply", "The reply is saved"),
    ],
)
def test_run_answer_quit_and_find_the_action_in_the_journal(tmp_path, lang, inbox, writing, saved):
    db = tmp_path / "j.db"
    env = {**os.environ, "TERM": "xterm-256color", "KRISOVNING_LANG": lang, "KRISOVNING_DB": str(db)}
    # 20x, not 60x: the starter's next call (P4, T+8m) rings 18 s after the first inject, not 6 s; on a busy
    # machine its pop-up opened while the reply was being typed here and took the keys
    term = Terminal([sys.executable, "-m", "krisovning", "run", str(STARTER), "--speed", "20", "--start-now"], env)
    try:
        term.wait_for(inbox)
        term.wait_for("Jonas Berg")  # the first inject (T+2m) reached the inbox: the clock runs
        term.send("\r")  # Enter on the selected inject: read it and start the reply…
        term.wait_for(writing)  # …once the reply box has focus (it says how to send)
        term.send("Vi samlas nu")
        term.send(CTRL_S)
        term.wait_for(saved)
        term.send(CTRL_Q)  # Ctrl+Q asks for confirmation…
        term.wait_for("krisovning resume")
        term.send(SHIFT_TAB + "\r")  # …Shift+Tab to the quit button, Enter
        assert term.wait_exit() == 0, term.text()[-1500:]
    finally:
        term.close()
    out = subprocess.run(
        [sys.executable, "-m", "krisovning", "export", "latest", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert lines[0]["status"] == "interrupted"
    replies = [e["action"] for e in lines[1:] if e["kind"] == "action" and e["action"]["kind"] == "reply"]
    assert replies == [{"kind": "reply", "inject": "larm", "text": "Vi samlas nu"}]


@pytest.mark.parametrize("start_now", [False, True])
def test_run_opens_on_the_briefing_unless_started_at_once(tmp_path, start_now):
    db = tmp_path / "j.db"
    env = {**os.environ, "TERM": "xterm-256color", "KRISOVNING_LANG": "sv", "KRISOVNING_DB": str(db)}
    extra = ["--start-now"] if start_now else []
    term = Terminal([sys.executable, "-m", "krisovning", "run", str(STARTER), "--speed", "60", *extra], env)
    try:
        if not start_now:
            term.wait_for("Starta klockan")  # the briefing, the clock at 0:00 …
            term.wait_for("GENOMGÅNG")
            term.send("\r")  # … until Enter
        term.wait_for("Jonas Berg")  # the first inject (T+2m): the clock runs
        term.send(CTRL_Q)
        term.wait_for("krisovning resume")
        term.send(SHIFT_TAB + "\r")
        assert term.wait_exit() == 0, term.text()[-1500:]
    finally:
        term.close()
    out = subprocess.run(
        [sys.executable, "-m", "krisovning", "export", "latest", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    starts = [e["t"] for e in lines[1:] if e["kind"] == "action" and e["action"]["kind"] == "start"]
    assert starts == ([] if start_now else [0.0])
