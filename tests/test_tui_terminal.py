"""End to end: the real `krisovning run` in a pseudo-terminal, driven by keys like a person."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[a-zA-Z~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")
STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str], size=(120, 40)) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                                     start_new_session=True)
        os.close(slave)
        self.seen = b""

    def read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.seen += os.read(self.master, 65536)
            except OSError:  # the program has exited
                pass

    def text(self) -> str:
        return ANSI.sub(b"", self.seen).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise AssertionError(f"{needle!r} never appeared; last screen text: {self.text()[-1500:]!r}")
            self.read(0.1)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.master)


@pytest.mark.parametrize("lang, inbox, writing, saved", [
    ("sv", "Inkorg", "Ctrl+S skickar svaret", "Svaret är sparat"),
    ("en", "Inbox", "Ctrl+S sends the reply", "The reply is saved"),
])
def test_run_answer_quit_and_find_the_action_in_the_journal(tmp_path, lang, inbox, writing, saved):
    db = tmp_path / "j.db"
    env = {**os.environ, "TERM": "xterm-256color", "KRISOVNING_LANG": lang, "KRISOVNING_DB": str(db)}
    term = Terminal([sys.executable, "-m", "krisovning", "run", str(STARTER), "--speed", "60"], env)
    try:
        term.wait_for(inbox)
        term.wait_for("Jonas Berg")  # the first inject (T+2m) reached the inbox: the clock runs
        term.send("\r")  # Enter on the selected inject: read it and start the reply…
        term.wait_for(writing)  # …once the reply box has focus (it says how to send)
        term.send("Vi samlas nu")
        term.send("\x13")  # Ctrl+S
        term.wait_for(saved)
        term.send("\x11")  # Ctrl+Q asks for confirmation…
        term.wait_for("krisovning resume")
        term.send("\x1b[Z\r")  # …Shift+Tab to the quit button, Enter
        deadline = time.monotonic() + 20
        while term.proc.poll() is None and time.monotonic() < deadline:
            term.read(0.1)
        assert term.proc.returncode == 0, term.text()[-1500:]
    finally:
        term.close()
    out = subprocess.run([sys.executable, "-m", "krisovning", "export", "latest", "--db", str(db)],
                         capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert lines[0]["status"] == "interrupted"
    replies = [e["action"] for e in lines[1:] if e["kind"] == "action" and e["action"]["kind"] == "reply"]
    assert replies == [{"kind": "reply", "inject": "larm", "text": "Vi samlas nu"}]
