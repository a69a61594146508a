"""A pseudo-terminal driver for end-to-end tests: start a real program, type keys, wait on screen text.

Never a fixed sleep: every wait is for text on the screen or for the process to exit, with a timeout.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[a-zA-Z~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07")

# Keys as an xterm sends them.
F4 = "\x1bOS"
F10 = "\x1b[21~"
CTRL_Q = "\x11"
CTRL_S = "\x13"
SHIFT_TAB = "\x1b[Z"


class Terminal:
    def __init__(
        self, args: list[str], env: dict[str, str], size=(120, 40), cwd: str | os.PathLike | None = None
    ) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True, cwd=cwd
        )
        os.close(slave)
        self.seen = b""

    def read(self, timeout: float) -> bool:
        """Read what is there (waiting at most `timeout` for something); False once nothing more can come."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the program has exited and everything was read
                return False
            self.seen += chunk
            return bool(chunk)
        return True

    def drain(self) -> None:
        """After the program exited: read the rest of what it wrote."""
        while self.read(0.05) and select.select([self.master], [], [], 0)[0]:
            pass

    def text(self, since: int = 0) -> str:
        """What the program has written (escape sequences removed), from byte offset `since`."""
        return ANSI.sub(b"", self.seen[since:]).decode("utf-8", "replace")

    def mark(self) -> int:
        """An offset for `wait_for(..., since=)`: wait for text written after this moment."""
        self.read(0)
        return len(self.seen)

    def wait_for(self, needle: str, timeout: float = 20.0, since: int = 0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text(since):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.drain()  # whatever the program managed to write before it exited
                if needle in self.text(since):
                    return
                raise AssertionError(f"{needle!r} never appeared; last screen text: {self.text()[-1500:]!r}")
            self.read(0.1)

    def wait_exit(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            self.read(0.1)
        if self.proc.poll() is None:
            raise AssertionError(f"the program did not exit; last screen text: {self.text()[-1500:]!r}")
        self.drain()
        return self.proc.returncode

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self.master)
