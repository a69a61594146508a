"""Commands under textual-serve's web driver, spoken to as textual-serve does (pipes, its packets), no browser.

`run` starts there (it refused: no tty) and a command that fails shows why in the page, not on the
server's stderr only.
"""

from __future__ import annotations

import json
import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from krisovning.web import WEB_DRIVER

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="select() on pipes")
STARTER = Path(__file__).parent.parent / "src/krisovning/data/starter.yaml"
_CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


class WebSeat:
    """A command as textual-serve runs it: TEXTUAL_DRIVER set, stdin and stdout pipes."""

    def __init__(self, args: list[str], tmp_path: Path, **env: str) -> None:
        self.screen = tmp_path / "screen.txt"
        full_env = {
            **os.environ,
            "TEXTUAL_DRIVER": WEB_DRIVER,
            "COLUMNS": "100",
            "ROWS": "30",
            "KRISOVNING_LANG": "sv",
            "KRISOVNING_DB": str(tmp_path / "j.db"),
            "KRISOVNING_TEST_SCREEN": str(self.screen),
            **env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "krisovning", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=full_env,
        )
        self.out = b""

    def shown(self) -> str:
        """The seat's screen text (its test hook), words joined however the screen wrapped them."""
        return " ".join(self.screen.read_text(encoding="utf-8").split()) if self.screen.exists() else ""

    def read_until(self, wanted: bytes, timeout: float = 60) -> bytes:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while wanted not in self.out:
            left = deadline - time.monotonic()
            assert left > 0, f"no {wanted!r} in {self.out[-500:]!r}"
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                assert chunk, f"ended ({self.process.wait()}) before {wanted!r}: {self.process.stderr.read()!r}"  # type: ignore[union-attr]
                self.out += chunk
        return self.out

    def drawn_text(self) -> bytes:
        """What the D packets drew, escape sequences removed (enough to find a phrase)."""
        data, pos = self.out.split(b"__GANGLION__\n", 1)[1], 0
        drawn = b""
        while pos + 5 <= len(data):
            size = int.from_bytes(data[pos + 1 : pos + 5], "big")
            if data[pos : pos + 1] == b"D":
                drawn += data[pos + 5 : pos + 5 + size]
            pos += 5 + size
        return _CSI.sub(b"", drawn)

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def wait_for(check, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
    return result


def test_run_starts_under_the_web_driver_and_quits_when_the_server_says(tmp_path):
    seat = WebSeat(["run", str(STARTER), "--speed", "60", "--start-now"], tmp_path)
    seat.read_until(b"__GANGLION__\n")  # before: "the drill needs a terminal" on stderr, exit 1, a page on its splash
    seat.read_until(b"Inkorg")
    seat.send(packet(b"M", json.dumps({"type": "quit"}).encode()))
    assert seat.wait() == 0
    with sqlite3.connect(tmp_path / "j.db") as db:
        assert db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1


def test_a_command_that_fails_in_a_browser_seat_says_why_in_the_page(tmp_path):
    missing = tmp_path / "saknas.yaml"
    seat = WebSeat(["run", str(missing)], tmp_path)
    seat.read_until(b"__GANGLION__\n")
    seat.read_until("Tryck på valfri tangent".encode())
    shown = wait_for(seat.shown)
    assert shown.startswith("Platsen kunde inte starta ")
    assert "kan inte läsa filen: filen finns inte" in shown and "saknas.yaml" in shown
    assert "är inte ett giltigt scenario" in shown
    assert b"Platsen kunde inte starta" in seat.drawn_text()  # the page shows what the hook saw
    seat.send(packet(b"D", b"x"))  # any key closes it
    assert seat.wait() == 1


def test_a_usage_error_in_a_browser_seat_is_shown_too(tmp_path):
    seat = WebSeat(["run", str(STARTER), "--speed", "fort"], tmp_path)
    seat.read_until(b"__GANGLION__\n")
    seat.read_until("Tryck på valfri tangent".encode())
    assert "--speed" in wait_for(seat.shown)
    seat.send(packet(b"D", b"q"))
    assert seat.wait() == 2


def test_outside_a_browser_a_failure_is_only_printed(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "krisovning", "run", str(tmp_path / "saknas.yaml")],
        capture_output=True,
        env={**os.environ, "KRISOVNING_LANG": "sv", "KRISOVNING_TEST_SCREEN": str(tmp_path / "screen.txt")},
        timeout=60,
    )
    assert done.returncode == 1 and b"__GANGLION__" not in done.stdout and "filen finns inte" in done.stderr.decode()
    assert not (tmp_path / "screen.txt").exists()
